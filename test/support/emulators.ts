import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { ObjectStore } from '#adapters/object-store';
import { startTestTable, type TestTable } from '../integration/dynamo/dynalite-table';

/** s3rver's S3-notification record (it has no types). */
export interface S3rverRecord {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
}
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: { Records: S3rverRecord[] }) => void): void;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface Emulators {
  table: TestTable;
  /** A test-side client of the same S3 the handlers use. */
  s3: S3Client;
  objects: ObjectStore;
  /** Every S3 notification s3rver emitted, oldest first. */
  records: S3rverRecord[];
  close(): Promise<void>;
}

/**
 * dynalite and s3rver in-process on free ports, and the environment handlers read (endpoints,
 * credentials, TABLE_NAME, UPLOAD_BUCKET, plus `env`): handlers build their real SDK clients from it.
 */
export async function startEmulators(options: {
  tableName: string;
  bucket: string;
  env?: Record<string, string>;
}): Promise<Emulators> {
  const table = await startTestTable(options.tableName);
  const directory = await mkdtemp(join(tmpdir(), 'indeks-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: options.bucket }],
  });
  const { port } = await server.run();
  const records: S3rverRecord[] = [];
  server.on('event', (event) => records.push(...event.Records));
  const endpoint = await table.doc.config.endpoint?.();
  if (!endpoint) throw new Error('the test table has no endpoint');
  Object.assign(process.env, {
    AWS_REGION: 'ap-southeast-3',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
    TABLE_NAME: table.tableName,
    UPLOAD_BUCKET: options.bucket,
    ...options.env,
  });
  const s3 = new S3Client({
    region: 'ap-southeast-3',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    table,
    s3,
    objects: new ObjectStore(s3, options.bucket),
    records,
    close: async () => {
      s3.destroy();
      await server.close();
      await table.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
