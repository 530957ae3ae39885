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
import { atomicItemWrites, type DynaliteStore, lastCreatedStore } from './dynalite-atomic';
import { type IndexRepair, repairIndexes } from './dynalite-repair';

// dynalite ships no types; a typed require keeps the rest of the runtime strict.
type Dynalite = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;
const requireHere = createRequire(import.meta.url);
const dynalite = requireHere('dynalite') as Dynalite;

/** The part of abstract-level's iterators the fix below relies on. */
export interface LevelIterator {
  close(): Promise<void>;
  return?: () => Promise<{ done: true; value: undefined }>;
}

/**
 * The prototype every iterator of dynalite's LevelDB (classic-level) and in-memory (memory-level)
 * stores inherits from: abstract-level's CommonIterator, resolved the way dynalite resolves it.
 */
export function levelIteratorPrototype(): LevelIterator {
  const fromDynalite = createRequire(requireHere.resolve('dynalite'));
  const fromClassic = createRequire(createRequire(fromDynalite.resolve('level')).resolve('classic-level'));
  const { AbstractIterator } = fromClassic('abstract-level') as { AbstractIterator: { prototype: object } };
  return Object.getPrototypeOf(AbstractIterator.prototype) as LevelIterator;
}

/**
 * dynalite 4 reads every Query and Scan through a stream whose destroy calls `iterator.return()`
 * "if it exists"; abstract-level 3 iterators have `close()` and no `return()`, so no iterator was
 * ever closed. Each open LevelDB iterator pins its snapshot (memtables, blocks: native memory) and
 * stays in the store's resource set: 15,000 after one demo, and the runtime's RSS grew by about
 * 0.5 GB per demo (issue 9 §4). Giving the iterators the `return()` of the async-iterator protocol
 * closes them when the stream ends or is cut short.
 */
export function closeLevelIteratorsOnReturn(proto: LevelIterator = levelIteratorPrototype()): void {
  if (Object.hasOwn(proto, 'return')) return;
  Object.defineProperty(proto, 'return', {
    configurable: true,
    writable: true,
    value: async function (this: LevelIterator) {
      await this.close();
      return { done: true, value: undefined };
    },
  });
}

/**
 * dynalite on disk (LevelDB under `path`; in memory without one, for tests), tables created and updated instantly, each item written
 * together with its index entries (a kill never leaves one without the other).
 */
export function createDynamoServer(path?: string): Server {
  closeLevelIteratorsOnReturn();
  atomicItemWrites();
  const server = dynalite({
    ...(path ? { path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const store = lastCreatedStore();
  if (store) stores.set(server, store);
  return server;
}

const stores = new WeakMap<Server, DynaliteStore>();

/**
 * After an unclean stop: every index entry rebuilt from the items (see repairIndexes). Data
 * folders written before item writes were atomic may hold an item its index lost.
 */
export async function repairDynamoIndexes(server: Server): Promise<IndexRepair> {
  const store = stores.get(server);
  if (!store) throw new Error('not a server made by createDynamoServer');
  return repairIndexes(store);
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
