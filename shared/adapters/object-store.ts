import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The S3 port the handlers use: bytes and JSON documents, nothing else. */
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
