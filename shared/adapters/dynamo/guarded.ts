import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './client';
import type { TableKey } from './keys';
import type { Item, TableContext } from './records';
import type { StatusChange } from './types';

/** The entry a status change appends to a record's history. */
export function statusEntry<S extends string>(
  status: S,
  at: string,
  options: { by?: string; reason?: string },
): StatusChange<S> {
  return {
    status,
    at,
    ...(options.by ? { by: options.by } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  };
}

/**
 * The one idempotent create of the table: puts the item only if no item with its key exists.
 * Events arrive twice and writers race, so a create must be safe to replay: true when written,
 * false when the key was already taken (a replay or a lost race; the stored item is left as it
 * was). Any other error propagates unchanged.
 */
export async function putIfAbsent(ctx: TableContext, item: Item): Promise<boolean> {
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

export interface GuardedUpdate {
  key: TableKey;
  /** Statuses the item may be in for the change to apply; none means it never applies. */
  from: readonly string[];
  /** The whole update expression (`SET …`, and any `REMOVE …`). */
  update: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
  /** A further condition ANDed to the status guard (e.g. `currentRunId = :whileRunId`). */
  condition?: string;
}

/**
 * The one guarded status change of the table (cycles, runs, submissions): the update applies only
 * if the item exists and its `status` is one of `from`, atomically. Returns the item as written,
 * or undefined when the guard refused (the caller reads the item to tell not-found, unchanged and
 * rejected apart), so a replayed change is harmless.
 */
export async function guardedUpdate(ctx: TableContext, change: GuardedUpdate): Promise<Item | undefined> {
  if (change.from.length === 0) return undefined;
  const values: Record<string, unknown> = { ...change.values };
  const allowed = change.from.map((status, i) => {
    values[`:from${i}`] = status;
    return `:from${i}`;
  });
  try {
    const out = await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: change.key,
        UpdateExpression: change.update,
        ConditionExpression: `attribute_exists(pk) AND #status IN (${allowed.join(', ')})${change.condition ? ` AND ${change.condition}` : ''}`,
        ExpressionAttributeNames: { '#status': 'status', ...change.names },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (!out.Attributes) throw new Error('UpdateItem returned no attributes');
    return out.Attributes;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}
