import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { ObjectStore } from '../../../shared/adapters/object-store';
import type { ApiResponse } from '../../../shared/http/api';
import { apiEvent } from '../../support/api-event';
import { startTestTable, type TestTable } from '../dynamo/dynalite-table';

interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

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
 * dynalite and s3rver in-process on free ports, the environment api-results reads, and the real
 * handler module (its own SDK clients) imported afterwards.
 */
export async function startResultsHarness(tableName = 'indeks-results'): Promise<ResultsHarness> {
  const table = await startTestTable(tableName);
  const directory = await mkdtemp(join(tmpdir(), 'indeks-results-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  const endpoint = await table.doc.config.endpoint?.();
  if (!endpoint) throw new Error('the test table has no endpoint');
  Object.assign(process.env, {
    AWS_REGION: 'ap-southeast-3',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
    TABLE_NAME: table.tableName,
    UPLOAD_BUCKET: BUCKET,
  });
  const s3 = new S3Client({
    region: 'ap-southeast-3',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const { handler } = await import('../../../functions/api-results');
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
    objects: new ObjectStore(s3, BUCKET),
    handler,
    call,
    close: async () => {
      s3.destroy();
      await server.close();
      await table.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
