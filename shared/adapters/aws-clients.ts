import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from './dynamo/client';
import { traced } from './observability';

/**
 * One client of each kind per Lambda container, configured only through the SDK's standard
 * environment (AWS_REGION, AWS_ENDPOINT_URL_*), so the local runtime needs no special code path.
 * Each is traced (X-Ray subsegments) when tracing is on (`traced`, a no-op in tests and locally).
 */
let s3: S3Client | undefined;
let sfn: SFNClient | undefined;
let scheduler: SchedulerClient | undefined;
let doc: ReturnType<typeof createDocumentClient> | undefined;

export function s3Client(): S3Client {
  s3 ??= traced(
    new S3Client({
      // A custom endpoint (the local emulator) serves buckets by path, not by virtual host.
      forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL),
      // Checksums only where S3 requires them: presigned browser uploads and emulators break otherwise.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
  return s3;
}

export function sfnClient(): SFNClient {
  sfn ??= traced(new SFNClient({}));
  return sfn;
}

export function schedulerClient(): SchedulerClient {
  scheduler ??= traced(new SchedulerClient({}));
  return scheduler;
}

export function documentClient(): ReturnType<typeof createDocumentClient> {
  doc ??= traced(createDocumentClient());
  return doc;
}

/** The value of a required environment variable, or a clear configuration error. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
