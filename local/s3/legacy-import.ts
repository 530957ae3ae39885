import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ObjectStoreFiles } from './store';

const OBJECT_SUFFIX = '._S3rver_object';
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];

async function* files(directory: string): AsyncGenerator<string> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Data folders written before the local S3 was ours hold s3rver's layout (`<s3>/<bucket>/<key>` as
 * `._S3rver_object` + `._S3rver_metadata.json` + `.md5`, written one after the other). On start each
 * such bucket is imported once into the crash-safe store: an object whose metadata (written last)
 * is complete is copied in; one a kill left without it is quarantined and reported. The old folder
 * is then moved to `<s3>/s3rver-imported/` (kept, never deleted).
 */
export async function importS3rverBuckets(store: ObjectStoreFiles, root: string, now: Date): Promise<number> {
  let imported = 0;
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || ['buckets', 'quarantine', 's3rver-imported'].includes(entry.name)) continue;
    const bucket = entry.name;
    const directory = join(root, bucket);
    await store.createBucket(bucket, now);
    for await (const path of files(directory)) {
      if (!path.endsWith(OBJECT_SUFFIX)) continue;
      const key = relative(directory, path.slice(0, -OBJECT_SUFFIX.length)).split(sep).join('/');
      const metadataPath = `${path.slice(0, -OBJECT_SUFFIX.length)}._S3rver_metadata.json`;
      let metadata: Record<string, string>;
      try {
        metadata = JSON.parse(await readFile(metadataPath, 'utf8')) as Record<string, string>;
      } catch {
        await store.setAside(
          bucket,
          path,
          's3rver object without complete metadata (cut off by a kill)',
          key,
        );
        continue;
      }
      const bytes = await readFile(path);
      const contentLength = metadata['content-length'];
      if (contentLength !== undefined && Number(contentLength) !== bytes.length) {
        await store.setAside(
          bucket,
          path,
          `s3rver object cut off: ${bytes.length} of ${contentLength} bytes`,
          key,
        );
        continue;
      }
      const headers: Record<string, string> = {};
      const meta: Record<string, string> = {};
      for (const [name, value] of Object.entries(metadata)) {
        if (typeof value !== 'string') continue;
        if (name.startsWith('x-amz-meta-')) meta[name.slice('x-amz-meta-'.length)] = value;
        if (STORED_HEADERS.includes(name)) headers[name] = value;
      }
      await store.put(
        bucket,
        {
          key,
          contentType: metadata['content-type'] ?? 'binary/octet-stream',
          lastModified: (await stat(path)).mtime.toISOString(),
          metadata: meta,
          headers,
        },
        bytes,
      );
      imported++;
    }
    await mkdir(join(root, 's3rver-imported'), { recursive: true });
    await rename(directory, join(root, 's3rver-imported', `${bucket}-${now.getTime()}`));
  }
  return imported;
}
