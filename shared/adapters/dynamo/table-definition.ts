import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one description of the single table: the CDK stack, the repositories, the integration tests
 * and the local runtime all read it from here, so the key schema cannot drift between them.
 * Plain data only (no CDK, no SDK runtime imports) so that Lambda bundles stay small.
 */

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** Epoch seconds. Only disposable records (idempotency) carry it; evidence never expires. */
export const TTL_ATTRIBUTE = 'expiresAt';

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** Overloaded index #1: cycle list, submissions by status, runs by start time, rankings by province. */
export const GSI1: IndexDefinition = { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' };
/** Overloaded index #2: cycles due for a transition, submissions by upload time, runs by status. */
export const GSI2: IndexDefinition = { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' };

export const TABLE_DEFINITION = {
  partitionKey: PARTITION_KEY,
  sortKey: SORT_KEY,
  /** Every key attribute is a string. Both GSIs project ALL attributes. */
  globalSecondaryIndexes: [GSI1, GSI2],
  timeToLiveAttribute: TTL_ATTRIBUTE,
} as const;

/** CreateTable input for emulators and tests (on-demand, same keys and indexes as the stack). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributeNames = new Set<string>([PARTITION_KEY, SORT_KEY]);
  for (const index of TABLE_DEFINITION.globalSecondaryIndexes) {
    attributeNames.add(index.partitionKey);
    attributeNames.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributeNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
