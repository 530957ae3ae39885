import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PARTIAL_PREFIX, writeFileAtomic } from '../atomic-file';
import { readRecordFile, writeRecordFile } from './record-file';

/**
 * The local S3's storage: each object is ONE file (`<bucket>/objects/<sha256 of key>.obj`) holding a
 * small JSON header (key, size, ETag, content type, user metadata, arrival time) followed by the
 * bytes. It is written to a `.partial-` file, flushed and renamed into place, so a kill leaves either
 * the previous object or the new one, never a torn mix. On open, a `.partial-` file (cut off by the
 * kill) or a file whose header or length is wrong is moved to `quarantine/` and reported: never
 * fatal, never silently dropped. Bucket settings (CORS) live in `<bucket>/bucket.json`, written the
 * same way.
 */

const OBJECT_SUFFIX = '.obj';

export interface ObjectHeader {
  key: string;
  size: number;
  /** Quoted hex MD5, as S3 returns it. */
  etag: string;
  contentType: string;
  /** ISO instant the object arrived (the product's clock, as S3's LastModified). */
  lastModified: string;
  /** `x-amz-meta-*` (names without the prefix, lower case). */
  metadata: Record<string, string>;
  /** Stored response headers: cache-control, content-disposition, content-encoding, content-language, expires. */
  headers: Record<string, string>;
  serverSideEncryption?: string;
  sseKmsKeyId?: string;
}

export interface StoredObject extends ObjectHeader {
  /** Where the bytes start in the object's file. */
  bodyOffset: number;
  file: string;
}

export interface CorsRule {
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders: string[];
  ExposeHeaders: string[];
  MaxAgeSeconds?: number;
}

export interface BucketRecord {
  name: string;
  created: string;
  cors: CorsRule[];
}

export interface Quarantined {
  bucket: string;
  /** Where the file was moved (inside the data folder's `quarantine/`). */
  movedTo: string;
  reason: string;
  key?: string;
}

export class ObjectStoreFiles {
  private readonly buckets = new Map<string, { record: BucketRecord; objects: Map<string, StoredObject> }>();
  /** Each bucket's keys in listing order, rebuilt only after a write or delete. */
  private readonly sorted = new Map<string, string[]>();
  /** What the last open() set aside. */
  readonly quarantined: Quarantined[] = [];

  /**
   * `fsync`: flush each object before the rename (survives a power cut, ~17 ms per object here).
   * Off by default: the rename alone is atomic against a killed process (the page cache outlives
   * it), and a power cut that tears an object is caught by open() (quarantined, reported).
   */
  constructor(
    readonly root: string,
    private readonly options: { fsync?: boolean } = {},
  ) {}

  /** A bucket's folder: `objects/`, `bucket.json`, and the multipart staging area `uploads/`. */
  bucketDir(name: string): string {
    return join(this.root, 'buckets', name);
  }

  private objectFile(bucket: string, key: string): string {
    const digest = createHash('sha256').update(key).digest('hex');
    return join(this.bucketDir(bucket), 'objects', `${digest}${OBJECT_SUFFIX}`);
  }

  /** Loads every bucket and object header; quarantines what a crash cut off. */
  async open(): Promise<void> {
    await mkdir(join(this.root, 'buckets'), { recursive: true });
    for (const name of await readdir(join(this.root, 'buckets'))) {
      let record: BucketRecord;
      try {
        record = JSON.parse(
          await readFile(join(this.bucketDir(name), 'bucket.json'), 'utf8'),
        ) as BucketRecord;
      } catch {
        // A bucket folder without its record was being created when the process died: recreate it.
        record = { name, created: new Date().toISOString(), cors: [] };
        await writeFileAtomic(join(this.bucketDir(name), 'bucket.json'), JSON.stringify(record));
      }
      const objects = new Map<string, StoredObject>();
      const dir = join(this.bucketDir(name), 'objects');
      await mkdir(dir, { recursive: true });
      for (const file of await readdir(dir)) {
        const path = join(dir, file);
        if (file.startsWith(PARTIAL_PREFIX)) {
          await this.setAside(name, path, 'incomplete write (the process stopped while storing it)');
          continue;
        }
        if (!file.endsWith(OBJECT_SUFFIX)) continue;
        const stored = await readHeader(path).catch((error: unknown) => error as Error);
        if (stored instanceof Error) {
          await this.setAside(name, path, stored.message);
          continue;
        }
        if (path !== this.objectFile(name, stored.key)) {
          await this.setAside(name, path, 'file name does not match its key', stored.key);
          continue;
        }
        objects.set(stored.key, stored);
      }
      this.buckets.set(name, { record, objects });
    }
  }

  /** Moves a file that cannot be trusted to `quarantine/` and reports it. */
  async setAside(bucket: string, path: string, reason: string, key?: string): Promise<void> {
    const dir = join(this.root, 'quarantine');
    await mkdir(dir, { recursive: true });
    const movedTo = join(
      dir,
      `${Date.now()}-${randomBytes(3).toString('hex')}-${bucket}-${path.split('/').pop()}`,
    );
    await rename(path, movedTo);
    this.quarantined.push({ bucket, movedTo, reason, ...(key ? { key } : {}) });
  }

  bucketNames(): BucketRecord[] {
    return [...this.buckets.values()].map((b) => b.record).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  bucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name)?.record;
  }

  async createBucket(name: string, now: Date): Promise<boolean> {
    if (this.buckets.has(name)) return false;
    const record: BucketRecord = { name, created: now.toISOString(), cors: [] };
    await mkdir(join(this.bucketDir(name), 'objects'), { recursive: true });
    await writeFileAtomic(join(this.bucketDir(name), 'bucket.json'), JSON.stringify(record));
    this.buckets.set(name, { record, objects: new Map() });
    return true;
  }

  async deleteBucket(name: string): Promise<'deleted' | 'not-empty' | 'missing'> {
    const bucket = this.buckets.get(name);
    if (!bucket) return 'missing';
    if (bucket.objects.size > 0) return 'not-empty';
    this.buckets.delete(name);
    this.sorted.delete(name);
    await rm(this.bucketDir(name), { recursive: true, force: true });
    return 'deleted';
  }

  async setCors(name: string, cors: CorsRule[]): Promise<void> {
    const bucket = this.buckets.get(name);
    if (!bucket) return;
    bucket.record = { ...bucket.record, cors };
    await writeFileAtomic(join(this.bucketDir(name), 'bucket.json'), JSON.stringify(bucket.record));
  }

  head(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }

  /** Keys of a bucket in UTF-8 binary order (S3's listing order). */
  keys(bucket: string): string[] {
    const objects = this.buckets.get(bucket)?.objects;
    if (!objects) return [];
    let keys = this.sorted.get(bucket);
    if (!keys) {
      keys = [...objects.keys()]
        .map((key) => ({ key, bytes: Buffer.from(key) }))
        .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
        .map((entry) => entry.key);
      this.sorted.set(bucket, keys);
    }
    return keys;
  }

  read(object: StoredObject, range?: { start: number; end: number }): Readable {
    const start = object.bodyOffset + (range?.start ?? 0);
    const end = object.bodyOffset + (range?.end ?? object.size - 1);
    if (object.size === 0) return Readable.from([]);
    return createReadStream(object.file, { start, end });
  }

  /** Stores an object (replacing one of the same key) atomically: header + bytes in one file, fsync, rename. */
  async put(
    bucket: string,
    header: Omit<ObjectHeader, 'size' | 'etag'>,
    body: Buffer,
  ): Promise<StoredObject> {
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    return this.commit(bucket, { ...header, size: body.length, etag }, body);
  }

  /**
   * Stores an object whose bytes are streamed from elsewhere (a completed multipart upload: its
   * parts one after the other), with the size and ETag the caller computed; atomic like `put`.
   */
  async putStreamed(
    bucket: string,
    header: ObjectHeader,
    body: AsyncIterable<Uint8Array>,
  ): Promise<StoredObject> {
    return this.commit(bucket, header, body);
  }

  private async commit(
    bucket: string,
    full: ObjectHeader,
    body: Buffer | AsyncIterable<Uint8Array>,
  ): Promise<StoredObject> {
    const objects = this.buckets.get(bucket)?.objects;
    if (!objects) throw new Error(`bucket ${bucket} does not exist`);
    const file = this.objectFile(bucket, full.key);
    const bodyOffset = await writeRecordFile(file, full, body, { fsync: this.options.fsync ?? false });
    const stored: StoredObject = { ...full, bodyOffset, file };
    if (!objects.has(full.key)) this.sorted.delete(bucket);
    objects.set(full.key, stored);
    return stored;
  }

  async delete(bucket: string, key: string): Promise<void> {
    const objects = this.buckets.get(bucket)?.objects;
    const stored = objects?.get(key);
    if (!objects || !stored) return;
    objects.delete(key);
    this.sorted.delete(bucket);
    await unlink(stored.file).catch((error: unknown) => {
      if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
    });
  }
}

async function readHeader(path: string): Promise<StoredObject> {
  const { header, bodyOffset } = await readRecordFile(path);
  if (typeof header.key !== 'string') throw new Error('object header without key or size');
  return { ...(header as unknown as ObjectHeader), bodyOffset, file: path };
}
