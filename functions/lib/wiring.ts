import { documentClient, requiredEnv, s3Client } from '#adapters/aws-clients';
import { now } from '#adapters/clock';
import {
  createRepositories,
  type LedgerPort,
  type Repositories,
  tableNameFromEnv,
} from '#adapters/dynamo/index';
import { exportLedger } from '#adapters/ledger-export';
import { ObjectStore } from '#adapters/object-store';
import type { LedgerHead } from '#domain/ledger/index';

/**
 * The one way a handler gets its dependencies. Each handler file exports
 * `createX(given: Partial<XDeps> = {})` and `export const handler = createX()`; inside, `ports()`
 * gives it its ports: the ones a test passes in, the others built from the function's environment
 * on the first invocation and then kept for the container's life. Nothing may be read from the
 * environment at import time: the local runtime gives each function its own environment just
 * before invoking it. A port only some routes need (and whose environment the others may lack) is
 * itself a function, wrapped in `once`, so it is built on its first use.
 */
export function ports<T extends object>(
  given: Partial<T>,
  defaults: { [K in keyof T]: () => T[K] },
): () => T {
  let built: T | undefined;
  return () => {
    if (!built) {
      const out: Partial<T> = {};
      for (const name of Object.keys(defaults) as (keyof T)[]) out[name] = given[name] ?? defaults[name]();
      built = out as T;
    }
    return built;
  };
}

/** Builds a port on its first use, then keeps it (see `ports`). */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export const repositoriesFromEnv = (): Repositories =>
  createRepositories(documentClient(), tableNameFromEnv());

export const uploadStoreFromEnv = (): ObjectStore =>
  new ObjectStore(s3Client(), requiredEnv('UPLOAD_BUCKET'));

/**
 * The cycle ledger (in the same table, issue 13), built on the first append: a handler's paths
 * that record nothing need no table.
 */
export const ledgerFromEnv = (): LedgerPort => {
  const repository = once(() => repositoriesFromEnv().ledger);
  return { append: (cycleId, draft) => repository().append(cycleId, draft) };
};

/**
 * Writes the cycle's ledger up to a head to the ledger bucket (env LEDGER_BUCKET, Object Lock),
 * with the cycle's retention. Built on first use.
 */
export const ledgerExportFromEnv = (): ((cycleId: string, head: LedgerHead) => Promise<void>) => {
  const repos = once(repositoriesFromEnv);
  return async (cycleId, head) => {
    await exportLedger(
      {
        s3: s3Client(),
        bucket: requiredEnv('LEDGER_BUCKET'),
        list: (c, options) => repos().ledger.list(c, options),
        retentionDays: async (c) => (await repos().cycles.get(c))?.ledgerRetentionDays,
        now,
      },
      cycleId,
      head,
    );
  };
};
