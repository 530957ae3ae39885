import type { Context } from 'aws-lambda';
import type { ObjectStore } from '#adapters/object-store';
import type { ApiResponse } from '#http/api';
import { apiEvent } from '../../support/api-event';
import { startEmulators } from '../../support/emulators';
import type { TestTable } from '../dynamo/dynalite-table';

export const BUCKET = 'indeks-results';

export type Handler = (event: ReturnType<typeof apiEvent>, context: Context) => Promise<ApiResponse>;

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  bytes: Buffer;
  json: unknown;
}

export interface ResultsHarness {
  table: TestTable;
  objects: ObjectStore;
  handler: Handler;
  /** Drives api-results with an API Gateway v2 event, as the HTTP API would. */
  call(routeKey: string, options?: Parameters<typeof apiEvent>[1]): Promise<Reply>;
  close(): Promise<void>;
}

/**
 * dynalite and the local S3 in-process on free ports, the environment api-results reads, and the real
 * handler module (its own SDK clients) imported afterwards.
 */
export async function startResultsHarness(tableName = 'indeks-results'): Promise<ResultsHarness> {
  const { table, objects, close } = await startEmulators({ tableName, bucket: BUCKET });
  const { handler } = await import('#functions/api-results');
  const call = async (routeKey: string, options: Parameters<typeof apiEvent>[1] = {}): Promise<Reply> => {
    const out = await handler(apiEvent(routeKey, options), {} as Context);
    const bytes = out.body ? Buffer.from(out.body, out.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
    const headers = Object.fromEntries(
      Object.entries(out.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    const isJson = /json/.test(headers['content-type'] ?? '');
    return {
      status: out.statusCode ?? 200,
      headers,
      body: bytes.toString('utf8'),
      bytes,
      json: isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined,
    };
  };
  return {
    table,
    objects,
    handler,
    call,
    close,
  };
}
