import * as z from 'zod';

/**
 * The canonical submission: every upload format (XLSX, CSV, JSON) converts to this shape.
 * An indicator answer is a bare level, `{level}` or `{value}`, optionally with evidence and
 * verification status (`rejected` scores 0 points).
 */

export const regionCodeSchema = z
  .string()
  .regex(
    /^\d{2}(\.\d{2})?$/,
    'kode wilayah Kemendagri berbentuk "PP" atau "PP.KK", mis. "18.01" | a Kemendagri region code is "PP" or "PP.KK", e.g. "18.01"',
  );

const status = z.enum(['accepted', 'rejected']);

const answerObject = z
  .object({
    level: z.number().int().min(0).optional(),
    value: z.number().finite().optional(),
    evidence: z.string().min(1).optional(),
    status: status.default('accepted'),
    note: z.string().optional(),
  })
  .strict()
  .refine((a) => a.level === undefined || a.value === undefined, {
    message: 'isi "level" atau "value", jangan keduanya | give either "level" or "value", not both',
  });

export const answerSchema = z.union([z.number().int().min(0), answerObject]);
export type AnswerInput = z.input<typeof answerSchema>;

/** Normalized answer: the engine only ever sees this form. */
export interface Answer {
  level?: number;
  value?: number;
  evidence?: string;
  status: 'accepted' | 'rejected';
  note?: string;
}

const answersSchema = z.record(z.string(), answerSchema).transform((record) => {
  const out: Record<string, Answer> = {};
  for (const [key, answer] of Object.entries(record)) {
    out[key] = typeof answer === 'number' ? { level: answer, status: 'accepted' } : answer;
  }
  return out;
});

export const groupItemSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    status: status.default('accepted'),
    indicators: answersSchema.default({}),
  })
  // Item fields (urusan, tahun, ...) sit beside id/name in the file; they are gathered into `fields`.
  .catchall(z.union([z.string(), z.number()]))
  .transform(({ id, name, status, indicators, ...fields }) => ({
    id,
    ...(name !== undefined ? { name } : {}),
    status,
    indicators: indicators as Record<string, Answer>,
    fields: fields as Record<string, string | number>,
  }));
export type GroupItem = z.output<typeof groupItemSchema>;

const respondentSchema = z
  .object({
    id: z.string().min(1),
    role: z.string().optional(),
    answers: z.record(z.string(), z.number().nullable()),
  })
  .strict();
export type Respondent = z.infer<typeof respondentSchema>;

export const submissionSchema = z
  .object({
    methodology: z.string().min(1),
    /** Hash of the methodology the file was prepared for (templates embed it). */
    methodologyHash: z.string().optional(),
    region: regionCodeSchema,
    period: z.number().int(),
    /** Facts used by eligibility rules and profile clusters (head status, SAKIP grade, fiscal capacity). */
    profile: z.record(z.string(), z.string()).default({}),
    indicators: answersSchema.default({}),
    groups: z.record(z.string(), z.array(groupItemSchema)).default({}),
    survey: z
      .object({
        respondents: z.array(respondentSchema),
        /**
         * Where the answers came from: `paper` (a file the region uploaded; the default) or `channel`
         * (respondents answered the ministry's survey form themselves, issue 14).
         */
        source: z.enum(['paper', 'channel']).optional(),
        /** A paper survey's scanned forms: the evidence file name (required for a paper survey). */
        scan: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Submission = z.infer<typeof submissionSchema>;
export type SubmissionInput = z.input<typeof submissionSchema>;
