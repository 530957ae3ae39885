import { createRequire } from 'node:module';

/** What dynalite 4's store module (`dynalite/db`) offers that the patch below relies on. */
export interface TableDescription {
  TableName: string;
  KeySchema: unknown[];
  LocalSecondaryIndexes?: unknown[];
  GlobalSecondaryIndexes?: unknown[];
}
type Item = Record<string, unknown>;
type Callback = (error?: Error | null) => void;
export interface LevelOperation {
  type: 'put' | 'del';
  key: string;
  value?: unknown;
}
interface SubDb {
  put(key: string, value: unknown, callback: Callback): void;
  del(key: string, callback: Callback): void;
  [ATOMIC]?: true;
}
export interface DynaliteStore {
  db: { batch(operations: LevelOperation[], callback: Callback): void };
  getItemDb(tableName: string): SubDb;
}
export interface DynaliteDbModule {
  create(options: object): DynaliteStore;
  createKey(item: Item, table: TableDescription): string;
  getIndexActions(
    indexes: unknown[],
    existingItem: Item | null | undefined,
    item: Item | null | undefined,
    table: TableDescription,
  ): { puts: { index: string; key: string; item: Item }[]; deletes: { index: string; key: string }[] };
  updateIndexes(
    store: DynaliteStore,
    table: TableDescription,
    existingItem: Item | null | undefined,
    item: Item | null | undefined,
    callback: Callback,
  ): void;
  [ATOMIC]?: true;
}

const ATOMIC = Symbol.for('indeks.dynalite.atomicItemWrites');

let lastCreated: DynaliteStore | undefined;
/** The store dynalite opened last (dynalite creates it synchronously inside `dynalite()`). */
export const lastCreatedStore = (): DynaliteStore | undefined => lastCreated;

/** dynalite keeps every table, item and index in one LevelDB, each under a prefix (db/index.js getSubDb). */
export const itemPrefix = (tableName: string) => `item-${tableName}~`;
export const indexPrefix = (kind: 'Local' | 'Global', tableName: string, indexName: string) =>
  `index-${kind.toLowerCase()}~${tableName}~${indexName}~`;

/** dynalite's store module, resolved the way dynalite itself requires it. */
export function dynaliteDbModule(): DynaliteDbModule {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  return fromDynalite('./db') as DynaliteDbModule;
}

/**
 * Makes every write of dynalite one LevelDB batch: the item and all its index entries, or none.
 *
 * PutItem, UpdateItem and DeleteItem (and BatchWriteItem through them) first delete the item's old
 * index entries, then put the new ones, then write the item: four or more separate LevelDB writes.
 * A kill between them (issue 9: SIGKILL during a burst of uploads) left a submission whose item
 * still said UPLOADED while its status-index entry was already deleted and the new one never
 * written: no query by status could find it again, so the sweeper could not drive it, and it stayed
 * UPLOADED for good. LevelDB applies a batch atomically (one log record; a torn one is dropped on
 * recovery), so here `updateIndexes` only computes the index operations and holds them, and the
 * item's own put or delete, which dynalite issues next under the same per-key lock, writes them
 * together with the item in one batch.
 */
export function atomicItemWrites(dbModule: DynaliteDbModule = dynaliteDbModule()): void {
  if (dbModule[ATOMIC]) return;
  dbModule[ATOMIC] = true;
  /** Index operations computed for `{tableName}~{itemKey}`, waiting for the item's own write. */
  const pending = new Map<string, LevelOperation[]>();

  const originalUpdateIndexes = dbModule.updateIndexes;
  dbModule.updateIndexes = (store, table, existingItem, item, callback) => {
    // A store not opened through the patched `create` writes its indexes the old way: nothing
    // there would write the held operations.
    if (!store.getItemDb(table.TableName)[ATOMIC])
      return originalUpdateIndexes(store, table, existingItem, item, callback);
    const keyed = item ?? existingItem;
    if (!keyed) return callback();
    const operations: LevelOperation[] = [];
    for (const kind of ['Local', 'Global'] as const) {
      const indexes = table[`${kind}SecondaryIndexes`] ?? [];
      const { puts, deletes } = dbModule.getIndexActions(indexes, existingItem, item, table);
      for (const d of deletes)
        operations.push({ type: 'del', key: indexPrefix(kind, table.TableName, d.index) + d.key });
      for (const p of puts)
        operations.push({
          type: 'put',
          key: indexPrefix(kind, table.TableName, p.index) + p.key,
          value: p.item,
        });
    }
    pending.set(`${table.TableName}~${dbModule.createKey(keyed, table)}`, operations);
    // Asynchronous like the writes it replaces: dynalite continues in its callback.
    setImmediate(callback);
  };

  const originalCreate = dbModule.create;
  dbModule.create = (options) => {
    const store = originalCreate(options);
    lastCreated = store;
    const originalGetItemDb = store.getItemDb;
    store.getItemDb = (tableName) => {
      const itemDb = originalGetItemDb(tableName);
      if (itemDb[ATOMIC]) return itemDb;
      itemDb[ATOMIC] = true;
      const withIndexes = (key: string, own: LevelOperation, callback: Callback) => {
        const id = `${tableName}~${key}`;
        const operations = pending.get(id) ?? [];
        pending.delete(id);
        store.db.batch([...operations, own], callback);
      };
      itemDb.put = (key, value, callback) =>
        withIndexes(key, { type: 'put', key: itemPrefix(tableName) + key, value }, callback);
      itemDb.del = (key, callback) =>
        withIndexes(key, { type: 'del', key: itemPrefix(tableName) + key }, callback);
      return itemDb;
    };
    return store;
  };
}
