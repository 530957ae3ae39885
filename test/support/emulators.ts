import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { ObjectStore } from '#adapters/object-store';
import { createLocalS3, type S3EventRecord } from '#local/s3/server';
import { LOCAL_CREDENTIALS } from '#local/storage/s3';
import { startTestTable, type TestTable } from '../integration/dynamo/dynalite-table';

export type { S3EventRecord };

export interface Emulators {
  table: TestTable;
  /** A test-side client of the same S3 the handlers use. */
  s3: S3Client;
  objects: ObjectStore;
  /** Every S3 notification the local S3 emitted, oldest first. */
  records: S3EventRecord[];
  close(): Promise<void>;
}

/**
 * dynalite and the local S3 (local/s3: SigV4 and POST policies enforced) in-process on free ports, and the environment handlers read (endpoints,
 * credentials, TABLE_NAME, UPLOAD_BUCKET, LEDGER_BUCKET, plus `env`): handlers build their real SDK clients from it.
 */
export async function startEmulators(options: {
  tableName: string;
  bucket: string;
  env?: Record<string, string>;
}): Promise<Emulators> {
  const table = await startTestTable(options.tableName);
  const directory = await mkdtemp(join(tmpdir(), 'indeks-s3-'));
  const local = await createLocalS3({ directory, credentials: [LOCAL_CREDENTIALS] });
  await local.store.createBucket(options.bucket, new Date());
  // The ledger export bucket (Object Lock on AWS; see local/README.md for what the emulator enforces).
  const ledgerBucket = `${options.bucket}-ledger`;
  await local.store.createBucket(ledgerBucket, new Date());
  const server = local.server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const records: S3EventRecord[] = [];
  local.onRecord((record) => records.push(record));
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
    LEDGER_BUCKET: ledgerBucket,
    ...options.env,
  });
  const s3 = new S3Client({
    region: 'ap-southeast-3',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
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
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await table.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
