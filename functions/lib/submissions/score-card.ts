import type { ScoreCardRecord } from '#adapters/dynamo/index';
import { roundDecimal } from '#domain/engine/display';
import type { NodeTrace, ScoreCard } from '#domain/engine/index';

/** The full provisional score card written to `scorecards/…/{submissionId}.json`. */
export interface ScoreCardDocument {
  schema: 'indeks/score-card@1';
  submissionId: string;
  cycleId: string;
  kode: string;
  provisional: boolean;
  /** Exactly what was scored: the canonical submission and the SHA-256 of its bytes. */
  input: { key: string; sha256: string };
  computedAt: string;
  card: ScoreCard;
}

const nodeId = (node: NodeTrace): string => (node.kind === 'indicator' ? node.code : node.id);

export interface CardContext {
  cycleId: string;
  kode: string;
  submissionId: string;
  traceKey: string;
  computedAt: string;
}

/** The small summary kept in the table; the trace stays in S3. */
export function scoreCardRecord(card: ScoreCard, ctx: CardContext): ScoreCardRecord {
  const components: Record<string, number> = {};
  for (const child of card.breakdown.children)
    components[nodeId(child)] = roundDecimal(child.contribution ?? 0, 4);
  const reasons = card.ineligibility.map((i) => i.message_id);
  return {
    cycleId: ctx.cycleId,
    kode: ctx.kode,
    submissionId: ctx.submissionId,
    methodology: { id: card.methodology.id, hash: card.methodology.hash },
    total: roundDecimal(card.rawTotal, 4),
    maximum: card.rawMax,
    indexValue: Number(card.display),
    predikat: card.predikat,
    eligible: card.eligible,
    ...(reasons.length > 0 ? { ineligibleReason: reasons.join('; ') } : {}),
    components,
    traceKey: ctx.traceKey,
    computedAt: ctx.computedAt,
  };
}
