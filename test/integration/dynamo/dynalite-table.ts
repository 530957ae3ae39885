import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createRepositories, type Repositories } from '#adapters/dynamo/index';
import { createTableInput } from '#adapters/dynamo/table-definition';
import { createDynamoServer } from '#local/storage/dynamo';

export interface TestTable {
  tableName: string;
  doc: DynamoDBDocumentClient;
  repos: Repositories;
  /** Repositories with a fixed clock. */
  reposAt: (iso: string) => Repositories;
  close: () => Promise<void>;
}

/** Starts dynalite in-process on a free port and creates the table from the stack's own definition. */
export async function startTestTable(tableName = 'indeks-test'): Promise<TestTable> {
  // The runtime's own dynalite (iterators closed, items written with their index entries), in memory.
  const server = createDynamoServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-southeast-3',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists(
    { client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 },
    { TableName: tableName },
  );
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    tableName,
    doc,
    repos: createRepositories(doc, tableName),
    reposAt: (iso) => createRepositories(doc, tableName, { now: () => new Date(iso) }),
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
