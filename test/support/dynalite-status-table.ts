import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/** A table whose GSI partitions items by `status`, as the submissions' status index does. */
export const TABLE = 'atomic';
export const INDEX = 'byStatus';
export const STATUSES = ['A', 'B', 'C'] as const;
export const ITEMS = 40;

export async function createStatusTable(client: DynamoDBClient): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: INDEX,
            KeySchema: [
              { AttributeName: 'status', KeyType: 'HASH' },
              { AttributeName: 'pk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/** Moves item `pk` to `status` (its GSI partition); `n` counts the writer's rounds. */
export async function setStatus(
  client: DynamoDBClient,
  pk: string,
  status: string,
  n?: number,
): Promise<void> {
  await client.send(
    new UpdateItemCommand({
      TableName: TABLE,
      Key: { pk: { S: pk } },
      UpdateExpression: n === undefined ? 'SET #s = :s' : 'SET #s = :s, n = :n',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':s': { S: status },
        ...(n === undefined ? {} : { ':n': { N: String(n) } }),
      },
    }),
  );
}
