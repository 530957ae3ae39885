import * as z from 'zod';
import { compile } from '../engine/compile';
import type { LoadedMethodology } from '../methodology/load';
import { type Problem, type ProblemLocation, problem } from '../problems';
import type { Answer, Submission } from '../submission';
import type { AnswerRef } from './catalogue';
import { isReasonCode, REASON_CODES, REASONS, type ReasonCode } from './reasons';

/**
 * An assessor's decision on one answer. `adjust` sets another valid level (or value, for numeric
 * rules); `reject` scores the answer 0; a whole innovation can only be accepted or rejected, and
 * a rejected innovation stays in the divisor (the engine counts every reported item).
 */
export const DECISION_KINDS = ['accept', 'adjust', 'reject'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const decisionInputSchema = z
  .object({
    answer: z.string().min(1),
    decision: z.enum(DECISION_KINDS),
    level: z.number().int().min(0).optional(),
    value: z.number().finite().optional(),
    reason: z.enum(REASON_CODES).optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type DecisionInput = z.infer<typeof decisionInputSchema>;

export interface Decision extends DecisionInput {
  assessor: string;
  /** ISO instant the decision was made. */
  at: string;
}

/** Every problem of one decision against the answer catalogue; empty means valid. */
export function decisionProblems(
  m: LoadedMethodology,
  catalogue: ReadonlyMap<string, AnswerRef>,
  input: DecisionInput,
  where: ProblemLocation = {},
): Problem[] {
  const problems: Problem[] = [];
  const err = (code: string, id: string, en: string) =>
    problems.push(problem(code, 'error', { ...where, path: where.path ?? input.answer }, id, en));
  const ref = catalogue.get(input.answer);
  if (!ref) {
    err(
      'ANSWER_UNKNOWN',
      `Jawaban "${input.answer}" tidak ada pada isian daerah ini. Tulis kode indikator (mis. 13a), inovasi/<id>/<kode> atau inovasi/<id>.`,
      `Answer "${input.answer}" is not in this region's submission. Write an indicator code (e.g. 13a), inovasi/<id>/<code> or inovasi/<id>.`,
    );
    return problems;
  }
  if (input.decision !== 'accept' && input.reason === undefined)
    err(
      'REASON_REQUIRED',
      `Keputusan "${input.decision}" wajib disertai kode alasan (${REASON_CODES.join(', ')}).`,
      `A "${input.decision}" decision needs a reason code (${REASON_CODES.join(', ')}).`,
    );
  if (input.reason !== undefined) {
    const reason = REASONS[input.reason];
    if (reason.innovationOnly && ref.kind === 'indicator')
      err(
        'REASON_NOT_APPLICABLE',
        `Alasan ${input.reason} (${reason.id}) hanya berlaku untuk inovasi, bukan indikator ${ref.indicator}.`,
        `Reason ${input.reason} (${reason.en}) applies to innovations only, not to indicator ${ref.indicator}.`,
      );
    if (reason.noteRequired && !input.note?.trim())
      err(
        'NOTE_REQUIRED',
        `Alasan ${input.reason} wajib disertai catatan yang menjelaskannya.`,
        `Reason ${input.reason} needs a note explaining it.`,
      );
  }
  const hasTarget = input.level !== undefined || input.value !== undefined;
  if (input.decision !== 'adjust') {
    if (hasTarget)
      err(
        'LEVEL_NOT_EXPECTED',
        `Level/nilai hanya diisi untuk keputusan "adjust"; kosongkan untuk "${input.decision}".`,
        `A level/value is given only with "adjust"; leave it empty for "${input.decision}".`,
      );
    return problems;
  }
  if (ref.kind === 'item') {
    err(
      'ADJUST_NOT_ALLOWED',
      `Inovasi ${ref.itemId} secara utuh hanya dapat diterima (accept) atau ditolak (reject); sesuaikan jawabannya satu per satu.`,
      `Innovation ${ref.itemId} as a whole can only be accepted or rejected; adjust its answers one by one.`,
    );
    return problems;
  }
  problems.push(...targetProblems(m, ref, input, where));
  return problems;
}

function targetProblems(
  m: LoadedMethodology,
  ref: AnswerRef,
  input: DecisionInput,
  where: ProblemLocation,
): Problem[] {
  const out: Problem[] = [];
  const err = (code: string, id: string, en: string) =>
    out.push(
      problem(
        code,
        'error',
        {
          ...where,
          path: where.path ?? input.answer,
          ...(ref.indicator ? { indicator: ref.indicator } : {}),
        },
        id,
        en,
      ),
    );
  const indicator = compile(m).indicators.get(ref.indicator ?? '');
  if (!indicator) return out;
  const type = indicator.def.rule.type;
  if ((input.level === undefined) === (input.value === undefined)) {
    err(
      'ADJUST_TARGET_REQUIRED',
      `Keputusan "adjust" untuk ${input.answer} wajib mengisi tepat satu: level atau nilai.`,
      `An "adjust" decision on ${input.answer} needs exactly one of: level or value.`,
    );
    return out;
  }
  const levels = indicator.levelValues
    .map((v, level) => (level > 0 && !Number.isNaN(v) ? level : undefined))
    .filter((l): l is number => l !== undefined);
  if (input.level !== undefined) {
    if (type !== 'level' && type !== 'bands')
      err(
        'LEVEL_NOT_APPLICABLE',
        `Indikator ${ref.indicator} dinilai dari nilai angka, bukan level: isi kolom nilai.`,
        `Indicator ${ref.indicator} is scored from a number, not a level: fill in the value.`,
      );
    else if (!levels.includes(input.level))
      err(
        'LEVEL_INVALID',
        `Level ${input.level} tidak didefinisikan untuk indikator ${ref.indicator}; pilih salah satu dari ${levels.join(', ')} (atau tolak jawabannya).`,
        `Level ${input.level} is not defined for indicator ${ref.indicator}; choose one of ${levels.join(', ')} (or reject the answer).`,
      );
    else if (input.level === ref.level && ref.value === undefined)
      err(
        'ADJUST_UNCHANGED',
        `Level ${input.level} sama dengan isian daerah; gunakan "accept".`,
        `Level ${input.level} is what the region answered; use "accept".`,
      );
  }
  if (input.value !== undefined) {
    if (type === 'level' || type === 'survey')
      err(
        'VALUE_NOT_APPLICABLE',
        `Indikator ${ref.indicator} dinilai dengan level, bukan angka: isi kolom level.`,
        `Indicator ${ref.indicator} is scored by level, not by a number: fill in the level.`,
      );
    else if (input.value === ref.value && ref.level === undefined)
      err(
        'ADJUST_UNCHANGED',
        `Nilai ${input.value} sama dengan isian daerah; gunakan "accept".`,
        `Value ${input.value} is what the region answered; use "accept".`,
      );
  }
  return out;
}

export const catalogueMap = (refs: readonly AnswerRef[]): Map<string, AnswerRef> =>
  new Map(refs.map((r) => [r.key, r]));

/** Only the fields a decision needs to change the submission. */
export type DecisionEffect = Pick<DecisionInput, 'decision' | 'level' | 'value'>;

/**
 * Applies one decision to a submission in place (callers pass their own copy). Unknown keys are
 * ignored: decisions are validated against the catalogue before they are stored.
 */
export function applyDecisionInPlace(submission: Submission, ref: AnswerRef, decision: DecisionEffect): void {
  if (decision.decision === 'accept') return;
  if (ref.kind === 'item') {
    const item = findItem(submission, ref);
    if (item && decision.decision === 'reject') item.status = 'rejected';
    return;
  }
  const answers = ref.kind === 'indicator' ? submission.indicators : findItem(submission, ref)?.indicators;
  const code = ref.indicator;
  if (!answers || code === undefined) return;
  const current = answers[code];
  if (!current) return;
  const next: Answer = { ...current };
  if (decision.decision === 'reject') next.status = 'rejected';
  else {
    delete next.level;
    delete next.value;
    if (decision.level !== undefined) next.level = decision.level;
    if (decision.value !== undefined) next.value = decision.value;
    next.status = 'accepted';
  }
  answers[code] = next;
}

function findItem(submission: Submission, ref: AnswerRef) {
  if (ref.group === undefined) return undefined;
  return submission.groups[ref.group]?.find((item) => item.id === ref.itemId);
}

/** The verified submission: the canonical one with every decision applied (the original is untouched). */
export function applyDecisions(
  submission: Submission,
  catalogue: readonly AnswerRef[],
  decisions: ReadonlyMap<string, DecisionEffect>,
): Submission {
  const copy = structuredClone(submission);
  for (const ref of catalogue) {
    const decision = decisions.get(ref.key);
    if (decision) applyDecisionInPlace(copy, ref, decision);
  }
  return copy;
}

export interface VerificationProgress {
  total: number;
  decided: number;
  /** Complete only when every answer of the catalogue has a decision. */
  complete: boolean;
  undecided: string[];
  byDecision: Record<DecisionKind, number>;
}

export function verificationProgress(
  catalogue: readonly AnswerRef[],
  decisions: ReadonlyMap<string, Pick<DecisionInput, 'decision'>>,
): VerificationProgress {
  const byDecision: Record<DecisionKind, number> = { accept: 0, adjust: 0, reject: 0 };
  const undecided: string[] = [];
  for (const ref of catalogue) {
    const d = decisions.get(ref.key);
    if (d) byDecision[d.decision]++;
    else undecided.push(ref.key);
  }
  return {
    total: catalogue.length,
    decided: catalogue.length - undecided.length,
    complete: undecided.length === 0,
    undecided,
    byDecision,
  };
}

export { isReasonCode, type ReasonCode };
