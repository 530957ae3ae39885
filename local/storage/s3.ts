import {
  CreateBucketCommand,
  HeadBucketCommand,
  NotFound,
  PutBucketCorsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS } from '../credentials';
import { HOST } from '../ports';
import { createLocalS3, type LocalS3, type S3EventRecord } from '../s3/server';
import type { BucketSpec } from '../template/model';

export type { S3EventRecord };

export { LOCAL_CREDENTIALS };

/**
 * Our own S3 on disk under `directory` (see local/s3/): crash-safe objects, SigV4 and POST
 * policies enforced. `now` is the product's clock (LastModified, event times); request signatures
 * are checked against real time.
 */
export function createS3Emulator(
  directory: string,
  options: { now?: () => number; region?: string } = {},
): Promise<LocalS3> {
  return createLocalS3({ directory, credentials: [LOCAL_CREDENTIALS], ...options });
}

export function localS3Client(port: number, region: string): S3Client {
  return new S3Client({
    endpoint: `http://${HOST}:${port}`,
    region,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates each bucket of the template (kept when persisted) and applies its CORS rules. */
export async function ensureBuckets(client: S3Client, buckets: readonly BucketSpec[]): Promise<string[]> {
  const created: string[] = [];
  for (const bucket of buckets) {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket.name }));
    } catch (error) {
      if (!(error instanceof NotFound) && !(error instanceof Error && error.name === 'NotFound')) throw error;
      await client.send(new CreateBucketCommand({ Bucket: bucket.name }));
      created.push(bucket.name);
    }
    if (bucket.cors.length > 0) {
      await client.send(
        new PutBucketCorsCommand({
          Bucket: bucket.name,
          CORSConfiguration: {
            CORSRules: bucket.cors.map((rule) => ({
              AllowedHeaders: rule.AllowedHeaders,
              AllowedMethods: rule.AllowedMethods,
              AllowedOrigins: rule.AllowedOrigins,
              ExposeHeaders: rule.ExposedHeaders,
              MaxAgeSeconds: rule.MaxAge,
            })),
          },
        }),
      );
    }
  }
  return created;
}
