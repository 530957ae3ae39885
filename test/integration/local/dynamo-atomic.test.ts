import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBClient, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, listen } from '#local/ports';
import {
  atomicItemWrites,
  dynaliteDbModule,
  type LevelOperation,
  lastCreatedStore,
} from '#local/storage/dynalite-atomic';
import { createDynamoServer, localClient, repairDynamoIndexes } from '#local/storage/dynamo';
import { createStatusTable, INDEX, STATUSES, setStatus, TABLE } from '#test/support/dynalite-status-table';

/**
 * Issue 9 §2: a kill between dynalite's separate writes of one update (old index entry deleted,
 * new one put, item put) left an item the status index no longer listed, so the sweeper could
 * never find the stuck submission. Each write must reach LevelDB as one batch, and after a real
 * SIGKILL during a storm of index-moving updates every item must sit in exactly the index
 * partition its attributes name.
 */

const ROOT = join(import.meta.dirname, '..', '..', '..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-dynamo-atomic-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function serve<T>(
  path: string,
  use: (client: DynamoDBClient, server: ReturnType<typeof createDynamoServer>) => Promise<T>,
): Promise<T> {
  const server = createDynamoServer(path);
  const port = await listen(server, { port: 0, label: 'DynamoDB', envVar: 'INDEKS_DYNAMODB_PORT' });
  const client = localClient(port, 'ap-southeast-3');
  try {
    return await use(client, server);
  } finally {
    client.destroy();
    await close(server);
  }
}

/** Every item with the index entry its status names, and no index entry without its item. */
async function indexAgreesWithItems(client: DynamoDBClient) {
  const items = new Map<string, string>();
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: TABLE, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    for (const i of page.Items ?? []) items.set(i.pk?.S ?? '', i.status?.S ?? '');
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  const indexed = new Map<string, string[]>();
  for (const status of STATUSES) {
    const page = await client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: INDEX,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: status } },
      }),
    );
    for (const i of page.Items ?? []) {
      const pk = i.pk?.S ?? '';
      indexed.set(pk, [...(indexed.get(pk) ?? []), status]);
    }
  }
  const disagreeing = [...new Set([...items.keys(), ...indexed.keys()])].filter(
    (pk) => JSON.stringify(indexed.get(pk) ?? []) !== JSON.stringify(items.has(pk) ? [items.get(pk)] : []),
  );
  return { items: items.size, disagreeing };
}

describe('dynalite on the local runtime writes an item and its index entries together', () => {
  it('an update that moves an item between index partitions is one LevelDB batch', async () => {
    const writes: { kind: string; ops?: LevelOperation[] }[] = [];
    const module = dynaliteDbModule();
    // The runtime's patch first (createDynamoServer would install it), so the observer wraps it.
    atomicItemWrites(module);
    const create = module.create;
    // Observes the store the next server opens; the runtime's own patch is already in place.
    module.create = (options) => {
      const store = create(options);
      module.create = create;
      const { db } = store as unknown as {
        db: Record<'put' | 'del' | 'batch', (...args: unknown[]) => unknown>;
      };
      for (const kind of ['put', 'del', 'batch'] as const) {
        const original = db[kind].bind(db);
        db[kind] = (...args: unknown[]) => {
          writes.push({ kind, ...(kind === 'batch' ? { ops: args[0] as LevelOperation[] } : {}) });
          return original(...args);
        };
      }
      return store;
    };
    await serve(join(dir, 'batch'), async (client) => {
      await createStatusTable(client);
      const update = (status: string) => setStatus(client, 'one', status);
      await update('A');
      writes.length = 0;
      await update('B');
      expect(writes.map((w) => w.kind)).toEqual(['batch']);
      const ops = writes[0]?.ops ?? [];
      expect(ops.map((o) => o.type)).toEqual(['del', 'put', 'put']);
      expect(ops[0]?.key).toContain(`~${INDEX}~`);
      expect(ops[2]?.key).toBe(`item-${TABLE}~${ops[2]?.key.split('~').slice(1).join('~')}`);
      expect(await indexAgreesWithItems(client)).toEqual({ items: 1, disagreeing: [] });
    });
  });

  it('after SIGKILL in the middle of index-moving updates, every item is where the index says', async () => {
    for (let round = 0; round < 3; round++) {
      const path = join(dir, `kill-${round}`);
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/dynalite-writer.ts', path], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`writer exited ${code}: ${stderr}`)));
      });
      // Let the storm run a little longer, at a different moment each round.
      await new Promise((resolve) => setTimeout(resolve, 150 + round * 170));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const found = await serve(path, indexAgreesWithItems);
      expect(found.items).toBeGreaterThan(0);
      expect(found.disagreeing, `round ${round}`).toEqual([]);
    }
  }, 120_000);

  it('rebuilds the index from the items after an unclean stop (data folders torn before the fix)', async () => {
    await serve(join(dir, 'repair'), async (client, server) => {
      const store = lastCreatedStore();
      if (!store) throw new Error('no store');
      await createStatusTable(client);
      for (let i = 0; i < 10; i++) await setStatus(client, `item-${i}`, STATUSES[i % 3] ?? 'A');
      // Tear two items the way a kill between dynalite's old separate writes did: one item loses
      // its index entry, another entry loses its item.
      const level = store.db as unknown as {
        iterator(range: { gte: string; lt: string }): AsyncIterable<[string, { pk: { S: string } }]>;
      };
      const first = async (prefix: string, not?: string) => {
        for await (const [key, value] of level.iterator({ gte: prefix, lt: `${prefix}\xff` }))
          if (value.pk.S !== not) return { key, pk: value.pk.S };
        throw new Error(`nothing under ${prefix}`);
      };
      const entry = await first(`index-global~${TABLE}~${INDEX}~`);
      const item = await first(`item-${TABLE}~`, entry.pk);
      await new Promise<void>((resolve, reject) =>
        store.db.batch(
          [
            { type: 'del', key: entry.key },
            { type: 'del', key: item.key },
          ],
          (error) => (error ? reject(error) : resolve()),
        ),
      );
      expect((await indexAgreesWithItems(client)).disagreeing.sort()).toEqual([entry.pk, item.pk].sort());

      expect(await repairDynamoIndexes(server)).toMatchObject({ items: 9, written: 1, deleted: 1 });
      expect(await indexAgreesWithItems(client)).toEqual({ items: 9, disagreeing: [] });
      // A sound store is left as it is.
      expect(await repairDynamoIndexes(server)).toMatchObject({ written: 0, deleted: 0 });
    });
  });
});
