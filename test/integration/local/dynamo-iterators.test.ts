import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { close, listen } from '#local/ports';
import { createDynamoServer, levelIteratorPrototype, localClient } from '#local/storage/dynamo';

/**
 * Issue 9 §4: dynalite never closed the LevelDB iterator behind a Query or Scan (it calls a
 * `return()` abstract-level's iterators do not have), so every read pinned native memory for the
 * runtime's lifetime. Every iterator opened must be closed once its request is answered.
 */
let dir: string;
let server: ReturnType<typeof createDynamoServer>;
let client: DynamoDBClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-dynamo-iterators-'));
  server = createDynamoServer(join(dir, 'dynamodb'));
  const port = await listen(server, { port: 0, label: 'DynamoDB', envVar: 'INDEKS_DYNAMODB_PORT' });
  client = localClient(port, 'ap-southeast-3');
  await client.send(
    new CreateTableCommand({
      TableName: 'iterators',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 30; i++) {
    await client.send(
      new PutItemCommand({
        TableName: 'iterators',
        Item: { pk: { S: 'p' }, sk: { S: `s${String(i).padStart(2, '0')}` } },
      }),
    );
  }
}, 60_000);
afterAll(async () => {
  client?.destroy();
  if (server) await close(server);
  await rm(dir, { recursive: true, force: true });
});

describe('dynalite reads on the local runtime', () => {
  it('close the LevelDB iterator of every Query and Scan, read to the end or cut short by Limit', async () => {
    const closed = vi.spyOn(levelIteratorPrototype(), 'close');
    try {
      const query = (limit?: number) =>
        client.send(
          new QueryCommand({
            TableName: 'iterators',
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'p' } },
            ...(limit ? { Limit: limit } : {}),
          }),
        );
      for (let i = 0; i < 10; i++) expect((await query()).Count).toBe(30);
      for (let i = 0; i < 10; i++) expect((await query(5)).LastEvaluatedKey).toBeDefined();
      for (let i = 0; i < 10; i++)
        expect((await client.send(new ScanCommand({ TableName: 'iterators' }))).Count).toBe(30);
      // Closing may finish just after the answer went out.
      await vi.waitFor(() => expect(closed.mock.calls.length).toBeGreaterThanOrEqual(30));
    } finally {
      closed.mockRestore();
    }
  });
});
