import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { fromItem, type Item, type TableContext } from './records';

/** A query of the table or an index, without the table name and start key (`queryAll` sets them). */
export type AllPagesQuery = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/**
 * Every item a query matches, following `LastEvaluatedKey` through all pages (DynamoDB stops a
 * page at 1 MB). For small, bounded sets only (a region's evidence, a province's regions);
 * lists a caller pages through use `decodeCursor`/`toPage` instead.
 */
export async function queryAll(ctx: TableContext, query: AllPagesQuery): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await ctx.doc.send(
      new QueryCommand({
        TableName: ctx.tableName,
        ...query,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...((out.Items ?? []) as Item[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every record of a partition whose sort key starts with `prefix`, all pages, keys dropped. */
export async function queryPrefix<T>(ctx: TableContext, pk: string, prefix: string): Promise<T[]> {
  const items = await queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
  });
  return items.map((item) => fromItem<T>(item));
}
