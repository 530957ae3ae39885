import { formatWib, windowStateBetween } from '../cycle';
import { type Problem, problem } from '../problems';
import type { AnswerRef } from './catalogue';
import type { Decision, DecisionEffect } from './decisions';

/**
 * Sanggah: an operator objects to a decision on its own region's answer during the sanggah window,
 * one objection per answer; an assessor other than the one who decided resolves it `upheld` (the
 * decision changes) or `dismissed`, with a reason, before the cycle's response deadline.
 */
export type ObjectionStatus = 'open' | 'upheld' | 'dismissed';

export interface Objection {
  id: string;
  region: string;
  answer: string;
  claim: string;
  /** Object keys of the new evidence (presigned uploads of kind `objection`). */
  evidence: string[];
  filedBy: string;
  filedAt: string;
  /** The contested decision, as it was when the objection was filed. */
  contested: Decision;
  respondBy: string;
  status: ObjectionStatus;
  resolution?: {
    by: string;
    at: string;
    reason: string;
    /** Upheld: the decision that now counts (default: accept the region's answer). */
    decision?: DecisionEffect;
  };
}

export interface SanggahWindow {
  opensAt: string;
  closesAt: string;
  /** Resolutions are due by this instant. */
  respondBy: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const fail = (code: string, path: string, id: string, en: string): Outcome<never> => ({
  ok: false,
  problems: [problem(code, 'error', { path }, id, en)],
});

/** Whether objections are taken now; if not, why, with the dates in WIB. */
export function sanggahRefusal(window: SanggahWindow, now: Date): Problem | undefined {
  const state = windowStateBetween(window.opensAt, window.closesAt, now);
  if (state === 'open') return undefined;
  const opens = formatWib(window.opensAt);
  const closes = formatWib(window.closesAt);
  return state === 'not-open'
    ? problem(
        'SANGGAH_NOT_OPEN',
        'error',
        { path: 'sanggah' },
        `Masa sanggah belum dibuka; dibuka ${opens} sampai ${closes}.`,
        `The objection (sanggah) window is not open yet; it runs from ${opens} to ${closes}.`,
      )
    : problem(
        'SANGGAH_CLOSED',
        'error',
        { path: 'sanggah' },
        `Masa sanggah sudah ditutup pada ${closes} (dibuka ${opens}).`,
        `The objection (sanggah) window closed at ${closes} (it opened ${opens}).`,
      );
}

export function fileObjection(input: {
  id: string;
  region: string;
  ref: AnswerRef | undefined;
  answer: string;
  claim: string;
  evidence: readonly string[];
  filedBy: string;
  now: Date;
  window: SanggahWindow;
  decision: Decision | undefined;
  existing: readonly Pick<Objection, 'answer'>[];
}): Outcome<Objection> {
  const refusal = sanggahRefusal(input.window, input.now);
  if (refusal) return { ok: false, problems: [refusal] };
  if (!input.ref)
    return fail(
      'ANSWER_UNKNOWN',
      input.answer,
      `Jawaban "${input.answer}" tidak ada pada isian daerah ${input.region}.`,
      `Answer "${input.answer}" is not in region ${input.region}'s submission.`,
    );
  if (!input.decision || input.decision.decision === 'accept')
    return fail(
      'NOTHING_TO_OBJECT',
      input.answer,
      `Jawaban ${input.answer} diterima apa adanya; sanggah hanya untuk jawaban yang disesuaikan atau ditolak.`,
      `Answer ${input.answer} was accepted as is; objections are for adjusted or rejected answers only.`,
    );
  if (input.existing.some((o) => o.answer === input.answer))
    return fail(
      'OBJECTION_EXISTS',
      input.answer,
      `Sanggah untuk jawaban ${input.answer} sudah diajukan; satu sanggah per jawaban.`,
      `An objection to answer ${input.answer} was already filed; one objection per answer.`,
    );
  if (!input.claim.trim())
    return fail(
      'CLAIM_REQUIRED',
      'claim',
      'Tuliskan alasan sanggah (mengapa keputusan harus diubah).',
      'Write the claim (why the decision should change).',
    );
  return {
    ok: true,
    value: {
      id: input.id,
      region: input.region,
      answer: input.answer,
      claim: input.claim,
      evidence: [...input.evidence],
      filedBy: input.filedBy,
      filedAt: input.now.toISOString(),
      contested: input.decision,
      respondBy: input.window.respondBy,
      status: 'open',
    },
  };
}

export function resolveObjection(
  objection: Objection,
  input: {
    by: string;
    now: Date;
    outcome: 'upheld' | 'dismissed';
    reason: string;
    decision?: DecisionEffect;
  },
): Outcome<Objection> {
  if (objection.status !== 'open')
    return fail(
      'OBJECTION_RESOLVED',
      objection.answer,
      `Sanggah ini sudah diputuskan (${objection.status}).`,
      `This objection is already resolved (${objection.status}).`,
    );
  if (input.by === objection.contested.assessor)
    return fail(
      'RESOLVER_IS_DECIDER',
      objection.answer,
      'Sanggah harus diputuskan oleh penilai lain, bukan penilai yang membuat keputusan awal.',
      'An objection is resolved by another assessor, not the one who made the decision.',
    );
  if (!input.reason.trim())
    return fail(
      'REASON_REQUIRED',
      'reason',
      'Tuliskan alasan putusan sanggah.',
      'Write the reason for the resolution.',
    );
  if (input.outcome === 'dismissed' && input.decision)
    return fail(
      'DECISION_NOT_EXPECTED',
      'decision',
      'Sanggah yang ditolak tidak mengubah keputusan; kosongkan keputusan baru.',
      'A dismissed objection does not change the decision; leave the new decision empty.',
    );
  const decision: DecisionEffect | undefined =
    input.outcome === 'upheld' ? (input.decision ?? { decision: 'accept' }) : undefined;
  return {
    ok: true,
    value: {
      ...objection,
      status: input.outcome,
      resolution: {
        by: input.by,
        at: input.now.toISOString(),
        reason: input.reason,
        ...(decision ? { decision } : {}),
      },
    },
  };
}

/** Objections still open after their response deadline: flagged to admins. */
export const overdueObjections = (objections: readonly Objection[], now: Date): Objection[] =>
  objections.filter((o) => o.status === 'open' && now.getTime() > Date.parse(o.respondBy));

/**
 * The decisions after the sanggah: each upheld objection replaces the contested decision with its
 * resolution's decision; everything else stays as verified.
 */
export function decisionsAfterSanggah<D extends DecisionEffect>(
  verified: ReadonlyMap<string, D>,
  objections: readonly Objection[],
  toDecision: (objection: Objection, effect: DecisionEffect) => D,
): Map<string, D> {
  const out = new Map(verified);
  for (const o of objections)
    if (o.status === 'upheld' && o.resolution?.decision)
      out.set(o.answer, toDecision(o, o.resolution.decision));
  return out;
}
