import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now as productNow } from '../clock';
import { isConditionalCheckFailed } from './client';
import { keys } from './keys';
import { fromItem, nowIso, type TableContext } from './records';
import { TTL_ATTRIBUTE } from './table-definition';
import type { IdempotencyRecord } from './types';

export type Claim =
  | { claimed: true; record: IdempotencyRecord }
  | { claimed: false; record: IdempotencyRecord };

/**
 * Disposable "do this once" records (TTL). Claim before a side effect, complete after it;
 * a second claim within the TTL sees the first one (and its result once completed).
 */
export class IdempotencyRepository {
  constructor(private readonly ctx: TableContext) {}

  async claim(scope: string, key: string, ttlSeconds: number): Promise<Claim> {
    const now = this.ctx.now ? this.ctx.now() : productNow();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const record: IdempotencyRecord = {
      scope,
      key,
      status: 'IN_PROGRESS',
      expiresAt: nowSeconds + ttlSeconds,
      createdAt: now.toISOString(),
    };
    try {
      await this.ctx.doc.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: { ...keys.idempotency(scope, key), entity: 'IDEMPOTENCY', ...record },
          // TTL deletion lags: an expired record counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return { claimed: true, record };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const existing = await this.get(scope, key);
      if (!existing) return this.claim(scope, key, ttlSeconds);
      return { claimed: false, record: existing };
    }
  }

  async complete(scope: string, key: string, result: Record<string, unknown> = {}): Promise<void> {
    await this.ctx.doc.send(
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.idempotency(scope, key),
        UpdateExpression: 'SET #status = :completed, #result = :result, completedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
        ExpressionAttributeValues: { ':completed': 'COMPLETED', ':result': result, ':at': nowIso(this.ctx) },
      }),
    );
  }

  async get(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({
        TableName: this.ctx.tableName,
        Key: keys.idempotency(scope, key),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem<IdempotencyRecord>(out.Item) : undefined;
  }
}
