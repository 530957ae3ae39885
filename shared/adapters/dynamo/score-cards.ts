import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { putIfAbsent } from './guarded';
import { keys } from './keys';
import { fromItem, type TableContext } from './records';
import type { ScoreCardRecord } from './types';

/** Provisional score cards, one per scored submission; the full trace lives in S3 (`traceKey`). */
export class ScoreCardRepository {
  constructor(private readonly ctx: TableContext) {}

  /** Writes the card once; a replay returns the stored card with `created: false`. */
  async put(card: ScoreCardRecord): Promise<{ created: boolean; card: ScoreCardRecord }> {
    const created = await putIfAbsent(this.ctx, {
      ...keys.scoreCard(card.cycleId, card.kode, card.submissionId),
      entity: 'SCORE_CARD',
      ...card,
    });
    if (created) return { created: true, card };
    const existing = await this.get(card.cycleId, card.kode, card.submissionId);
    if (!existing) throw new Error(`score card ${card.submissionId} vanished after a conditional put`);
    return { created: false, card: existing };
  }

  async get(cycleId: string, kode: string, submissionId: string): Promise<ScoreCardRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({
        TableName: this.ctx.tableName,
        Key: keys.scoreCard(cycleId, kode, submissionId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem<ScoreCardRecord>(out.Item) : undefined;
  }

  /** Every card of a region in a cycle (a handful: one per scored upload). */
  async listForRegion(cycleId: string, kode: string): Promise<ScoreCardRecord[]> {
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.regionPartition(cycleId, kode), ':prefix': 'CARD#' },
      }),
    );
    return (out.Items ?? []).map((item) => fromItem<ScoreCardRecord>(item));
  }
}
