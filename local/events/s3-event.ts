import { randomUUID } from 'node:crypto';
import { now } from '#adapters/clock';
import type { JsonObject } from '../json';
import type { S3EventRecord } from '../s3/server';

const REASONS: Record<string, string> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Post': 'POST Object',
  'ObjectCreated:Copy': 'CopyObject',
  'ObjectCreated:CompleteMultipartUpload': 'CompleteMultipartUpload',
};

/**
 * The EventBridge event S3 sends for an object creation (bucket with EventBridge notifications
 * on), built from the local S3's notification record. Keys are not URL-encoded in EventBridge events
 * (unlike S3 notifications); the record has the raw key. No version-id: the local S3 has no versioning.
 */
export function objectCreatedEvent(
  record: S3EventRecord,
  region: string,
  accountId: string,
  /** When the object arrived on the product's clock (the emulator stamps real time). */
  arrivedAt: Date = now(),
): JsonObject | undefined {
  const reason = REASONS[record.eventName];
  if (!reason) return undefined;
  const { bucket, object } = record.s3;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: accountId,
    time: arrivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: bucket.name },
      object: {
        key: object.key,
        size: object.size ?? 0,
        ...(object.eTag ? { etag: object.eTag } : {}),
        ...(object.versionId ? { 'version-id': object.versionId } : {}),
        ...(object.sequencer ? { sequencer: object.sequencer } : {}),
      },
      'request-id': record.responseElements?.['x-amz-request-id'] ?? randomUUID(),
      requester: accountId,
      'source-ip-address': record.requestParameters?.sourceIPAddress ?? '127.0.0.1',
      reason,
    },
  };
}
