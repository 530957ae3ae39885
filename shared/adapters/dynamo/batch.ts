import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Item, TableContext } from './records';

const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes items in batches of 25, retrying unprocessed items with jittered backoff. Only for items
 * whose rewrite is harmless (deterministic content of a run); guarded writes use single-item calls.
 */
export async function batchPut(ctx: TableContext, items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_SIZE) {
    let pending = items.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`batch write left ${pending.length} unprocessed items`);
      if (attempt > 0) await sleep(Math.random() * Math.min(2000, 50 * 2 ** attempt));
      const out = await ctx.doc.send(new BatchWriteCommand({ RequestItems: { [ctx.tableName]: pending } }));
      const unprocessed = out.UnprocessedItems?.[ctx.tableName] ?? [];
      pending = unprocessed.flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }
}
