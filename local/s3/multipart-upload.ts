import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PARTIAL_PREFIX, writeFileAtomic } from '../atomic-file';
import { S3Error } from './errors';
import { readRecordFile, readRecordHeader, writeRecordFile } from './record-file';
import type { ObjectHeader, ObjectStoreFiles, StoredObject } from './store';

/**
 * The multipart staging area of a bucket: `<bucket>/uploads/<uploadId>/upload.json` (the key and the
 * final object's header, kept from CreateMultipartUpload) and one file per part, `<NNNNN>.part`, in
 * the store's record format (header with size and ETag, then the bytes), each written atomically so
 * a re-sent part replaces the earlier one whole. It lives beside `objects/`, so it is never listed,
 * and on disk only (no state in memory), so an upload continues after a restart. Completion writes
 * the object atomically through the store, then removes the upload; abort removes it. Removal first
 * renames the folder to `.removing-…` (atomic), so a kill mid-removal never leaves half an upload.
 */

const UPLOAD_FILE = 'upload.json';
const PART_SUFFIX = '.part';
const REMOVING_PREFIX = '.removing-';
const UPLOAD_ID = /^[A-Za-z0-9_-]{32}$/;

export interface Upload {
  uploadId: string;
  key: string;
  /** ISO instant of CreateMultipartUpload (the product's clock). */
  initiated: string;
  /** The final object's header (content type, metadata, stored headers, SSE). */
  header: Omit<ObjectHeader, 'size' | 'etag'>;
}

export interface Part {
  partNumber: number;
  size: number;
  /** Quoted hex MD5 of the part, as S3 returns it. */
  etag: string;
  lastModified: string;
}

const partFile = (partNumber: number) => `${String(partNumber).padStart(5, '0')}${PART_SUFFIX}`;

export class MultipartUploads {
  constructor(
    private readonly store: ObjectStoreFiles,
    private readonly options: { fsync: boolean },
  ) {}

  private uploadsDir(bucket: string): string {
    return join(this.store.bucketDir(bucket), 'uploads');
  }

  private uploadDir(bucket: string, uploadId: string): string {
    return join(this.uploadsDir(bucket), uploadId);
  }

  /**
   * Cleans what a kill left in every bucket's staging area: removals under way are finished, an
   * upload whose CreateMultipartUpload never answered (no `upload.json`) is removed, and a cut-off
   * or torn part is quarantined and reported like the store's other partial files.
   */
  async open(): Promise<void> {
    for (const { name: bucket } of this.store.bucketNames()) {
      const dir = this.uploadsDir(bucket);
      for (const entry of await readdir(dir).catch(() => [])) {
        const path = join(dir, entry);
        const upload = UPLOAD_ID.test(entry) ? await this.upload(bucket, entry) : undefined;
        if (!upload) {
          await rm(path, { recursive: true, force: true });
          continue;
        }
        for (const file of await readdir(path)) {
          if (file === UPLOAD_FILE) continue;
          const where = join(path, file);
          if (file.startsWith(PARTIAL_PREFIX)) {
            await this.store.setAside(
              bucket,
              where,
              'incomplete upload part (the process stopped while storing it)',
              upload.key,
            );
            continue;
          }
          const problem = await readRecordFile(where).then(
            ({ header }) => (partFile(Number(header.partNumber)) === file ? undefined : 'part file misnamed'),
            (error: unknown) => (error as Error).message,
          );
          if (problem) await this.store.setAside(bucket, where, `upload part: ${problem}`, upload.key);
        }
      }
    }
  }

  async create(bucket: string, header: Omit<ObjectHeader, 'size' | 'etag'>): Promise<Upload> {
    const upload: Upload = {
      uploadId: randomBytes(24).toString('base64url'),
      key: header.key,
      initiated: header.lastModified,
      header,
    };
    await writeFileAtomic(join(this.uploadDir(bucket, upload.uploadId), UPLOAD_FILE), JSON.stringify(upload));
    return upload;
  }

  /** The upload, if it exists (not completed, aborted or never created). */
  async upload(bucket: string, uploadId: string): Promise<Upload | undefined> {
    if (!UPLOAD_ID.test(uploadId)) return undefined;
    try {
      const upload = JSON.parse(
        await readFile(join(this.uploadDir(bucket, uploadId), UPLOAD_FILE), 'utf8'),
      ) as Upload;
      return upload.uploadId === uploadId ? upload : undefined;
    } catch {
      return undefined;
    }
  }

  /** Every upload in progress in the bucket, by key then initiation. */
  async uploads(bucket: string): Promise<Upload[]> {
    const found: Upload[] = [];
    for (const entry of await readdir(this.uploadsDir(bucket)).catch(() => [])) {
      const upload = await this.upload(bucket, entry);
      if (upload) found.push(upload);
    }
    const order = (u: Upload) => [Buffer.from(u.key), u.initiated, u.uploadId] as const;
    return found.sort((a, b) => {
      const [ak, ai, au] = order(a);
      const [bk, bi, bu] = order(b);
      return Buffer.compare(ak, bk) || ai.localeCompare(bi) || au.localeCompare(bu);
    });
  }

  /** Stores a part (replacing one of the same number); undefined if the upload is gone meanwhile. */
  async putPart(
    bucket: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    now: string,
  ): Promise<Part | undefined> {
    const part: Part = {
      partNumber,
      size: body.length,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: now,
    };
    const file = join(this.uploadDir(bucket, uploadId), partFile(partNumber));
    try {
      await writeRecordFile(file, part, body, this.options);
    } catch (error) {
      // Completed or aborted while the part arrived: its folder is gone.
      if (isMissing(error)) return undefined;
      throw error;
    }
    return part;
  }

  /** The upload's parts in part-number order. */
  async parts(bucket: string, uploadId: string): Promise<Part[]> {
    const dir = this.uploadDir(bucket, uploadId);
    const parts: Part[] = [];
    for (const file of (await readdir(dir).catch(() => [])).sort()) {
      if (!file.endsWith(PART_SUFFIX) || file.startsWith(PARTIAL_PREFIX)) continue;
      const record = await readRecordFile(join(dir, file)).catch(() => undefined);
      if (record) parts.push(record.header as unknown as Part);
    }
    return parts;
  }

  /**
   * Writes the object from the chosen parts (already checked against `parts()`), atomically through
   * the store, then removes the upload. A part re-sent since the check no longer has the ETag asked
   * for: InvalidPart, and nothing is written.
   */
  async complete(
    bucket: string,
    upload: Upload,
    chosen: readonly Part[],
    etag: string,
  ): Promise<StoredObject> {
    const dir = this.uploadDir(bucket, upload.uploadId);
    const size = chosen.reduce((sum, part) => sum + part.size, 0);
    async function* bytes(): AsyncGenerator<Uint8Array> {
      for (const part of chosen) {
        const handle = await open(join(dir, partFile(part.partNumber)), 'r').catch((error: unknown) => {
          if (isMissing(error)) throw noSuchUpload(upload.uploadId);
          throw error;
        });
        try {
          const { header, bodyOffset } = await readRecordHeader(handle);
          if (header.size !== part.size || header.etag !== part.etag) throw invalidPart(part);
          if (part.size === 0) continue;
          yield* handle.createReadStream({
            start: bodyOffset,
            end: bodyOffset + part.size - 1,
            autoClose: false,
          });
        } finally {
          await handle.close();
        }
      }
    }
    const stored = await this.store.putStreamed(bucket, { ...upload.header, size, etag }, bytes());
    await this.remove(bucket, upload.uploadId);
    return stored;
  }

  /** Removes an upload and its parts; false if there was none. */
  async remove(bucket: string, uploadId: string): Promise<boolean> {
    if (!UPLOAD_ID.test(uploadId)) return false;
    const removing = join(
      this.uploadsDir(bucket),
      `${REMOVING_PREFIX}${uploadId}-${randomBytes(4).toString('hex')}`,
    );
    try {
      await rename(this.uploadDir(bucket, uploadId), removing);
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await rm(removing, { recursive: true, force: true });
    return true;
  }
}

const isMissing = (error: unknown) =>
  error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');

export const noSuchUpload = (uploadId: string) =>
  new S3Error(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );

export const invalidPart = (part: { partNumber: number; etag: string }) =>
  new S3Error(
    400,
    'InvalidPart',
    "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    { PartNumber: String(part.partNumber), ETag: part.etag },
  );
