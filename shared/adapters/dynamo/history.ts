import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './client';
import { keys, segment, utc } from './keys';
import { decodeCursor, pageSize, toPage } from './pagination';
import { fromItem, type TableContext } from './records';
import type { Page, PageRequest, RegionHistoryEntry } from './types';

const STATUS_ORDER = { PROVISIONAL: 0, FINAL: 1 } as const;

export interface HistoryQuery extends PageRequest {
  /** Only this index (IKKD, IID, IPKD). */
  index?: string;
}

/** A region's results across cycles: one entry per cycle, pointing at the run that counts. */
export class HistoryRepository {
  constructor(private readonly ctx: TableContext) {}

  /**
   * Records the region's result of a cycle. A FINAL run beats a PROVISIONAL one, a newer run beats
   * an older one of the same status; anything else is `stale` and changes nothing.
   */
  async record(entry: RegionHistoryEntry): Promise<'applied' | 'stale'> {
    const runOrder = `${STATUS_ORDER[entry.runStatus]}#${utc(entry.runStartedAt)}#${entry.runId}`;
    try {
      await this.ctx.doc.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: {
            ...keys.history(entry.kode, entry.index, entry.period, entry.cycleId),
            entity: 'HISTORY',
            runOrder,
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR runOrder <= :order',
          ExpressionAttributeValues: { ':order': runOrder },
        }),
      );
      return 'applied';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'stale';
      throw error;
    }
  }

  /** Grouped by index, oldest period first within an index. */
  async list(kode: string, query: HistoryQuery = {}): Promise<Page<RegionHistoryEntry>> {
    const prefix = query.index ? `HIST#${segment(query.index, 'index')}#` : 'HIST#';
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.historyPartition(kode), ':prefix': prefix },
        Limit: pageSize(query),
        ExclusiveStartKey: decodeCursor(query.cursor, {
          partition: keys.historyPartition(kode),
          sortPrefix: prefix,
        }),
      }),
    );
    return toPage(
      (out.Items ?? []).map((item) => fromItem<RegionHistoryEntry>(item)),
      out.LastEvaluatedKey,
    );
  }
}
