import type { DecisionSlot, LedgerPort } from '#adapters/dynamo/index';
import type { LedgerActor, LedgerValue } from '#domain/ledger/index';
import type { Decision, Objection } from '#domain/verification/index';

const plain = (value: unknown): LedgerValue => JSON.parse(JSON.stringify(value)) as LedgerValue;

/** Every stored verification decision: primary/second as `decision.recorded`, slot A as `decision.adjudicated`. */
export async function recordDecisions(
  ledger: LedgerPort,
  actor: LedgerActor,
  cycleId: string,
  kode: string,
  slot: DecisionSlot,
  decisions: readonly Decision[],
): Promise<void> {
  for (const d of decisions) {
    const { assessor: _assessor, at, ...decision } = d;
    await ledger.append(cycleId, {
      action: slot === 'A' ? 'decision.adjudicated' : 'decision.recorded',
      actor,
      at,
      subject: { region: kode, answer: d.answer, slot },
      after: plain(decision),
      idempotencyKey: `decision:${cycleId}:${kode}:${slot}:${d.answer}:${at}`,
    });
  }
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
