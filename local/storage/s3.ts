import type { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  NotFound,
  PutBucketCorsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { HOST } from '../ports';
import type { BucketSpec } from '../template/model';

/** The S3 event record s3rver emits for each object change (S3 notification format). */
export interface S3rverRecord {
  eventName: string;
  eventTime: string;
  requestParameters?: { sourceIPAddress?: string };
  responseElements?: Record<string, string>;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

interface S3rverApp extends EventEmitter {
  callback(): Parameters<typeof createServer>[1];
  logger?: { close(): void; exceptions?: { unhandle(): void } };
}
type S3rverConstructor = new (options: {
  directory: string;
  silent: boolean;
  address?: string;
  port?: number;
  vhostBuckets?: boolean;
}) => S3rverApp;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface S3Emulator {
  server: Server;
  /** Subscribes to object events (one S3 notification per change). */
  onRecord(listener: (record: S3rverRecord) => void): void;
  dispose(): void;
}

function isRecordList(value: unknown): value is { Records: S3rverRecord[] } {
  return typeof value === 'object' && value !== null && Array.isArray(Reflect.get(value, 'Records'));
}

/**
 * s3rver on disk under `directory`, served by our own HTTP server so the runtime controls listen
 * and close like for every other port. Path-style only: clients use 127.0.0.1, for which the SDK
 * builds path-style URLs by itself (no `forcePathStyle` needed in handler code).
 */
export function createS3Emulator(directory: string): S3Emulator {
  const app = new S3rver({ directory, silent: true, vhostBuckets: false });
  const server = createServer(app.callback());
  return {
    server,
    onRecord(listener) {
      app.on('event', (event: unknown) => {
        if (isRecordList(event)) for (const record of event.Records) listener(record);
      });
    },
    dispose() {
      app.logger?.exceptions?.unhandle();
      app.logger?.close();
    },
  };
}

export function localS3Client(port: number, region: string): S3Client {
  return new S3Client({
    endpoint: `http://${HOST}:${port}`,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
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
