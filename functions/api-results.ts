import type { Context } from 'aws-lambda';
import { s3Client } from '#adapters/aws-clients';
import { now } from '#adapters/clock';
import { createDocumentClient, createRepositories, tableNameFromEnv } from '#adapters/dynamo/index';
import { ObjectStore } from '#adapters/object-store';
import { type ApiEvent, type ApiResponse, httpApi } from '#http/api';
import { createCaches, type ResultsDeps } from './lib/results/deps';
import { resultsRoutes } from './lib/results/routes';

/** Traces above this size are refused rather than returned (a Lambda response is at most 6 MB). */
const MAX_TRACE_BYTES = 4 * 1024 * 1024;

function defaultDeps(env: NodeJS.ProcessEnv = process.env): ResultsDeps {
  const bucket = env.UPLOAD_BUCKET;
  if (!bucket) throw new Error('UPLOAD_BUCKET is not set');
  const store = new ObjectStore(s3Client(), bucket);
  return {
    repos: createRepositories(createDocumentClient(), tableNameFromEnv(env)),
    traces: {
      read: async (key) => {
        try {
          return JSON.parse((await store.getBytes(key, { maxBytes: MAX_TRACE_BYTES })).toString('utf8'));
        } catch (error) {
          // A trace that was never written is reported as unavailable; anything else is retried.
          if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
          throw error;
        }
      },
    },
    now,
    caches: createCaches(),
  };
}

/**
 * Results for leadership: rankings (JSON, CSV, XLSX), a region's score card with its derivation
 * trace, a region's history and the cycle summary. Thin: the routes are in lib/results.
 */
let api: ReturnType<typeof httpApi> | undefined;

/** Built on the first invocation (inside the function's environment), then kept warm. */
export const handler = (event: ApiEvent, context: Context): Promise<ApiResponse> => {
  api ??= httpApi(resultsRoutes(defaultDeps()));
  return api(event, context);
};
