import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { Logger } from '../log';
import { HOST } from '../ports';
import type { TableSpec } from '../template/model';

// dynalite ships no types; a typed require keeps the rest of the runtime strict.
type Dynalite = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

/** dynalite on disk (LevelDB under `path`), tables created and updated instantly. */
export function createDynamoServer(path: string): Server {
  return dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
}

export function localClient(port: number, region: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: `http://${HOST}:${port}`,
    region,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
}

function createInput(table: TableSpec): CreateTableCommandInput {
  const p = table.properties;
  return {
    TableName: table.name,
    AttributeDefinitions: p.AttributeDefinitions,
    KeySchema: p.KeySchema,
    BillingMode: 'PAY_PER_REQUEST',
    ...(p.GlobalSecondaryIndexes?.length
      ? {
          GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map((i) => ({
            IndexName: i.IndexName,
            KeySchema: i.KeySchema,
            Projection: {
              ProjectionType: i.Projection.ProjectionType ?? 'ALL',
              NonKeyAttributes: i.Projection.NonKeyAttributes,
            },
          })),
        }
      : {}),
    ...(p.LocalSecondaryIndexes?.length
      ? {
          LocalSecondaryIndexes: p.LocalSecondaryIndexes.map((i) => ({
            IndexName: i.IndexName,
            KeySchema: i.KeySchema,
            Projection: {
              ProjectionType: i.Projection.ProjectionType ?? 'ALL',
              NonKeyAttributes: i.Projection.NonKeyAttributes,
            },
          })),
        }
      : {}),
  };
}

const sameKeys = (
  a: readonly { AttributeName?: string; KeyType?: string }[] | undefined,
  b: readonly { AttributeName: string; KeyType: string }[],
) =>
  JSON.stringify((a ?? []).map((k) => [k.AttributeName, k.KeyType])) ===
  JSON.stringify(b.map((k) => [k.AttributeName, k.KeyType]));

/**
 * Creates each table of the template, or checks a persisted one still matches it: a missing GSI
 * is added; a changed primary key cannot be migrated and is reported (delete `.data/` to reset).
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: readonly TableSpec[],
  logger: Logger,
): Promise<string[]> {
  const created: string[] = [];
  for (const table of tables) {
    const input = createInput(table);
    let description: TableDescription | undefined;
    try {
      description = (await client.send(new DescribeTableCommand({ TableName: table.name }))).Table;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    if (!description) {
      await client.send(new CreateTableCommand(input));
      created.push(table.name);
      continue;
    }
    if (!sameKeys(description.KeySchema, table.properties.KeySchema)) {
      logger.error(
        `Tabel ${table.name} di folder data punya kunci berbeda dari templat; hapus folder data untuk mulai ulang. / Table ${table.name} in the data folder has a different key than the template; delete the data folder to start over.`,
      );
    }
    const have = new Set((description.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of input.GlobalSecondaryIndexes ?? []) {
      if (have.has(index.IndexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: table.name,
          AttributeDefinitions: input.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: index }],
        }),
      );
      logger.info(`Indeks ${index.IndexName} ditambahkan ke / GSI added to ${table.name}`);
    }
  }
  return created;
}
