import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type ObjectStore, ObjectTooLargeError } from './object-store';

export type Presign = (key: string) => Promise<string>;

/** A short-lived GET URL for one report or score card (the API function may read only those prefixes). */
export const presignGet =
  (s3: S3Client, bucket: string, expiresIn = 300): Presign =>
  (key) =>
    getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });

export type StoredDocument<T> = { found: true; value: T } | { found: false; tooLarge: boolean };

/** A JSON document the pipeline wrote, unless it is missing or too large to answer inline. */
export async function readDocument<T>(
  objects: ObjectStore,
  key: string,
  maxBytes: number,
): Promise<StoredDocument<T>> {
  try {
    const bytes = await objects.getBytes(key, { maxBytes });
    return { found: true, value: JSON.parse(bytes.toString('utf8')) as T };
  } catch (error) {
    if (error instanceof ObjectTooLargeError) return { found: false, tooLarge: true };
    if (error instanceof Error && error.name === 'NoSuchKey') return { found: false, tooLarge: false };
    throw error;
  }
}
