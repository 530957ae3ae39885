import type { DecisionSlot, LedgerPort } from '#adapters/dynamo/index';
import { type LedgerActor, type LedgerValue, SYSTEM_ACTOR } from '#domain/ledger/index';
import type { Decision, Objection } from '#domain/verification/index';

const plain = (value: unknown): LedgerValue => JSON.parse(JSON.stringify(value)) as LedgerValue;

/**
 * Every stored verification decision: one entry per region and slot per request (primary/second
 * `decision.recorded`, slot A `decision.adjudicated`), each decision in `after.decisions`. One
 * entry, not one per answer: a sheet of hundreds of answers stays one ledger write per region.
 */
export async function recordDecisions(
  ledger: LedgerPort,
  actor: LedgerActor,
  cycleId: string,
  kode: string,
  slot: DecisionSlot,
  decisions: readonly Decision[],
): Promise<void> {
  const first = decisions[0];
  if (!first) return;
  // An API request is not retried by the platform: no idempotency key (a client's resend is a new decision).
  await ledger.append(cycleId, {
    action: slot === 'A' ? 'decision.adjudicated' : 'decision.recorded',
    actor,
    at: first.at,
    subject: { region: kode, slot, ...(decisions.length === 1 ? { answer: first.answer } : {}) },
    after: { decisions: decisions.map(({ assessor: _assessor, at: _at, ...decision }) => plain(decision)) },
  });
}

/** A filed objection (`objection.filed`) or its resolution (`objection.resolved`, with the reason). */
export async function recordObjection(
  ledger: LedgerPort,
  actor: LedgerActor,
  cycleId: string,
  objection: Objection,
): Promise<void> {
  const resolution = objection.resolution;
  const subject = { region: objection.region, answer: objection.answer };
  await ledger.append(
    cycleId,
    resolution
      ? {
          action: 'objection.resolved',
          actor,
          at: resolution.at,
          subject,
          before: plain(objection.contested),
          after: plain({
            status: objection.status,
            ...(resolution.decision ? { decision: resolution.decision } : {}),
          }),
          reason: resolution.reason,
          idempotencyKey: `objection-resolved:${cycleId}:${objection.id}`,
        }
      : {
          action: 'objection.filed',
          actor,
          at: objection.filedAt,
          subject,
          before: plain(objection.contested),
          after: plain({
            claim: objection.claim,
            evidence: objection.evidence,
            respondBy: objection.respondBy,
          }),
          idempotencyKey: `objection-filed:${cycleId}:${objection.id}`,
        },
  );
}

/** A verification phase move (`verification.phase-changed`); the key makes a replayed move one entry. */
export async function recordPhaseChange(
  ledger: LedgerPort,
  cycleId: string,
  move: {
    from: string | null;
    to: string;
    by: string;
    trigger: 'admin' | 'schedule';
    at: string;
    reason?: string;
  },
): Promise<void> {
  await ledger.append(cycleId, {
    action: 'verification.phase-changed',
    actor: move.trigger === 'schedule' ? SYSTEM_ACTOR : { sub: move.by, role: 'admin' },
    at: move.at,
    subject: { stage: 'verification' },
    before: move.from,
    after: move.to,
    ...(move.reason ? { reason: move.reason } : {}),
    idempotencyKey: `phase:${cycleId}:${move.from ?? 'none'}:${move.to}`,
  });
}
