import type { AssignmentRecord, DecisionRecord, DecisionSlot, StageRecord } from '#adapters/dynamo/index';
import type { Problem, ProblemLocation } from '#domain/problems';
import {
  type AnswerRef,
  catalogueMap,
  countingDecision,
  type Decision,
  type DecisionInput,
  decisionProblems,
  finalRefusal,
  mayVerify,
  verificationProgress,
} from '#domain/verification/index';
import type { Caller } from '#http/auth';
import { hasRole } from '#http/auth';
import { badRequest, conflict, forbidden, notFound } from '#http/errors';
import { ledgerActor } from '#http/ledger-actor';
import { regionSubmission, stageOf, type VerificationDeps } from './deps';
import { recordDecisions } from './ledger';

/** Nothing changes after final; decisions are taken during VERIFICATION only. */
export function assertPhase(
  stage: StageRecord,
  allowed: readonly string[],
  action: { id: string; en: string },
) {
  if (stage.phase === 'FINAL') {
    const p = finalRefusal();
    throw conflict(p.code, p.message_id, p.message_en);
  }
  if (!allowed.includes(stage.phase ?? ''))
    throw conflict(
      'PHASE_CLOSED',
      `${action.id} hanya pada tahap ${allowed.join(' / ')}; tahap sekarang: ${stage.phase ?? 'belum dimulai'}.`,
      `${action.en} only in phase ${allowed.join(' / ')}; the current phase is ${stage.phase ?? 'not started'}.`,
    );
}

/**
 * Which slot a caller decides in for a region: its primary or second assessor; an admin
 * adjudicates (slot A). Conflict of interest is checked on the token's home province.
 */
export function slotOf(caller: Caller, kode: string, assignment: AssignmentRecord | undefined): DecisionSlot {
  if (hasRole(caller, 'admin')) return 'A';
  if (!hasRole(caller, 'assessor'))
    throw forbidden(
      'Keputusan verifikasi hanya oleh penilai atau admin.',
      'Verification decisions are made by assessors or admins only.',
    );
  if (!caller.province || !mayVerify({ province: caller.province }, kode))
    throw forbidden(
      `Konflik kepentingan: penilai dari provinsi ${caller.province ?? '(tidak diketahui)'} tidak boleh memverifikasi wilayah ${kode}.`,
      `Conflict of interest: an assessor from province ${caller.province ?? '(unknown)'} may not verify region ${kode}.`,
    );
  if (assignment?.primary === caller.subject) return 'P';
  if (assignment?.second === caller.subject) return 'S';
  throw notFound(`Penugasan verifikasi wilayah ${kode}`, `Verification assignment of region ${kode}`);
}

export interface CountedDecisions {
  counting: Map<string, Decision>;
  bySlot: Record<DecisionSlot, Map<string, DecisionRecord>>;
  awaitingAdjudication: string[];
}

export function countDecisions(
  catalogue: readonly AnswerRef[],
  records: readonly DecisionRecord[],
  assignment: Pick<AssignmentRecord, 'second'> | undefined,
): CountedDecisions {
  const bySlot: CountedDecisions['bySlot'] = { P: new Map(), S: new Map(), A: new Map() };
  for (const r of records) bySlot[r.slot].set(r.answer, r);
  const counting = new Map<string, Decision>();
  const awaitingAdjudication: string[] = [];
  for (const ref of catalogue) {
    const second = assignment?.second ? bySlot.S.get(ref.key) : undefined;
    const primary = bySlot.P.get(ref.key);
    const d = countingDecision(ref, primary, second, bySlot.A.get(ref.key));
    if (d) counting.set(ref.key, d);
    else if (primary && second) awaitingAdjudication.push(ref.key);
  }
  return { counting, bySlot, awaitingAdjudication };
}

export async function regionDecisions(deps: VerificationDeps, cycleId: string, kode: string) {
  const region = await regionSubmission(deps, cycleId, kode);
  const [records, assignment] = await Promise.all([
    deps.repos.verification.listDecisions(cycleId, kode),
    deps.repos.verification.getAssignment(cycleId, kode),
  ]);
  const counted = countDecisions(region.catalogue, records, assignment);
  return {
    ...region,
    assignment,
    counted,
    progress: verificationProgress(region.catalogue, counted.counting),
  };
}

/** Validates every decision (each problem with its row or index) and stores them all, or none. */
export async function decide(
  deps: VerificationDeps,
  caller: Caller,
  cycleId: string,
  batches: { kode: string; inputs: { input: DecisionInput; where: ProblemLocation }[] }[],
  /** Problems found before (a sheet's unreadable rows): reported together with the others. */
  earlier: readonly Problem[] = [],
): Promise<{ stored: number; regions: string[] }> {
  const stage = await stageOf(deps, cycleId);
  assertPhase(stage, ['VERIFICATION'], { id: 'Keputusan verifikasi', en: 'Verification decisions' });
  const problems: Problem[] = [...earlier];
  const writes: { kode: string; slot: DecisionSlot; decisions: Decision[] }[] = [];
  const at = deps.now().toISOString();
  for (const batch of batches) {
    const assignment = await deps.repos.verification.getAssignment(cycleId, batch.kode);
    const slot = slotOf(caller, batch.kode, assignment);
    const region = await regionSubmission(deps, cycleId, batch.kode);
    const refs = catalogueMap(region.catalogue);
    const decisions: Decision[] = [];
    for (const { input, where } of batch.inputs) {
      const found = decisionProblems(region.methodology, refs, input, where);
      problems.push(...found);
      if (found.length === 0) decisions.push({ ...input, assessor: caller.subject, at });
    }
    writes.push({ kode: batch.kode, slot, decisions });
  }
  if (problems.length > 0)
    throw badRequest(
      'DECISIONS_INVALID',
      `${problems.length} masalah pada keputusan; tidak ada yang disimpan. Perbaiki semua yang disebut di "problems" lalu kirim ulang.`,
      `${problems.length} problems in the decisions; nothing was stored. Fix everything "problems" names and send again.`,
      problems,
    );
  let stored = 0;
  const actor = ledgerActor(caller, 'assessor', 'admin');
  for (const w of writes) {
    await deps.repos.verification.putDecisions(cycleId, w.kode, w.slot, w.decisions);
    await recordDecisions(deps.ledger, actor, cycleId, w.kode, w.slot, w.decisions);
    stored += w.decisions.length;
  }
  return { stored, regions: writes.map((w) => w.kode) };
}
