import { documentClient, requiredEnv, s3Client } from '#adapters/aws-clients';
import { createRepositories, type Repositories, tableNameFromEnv } from '#adapters/dynamo/index';
import { ObjectStore } from '#adapters/object-store';

/**
 * A handler's ports: the ones a test passes in, the others built from the function's environment
 * on first use and then kept for the container's life (the local runtime gives each function its
 * own environment, so nothing may be read from it at import time).
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

export const repositoriesFromEnv = (): Repositories =>
  createRepositories(documentClient(), tableNameFromEnv());

export const uploadStoreFromEnv = (): ObjectStore =>
  new ObjectStore(s3Client(), requiredEnv('UPLOAD_BUCKET'));
