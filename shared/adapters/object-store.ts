import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** An object as a listing and HeadObject describe it. */
export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  versionId?: string;
  /** When it landed (S3's Last-Modified). */
  lastModified?: Date;
}

/** The S3 port the handlers use: bytes and JSON documents, listings of a prefix. */
export class ObjectStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async getBytes(key: string, options: { versionId?: string; maxBytes?: number } = {}): Promise<Buffer> {
    const out = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(options.versionId ? { VersionId: options.versionId } : {}),
      }),
    );
    if (options.maxBytes !== undefined && (out.ContentLength ?? 0) > options.maxBytes)
      throw new ObjectTooLargeError(key, out.ContentLength ?? 0, options.maxBytes);
    const bytes = await out.Body?.transformToByteArray();
    return Buffer.from(bytes ?? new Uint8Array());
  }

  /**
   * Every object under `prefix`, in key order. Pages with StartAfter (the last key) rather than
   * continuation tokens, which the local emulator cannot issue on Node 20.
   */
  async *list(prefix: string): AsyncGenerator<ObjectInfo> {
    let startAfter: string | undefined;
    for (;;) {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: 1000,
          ...(startAfter ? { StartAfter: startAfter } : {}),
        }),
      );
      const contents = out.Contents ?? [];
      for (const o of contents) {
        if (!o.Key) continue;
        yield {
          key: o.Key,
          size: o.Size ?? 0,
          ...(o.ETag ? { etag: o.ETag.replaceAll('"', '') } : {}),
          ...(o.LastModified ? { lastModified: o.LastModified } : {}),
        };
      }
      const last = contents.at(-1)?.Key;
      if (!out.IsTruncated || !last) return;
      startAfter = last;
    }
  }

  /** The current version of `key` (its version id on a versioned bucket). */
  async head(key: string): Promise<ObjectInfo> {
    const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    return {
      key,
      size: out.ContentLength ?? 0,
      ...(out.ETag ? { etag: out.ETag.replaceAll('"', '') } : {}),
      ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}),
      ...(out.LastModified ? { lastModified: out.LastModified } : {}),
    };
  }

  async getJson<T = unknown>(key: string): Promise<T> {
    return JSON.parse((await this.getBytes(key)).toString('utf8')) as T;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.put(key, JSON.stringify(value), 'application/json');
  }

  async put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ServerSideEncryption: 'AES256',
      }),
    );
  }
}

export class ObjectTooLargeError extends Error {
  constructor(
    readonly key: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`object ${key} is ${size} bytes, above the ${maxBytes} byte limit`);
    this.name = 'ObjectTooLargeError';
  }
}
