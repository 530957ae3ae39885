import { canonicalJson } from '#domain/methodology/canonical-json';
import {
  type DynaliteDbModule,
  type DynaliteStore,
  dynaliteDbModule,
  indexPrefix,
  itemPrefix,
  type LevelOperation,
  type TableDescription,
} from './dynalite-atomic';

/** The part of the LevelDB (classic-level) under dynalite that a repair reads and writes. */
interface Level {
  iterator(range: { gte: string; lt: string }): AsyncIterable<[string, unknown]>;
  batch(operations: LevelOperation[], callback: (error?: Error | null) => void): void;
}

export interface IndexRepair {
  tables: number;
  items: number;
  /** Index entries written because their item named them and they were missing or stale. */
  written: number;
  /** Index entries deleted because no item names them. */
  deleted: number;
}

const END = '\xff';

async function* entries(db: Level, prefix: string): AsyncGenerator<[string, unknown]> {
  for await (const [key, value] of db.iterator({ gte: prefix, lt: prefix + END }))
    yield [key.slice(prefix.length), value];
}

const batch = (db: Level, operations: LevelOperation[]) =>
  new Promise<void>((resolve, reject) =>
    db.batch(operations, (error) => (error ? reject(error) : resolve())),
  );

/**
 * Rebuilds every secondary-index entry of every table from the items themselves: an entry an item
 * names but the index lacks (or holds stale) is written, an entry no item names is deleted. Before
 * `atomicItemWrites`, a kill between dynalite's separate writes could leave either; a data folder
 * from then may still hold them. Run on start after an unclean stop, before any request.
 */
export async function repairIndexes(
  store: DynaliteStore,
  dbModule: DynaliteDbModule = dynaliteDbModule(),
): Promise<IndexRepair> {
  const db = store.db as unknown as Level;
  const report: IndexRepair = { tables: 0, items: 0, written: 0, deleted: 0 };
  const tables: TableDescription[] = [];
  for await (const [, table] of entries(db, 'table~')) tables.push(table as TableDescription);
  for (const table of tables) {
    report.tables++;
    const kinds = (['Local', 'Global'] as const).filter(
      (k) => (table[`${k}SecondaryIndexes`] ?? []).length > 0,
    );
    if (kinds.length === 0) continue;
    // What the items say the indexes hold: full LevelDB key → the entry's value.
    const expected = new Map<string, string>();
    for await (const [, item] of entries(db, itemPrefix(table.TableName))) {
      report.items++;
      for (const kind of kinds) {
        const indexes = table[`${kind}SecondaryIndexes`] ?? [];
        for (const put of dbModule.getIndexActions(indexes, null, item as Record<string, unknown>, table)
          .puts)
          expected.set(indexPrefix(kind, table.TableName, put.index) + put.key, canonicalJson(put.item));
      }
    }
    const operations: LevelOperation[] = [];
    const seen = new Set<string>();
    for (const kind of kinds) {
      for (const index of (table[`${kind}SecondaryIndexes`] ?? []) as { IndexName: string }[]) {
        const prefix = indexPrefix(kind, table.TableName, index.IndexName);
        for await (const [key, value] of entries(db, prefix)) {
          const full = prefix + key;
          const wanted = expected.get(full);
          if (wanted === undefined) operations.push({ type: 'del', key: full });
          else if (wanted !== canonicalJson(value))
            operations.push({ type: 'put', key: full, value: JSON.parse(wanted) });
          seen.add(full);
        }
      }
    }
    for (const [key, value] of expected)
      if (!seen.has(key)) operations.push({ type: 'put', key, value: JSON.parse(value) });
    report.written += operations.filter((o) => o.type === 'put').length;
    report.deleted += operations.filter((o) => o.type === 'del').length;
    if (operations.length > 0) await batch(db, operations);
  }
  return report;
}
