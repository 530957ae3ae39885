import type { IncomingMessage } from 'node:http';
import { S3Error } from './errors';
import type { ObjectStoreFiles, StoredObject } from './store';

/**
 * The object a CopyObject or UploadPartCopy reads: `x-amz-copy-source` is `[/]bucket/key`,
 * URL-encoded (a `?versionId=` is ignored: no versioning here). NoSuchKey when there is none.
 */
export function copySource(request: IncomingMessage, store: ObjectStoreFiles): StoredObject {
  const source = decodeURIComponent(String(request.headers['x-amz-copy-source']).split('?')[0] ?? '').replace(
    /^\//,
    '',
  );
  const slash = source.indexOf('/');
  const key = source.slice(slash + 1);
  const original = slash > 0 ? store.head(source.slice(0, slash), key) : undefined;
  if (!original) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
  return original;
}

/**
 * `x-amz-copy-source-range: bytes=first-last` of UploadPartCopy (inclusive; the whole object
 * without it), checked against the source's size as S3 checks it.
 */
export function copySourceRange(
  header: string | string[] | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d+)$/.exec(String(header).trim());
  if (!match)
    throw new S3Error(
      400,
      'InvalidArgument',
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
    );
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start || end >= size)
    throw new S3Error(
      400,
      'InvalidArgument',
      `Range specified is not valid for source object of size: ${size}`,
    );
  return { start, end };
}
