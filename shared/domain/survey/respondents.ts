import * as z from 'zod';
import type { SurveyDefinition } from '../methodology/schema';
import { type Problem, problem } from '../problems';

/**
 * A person the region names for the leadership survey (issue 14). Kept apart from every answer:
 * nothing in an answer points back to this record.
 */
export const respondentEntrySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    position: z.string().trim().min(1).max(200),
    /** One of the methodology's survey roles (`kepala-opd`, `dprd`, …). */
    category: z.string().trim().min(1).max(60),
    /** E-mail or phone for the invitation; optional (slips can be handed out). */
    contact: z.string().trim().max(200).optional(),
  })
  .strict();
export type RespondentEntry = z.infer<typeof respondentEntrySchema>;

/** A listed respondent as stored: the entry plus its id and who added/removed it. */
export interface ListedRespondent extends RespondentEntry {
  respondentId: string;
  addedBy: string;
  addedAt: string;
  /** Present once an admin removed the respondent (with the reason); removed ones are not invited. */
  removed?: { by: string; at: string; reason: string };
  /** True once an invitation was issued (the code itself is never stored). */
  invited?: boolean;
}

export interface CategoryCount {
  category: string;
  name: { id: string; en: string };
  listed: number;
  min: number;
  max?: number;
}

/** Listed respondents per quota category (removed ones do not count). */
export function categoryCounts(
  survey: SurveyDefinition,
  respondents: readonly Pick<ListedRespondent, 'category' | 'removed'>[],
): CategoryCount[] {
  return (survey.quotas ?? []).map((q) => ({
    category: q.role,
    name: q.name,
    listed: respondents.filter((r) => !r.removed && r.category === q.role).length,
    min: q.min,
    ...(q.max !== undefined ? { max: q.max } : {}),
  }));
}

/**
 * Every problem of a respondent list against the methodology: unknown categories, the same person
 * twice, quotas per category, and fewer people than the survey's minimum of valid respondents.
 * `row(i)` says where entry i came from (a spreadsheet row or a JSON index).
 */
export function checkRespondentList(
  survey: SurveyDefinition,
  entries: readonly RespondentEntry[],
  where: (index: number) => { row?: number; path?: string } = (i) => ({ path: `respondents[${i}]` }),
): Problem[] {
  const problems: Problem[] = [];
  const roles = survey.roles ?? [];
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (roles.length > 0 && !roles.includes(entry.category))
      problems.push(
        problem(
          'RESPONDENT_CATEGORY_UNKNOWN',
          'error',
          where(i),
          `kategori "${entry.category}" untuk ${entry.name} tidak dikenal. Pilih salah satu: ${roles.join(', ')}.`,
          `category "${entry.category}" of ${entry.name} is unknown. Pick one of: ${roles.join(', ')}.`,
        ),
      );
    const key = `${entry.name.trim().toLowerCase()}|${entry.position.trim().toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push(
        problem(
          'RESPONDENT_DUPLICATE',
          'error',
          where(i),
          `${entry.name} (${entry.position}) sudah tercantum pada entri ${first + 1}. Setiap orang hanya sekali: hapus salah satunya.`,
          `${entry.name} (${entry.position}) is already listed at entry ${first + 1}. Each person once: remove one of them.`,
        ),
      );
    else seen.set(key, i);
  });
  problems.push(...quotaProblems(survey, entries));
  return problems;
}

/** The quotas and the overall minimum, for a list as it stands (entries or stored respondents). */
export function quotaProblems(
  survey: SurveyDefinition,
  respondents: readonly Pick<ListedRespondent, 'category' | 'removed'>[],
): Problem[] {
  const problems: Problem[] = [];
  for (const c of categoryCounts(survey, respondents)) {
    if (c.listed < c.min)
      problems.push(
        problem(
          'RESPONDENT_QUOTA_SHORT',
          'error',
          { path: `quotas.${c.category}` },
          `kategori ${c.name.id} baru ${c.listed} orang; metodologi memerlukan paling sedikit ${c.min}. Tambahkan ${c.min - c.listed} responden ${c.name.id}.`,
          `category ${c.name.en} has ${c.listed}; the methodology needs at least ${c.min}. Add ${c.min - c.listed} more ${c.name.en}.`,
        ),
      );
    if (c.max !== undefined && c.listed > c.max)
      problems.push(
        problem(
          'RESPONDENT_QUOTA_EXCEEDED',
          'error',
          { path: `quotas.${c.category}` },
          `kategori ${c.name.id} berisi ${c.listed} orang; paling banyak ${c.max}. Kurangi ${c.listed - c.max} responden ${c.name.id}.`,
          `category ${c.name.en} has ${c.listed}; at most ${c.max} are allowed. Remove ${c.listed - c.max} ${c.name.en}.`,
        ),
      );
  }
  const listed = respondents.filter((r) => !r.removed).length;
  if (listed < survey.minRespondents)
    problems.push(
      problem(
        'RESPONDENT_LIST_TOO_SHORT',
        'error',
        { path: 'respondents' },
        `daftar berisi ${listed} responden; survei memerlukan paling sedikit ${survey.minRespondents} jawaban sah, jadi undang paling sedikit ${survey.minRespondents} orang (lebih baik lebih, karena tidak semua menjawab).`,
        `the list holds ${listed} respondents; the survey needs at least ${survey.minRespondents} valid answers, so invite at least ${survey.minRespondents} people (more is better: not everyone answers).`,
      ),
    );
  return problems;
}
