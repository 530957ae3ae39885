import type { Context } from 'aws-lambda';
import { now } from '#adapters/clock';
import type { ObjectStore } from '#adapters/object-store';
import { isMissingObject } from '#adapters/transient';
import { type ApiEvent, type ApiResponse, httpApi } from '#http/api';
import { createCaches, type ResultsDeps, type TraceReader } from './lib/results/deps';
import { resultsRoutes } from './lib/results/routes';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

/** Traces above this size are refused rather than returned (a Lambda response is at most 6 MB). */
const MAX_TRACE_BYTES = 4 * 1024 * 1024;

const traceReader = (store: ObjectStore): TraceReader => ({
  read: async (key) => {
    try {
      return JSON.parse((await store.getBytes(key, { maxBytes: MAX_TRACE_BYTES })).toString('utf8'));
    } catch (error) {
      // A trace that was never written is reported as unavailable; anything else is retried.
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  },
});

/**
 * Results for leadership: rankings (JSON, CSV, XLSX), a region's score card with its derivation
 * trace, a region's history and the cycle summary. Thin: the routes are in lib/results.
 */
export function createApiResults(given: Partial<ResultsDeps> = {}) {
  const deps = ports<ResultsDeps>(given, {
    repos: repositoriesFromEnv,
    traces: () => traceReader(uploadStoreFromEnv()),
    now: () => now,
    caches: createCaches,
  });
  // The routes take their deps once; they are built on the first invocation (inside the function's environment).
  let api: ReturnType<typeof httpApi> | undefined;
  return (event: ApiEvent, context: Context): Promise<ApiResponse> => {
    api ??= httpApi(resultsRoutes(deps()));
    return api(event, context);
  };
}

export const handler = createApiResults();
