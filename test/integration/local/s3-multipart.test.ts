import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectCreatedEvent } from '#local/events/s3-event';
import { createLocalS3, type LocalS3, type S3EventRecord } from '#local/s3/server';
import { LOCAL_CREDENTIALS } from '#local/storage/s3';
import { awsCli } from './awscli';

const BUCKET = 'multipart-test';
const MiB = 1024 * 1024;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
/** S3's multipart ETag, computed here by hand: MD5 of the concatenated binary part MD5s, then `-N`. */
const expectedEtag = (parts: Buffer[]) =>
  `"${createHash('md5')
    .update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))
    .digest('hex')}-${parts.length}"`;

interface Running {
  s3: LocalS3;
  client: S3Client;
  endpoint: string;
  records: S3EventRecord[];
  close: () => Promise<void>;
}

async function start(directory: string): Promise<Running> {
  const s3 = await createLocalS3({ directory, credentials: [LOCAL_CREDENTIALS] });
  await s3.store.createBucket(BUCKET, new Date());
  await new Promise<void>((resolve) => s3.server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(s3.server.address() as AddressInfo).port}`;
  const records: S3EventRecord[] = [];
  s3.onRecord((r) => records.push(r));
  // The SDK's defaults (checksums when supported): what an ordinary client sends.
  const client = new S3Client({
    endpoint,
    region: 'ap-southeast-3',
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    s3,
    client,
    endpoint,
    records,
    close: async () => {
      client.destroy();
      s3.server.closeAllConnections();
      await new Promise<void>((resolve) => s3.server.close(() => resolve()));
    },
  };
}

let dir = '';
let run: Running;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-s3-multipart-'));
  run = await start(join(dir, 's3'));
});
afterAll(async () => {
  await run?.close();
  await rm(dir, { recursive: true, force: true });
});

const create = async (key: string, client = run.client) =>
  (
    await client.send(
      new CreateMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        ContentType: 'text/csv',
        Metadata: { origin: 'multipart' },
        ServerSideEncryption: 'AES256',
      }),
    )
  ).UploadId ?? '';
const uploadPart = async (
  key: string,
  uploadId: string,
  partNumber: number,
  body: Buffer,
  client = run.client,
) =>
  (
    await client.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
      }),
    )
  ).ETag ?? '';
const complete = (
  key: string,
  uploadId: string,
  parts: { PartNumber: number; ETag: string }[],
  client = run.client,
) =>
  client.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
const bytesOf = async (key: string, client = run.client) =>
  Buffer.from(
    (await (
      await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
    ).Body?.transformToByteArray()) ?? [],
  );
const partsOf = async (key: string, uploadId: string) =>
  (await run.client.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }))).Parts ?? [];

const first = Buffer.alloc(5 * MiB, 'a');
const second = Buffer.alloc(5 * MiB, 'b');
const last = Buffer.from('c');

describe('local S3: multipart uploads with the SDK', () => {
  it('assembles 5 MiB + 5 MiB + 1 byte into one object (bytes, ETag md5(md5s)-3, content type, metadata) and emits one CompleteMultipartUpload event', {
    timeout: 60_000,
  }, async () => {
    const key = 'data/18.01/isian.csv';
    const uploadId = await create(key);
    expect(uploadId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const etags = [
      await uploadPart(key, uploadId, 1, first),
      // Sent as a stream: the SDK signs it UNSIGNED-PAYLOAD, decoded as PutObject's bodies are.
      (
        await run.client.send(
          new UploadPartCommand({
            Bucket: BUCKET,
            Key: key,
            UploadId: uploadId,
            PartNumber: 2,
            Body: Readable.from([second.subarray(0, MiB), second.subarray(MiB)]),
            ContentLength: second.length,
          }),
        )
      ).ETag ?? '',
      await uploadPart(key, uploadId, 3, last),
    ];
    expect(etags).toEqual([`"${md5(first)}"`, `"${md5(second)}"`, `"${md5(last)}"`]);
    // Nothing is an object before completion; the parts are never listed.
    expect((await run.client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
    const [pending] =
      (await run.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? [];
    expect(pending).toMatchObject({ Key: key, UploadId: uploadId, StorageClass: 'STANDARD' });

    const done = await complete(
      key,
      uploadId,
      etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })),
    );
    const etag = expectedEtag([first, second, last]);
    expect(done).toMatchObject({ Bucket: BUCKET, Key: key, ETag: etag });
    expect(done.Location).toBe(`${run.endpoint}/${BUCKET}/data/18.01/isian.csv`);

    const head = await run.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head).toMatchObject({
      ContentLength: 10 * MiB + 1,
      ContentType: 'text/csv',
      ETag: etag,
      Metadata: { origin: 'multipart' },
      ServerSideEncryption: 'AES256',
    });
    // As on AWS, a multipart object's LastModified is when its upload was initiated.
    expect(new Date(run.s3.store.head(BUCKET, key)?.lastModified ?? 0)).toEqual(pending?.Initiated);
    const got = await bytesOf(key);
    expect(got.length).toBe(10 * MiB + 1);
    expect(md5(got)).toBe(md5(Buffer.concat([first, second, last])));

    const created = run.records.filter((r) => r.s3.object.key === key);
    expect(created.map((r) => r.eventName)).toEqual(['ObjectCreated:CompleteMultipartUpload']);
    const [record] = created;
    if (!record) throw new Error('no record');
    expect(record.s3.object).toMatchObject({ size: 10 * MiB + 1, eTag: etag.replaceAll('"', '') });
    // What EventBridge delivers to ingestion, as AWS does for a completed multipart upload.
    expect(objectCreatedEvent(record, 'ap-southeast-3', '000000000000', new Date())).toMatchObject({
      'detail-type': 'Object Created',
      detail: { object: { key, size: 10 * MiB + 1 }, reason: 'CompleteMultipartUpload' },
    });

    // Completed: the upload and its parts are gone.
    expect(
      (await run.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? [],
    ).toEqual([]);
    expect(await readdir(join(dir, 's3', 'buckets', BUCKET, 'uploads'))).toEqual([]);
    await expect(complete(key, uploadId, [{ PartNumber: 1, ETag: etags[0] ?? '' }])).rejects.toMatchObject({
      name: 'NoSuchUpload',
    });
  });

  it('answers InvalidPart, InvalidPartOrder, EntityTooSmall and NoSuchUpload as S3 does, writing nothing', {
    timeout: 60_000,
  }, async () => {
    const key = 'errors.bin';
    const uploadId = await create(key);
    const one = await uploadPart(key, uploadId, 1, Buffer.alloc(1024, 'x'));
    const two = await uploadPart(key, uploadId, 2, Buffer.alloc(1024, 'y'));
    const three = await uploadPart(key, uploadId, 3, Buffer.alloc(10, 'z'));

    await expect(complete(key, uploadId, [{ PartNumber: 4, ETag: one }])).rejects.toMatchObject({
      name: 'InvalidPart',
    });
    await expect(complete(key, uploadId, [{ PartNumber: 1, ETag: two }])).rejects.toMatchObject({
      name: 'InvalidPart',
    });
    await expect(
      complete(key, uploadId, [
        { PartNumber: 2, ETag: two },
        { PartNumber: 1, ETag: one },
      ]),
    ).rejects.toMatchObject({ name: 'InvalidPartOrder' });
    await expect(
      complete(key, uploadId, [
        { PartNumber: 1, ETag: one },
        { PartNumber: 1, ETag: one },
      ]),
    ).rejects.toMatchObject({ name: 'InvalidPartOrder' });
    await expect(
      complete(key, uploadId, [
        { PartNumber: 1, ETag: one },
        { PartNumber: 3, ETag: three },
      ]),
    ).rejects.toMatchObject({ name: 'EntityTooSmall', $metadata: { httpStatusCode: 400 } });
    await expect(complete(key, 'A'.repeat(32), [{ PartNumber: 1, ETag: one }])).rejects.toMatchObject({
      name: 'NoSuchUpload',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(uploadPart(key, '../../objects', 1, last)).rejects.toMatchObject({ name: 'NoSuchUpload' });
    // The upload belongs to its key: another key with the same id is no upload.
    await expect(uploadPart('other.bin', uploadId, 1, last)).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(uploadPart(key, uploadId, 10_001, last)).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(uploadPart(key, uploadId, 0, last)).rejects.toMatchObject({ name: 'InvalidArgument' });

    await expect(run.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    expect(run.records.filter((r) => r.s3.object.key === key)).toEqual([]);
    // A single part under 5 MiB is fine as the last (and only) part.
    const done = await complete(key, uploadId, [{ PartNumber: 3, ETag: three }]);
    expect(done.ETag).toBe(expectedEtag([Buffer.alloc(10, 'z')]));
    expect((await bytesOf(key)).toString()).toBe('zzzzzzzzzz');
  });

  it('replaces a re-sent part, lists parts and uploads, and abort removes the parts', async () => {
    const key = 'resent.bin';
    const uploadId = await create(key);
    const other = await create('other/upload.bin');
    const old = await uploadPart(key, uploadId, 1, Buffer.from('first try'));
    const fresh = await uploadPart(key, uploadId, 1, Buffer.from('second try!'));
    await uploadPart(key, uploadId, 2, Buffer.from('tail'));
    expect(fresh).not.toBe(old);
    const parts = await partsOf(key, uploadId);
    expect(parts.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, fresh, 11],
      [2, `"${md5(Buffer.from('tail'))}"`, 4],
    ]);
    const page = await run.client.send(
      new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId, MaxParts: 1 }),
    );
    expect(page).toMatchObject({ IsTruncated: true, NextPartNumberMarker: '1' });
    expect(page.Parts?.map((p) => p.PartNumber)).toEqual([1]);
    await expect(complete(key, uploadId, [{ PartNumber: 1, ETag: old }])).rejects.toMatchObject({
      name: 'InvalidPart',
    });

    const listed = await run.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(listed.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([
      ['other/upload.bin', other],
      [key, uploadId],
    ]);
    const prefixed = await run.client.send(
      new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'other/' }),
    );
    expect(prefixed.Uploads?.map((u) => u.UploadId)).toEqual([other]);
    const paged = await run.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, MaxUploads: 1 }));
    expect(paged).toMatchObject({
      IsTruncated: true,
      NextKeyMarker: 'other/upload.bin',
      NextUploadIdMarker: other,
    });
    const rest = await run.client.send(
      new ListMultipartUploadsCommand({
        Bucket: BUCKET,
        KeyMarker: paged.NextKeyMarker,
        UploadIdMarker: paged.NextUploadIdMarker,
      }),
    );
    expect(rest.Uploads?.map((u) => u.UploadId)).toEqual([uploadId]);

    const staging = join(dir, 's3', 'buckets', BUCKET, 'uploads');
    expect((await readdir(join(staging, uploadId))).sort()).toEqual([
      '00001.part',
      '00002.part',
      'upload.json',
    ]);
    await run.client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }));
    await run.client.send(
      new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'other/upload.bin', UploadId: other }),
    );
    expect(await readdir(staging)).toEqual([]);
    await expect(partsOf(key, uploadId)).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(
      run.client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId })),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(uploadPart(key, uploadId, 3, last)).rejects.toMatchObject({ name: 'NoSuchUpload' });
    expect(run.s3.store.head(BUCKET, key)).toBeUndefined();
  });

  it('copies parts from a stored object (UploadPartCopy, whole or a byte range)', async () => {
    const source = Buffer.concat([first, Buffer.from('0123456789')]);
    await run.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'copy/source.bin', Body: source }));
    const key = 'copy/assembled.bin';
    const uploadId = await create(key);
    const copy = (PartNumber: number, CopySourceRange?: string) =>
      run.client.send(
        new UploadPartCopyCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: uploadId,
          PartNumber,
          CopySource: `${BUCKET}/copy/source.bin`,
          ...(CopySourceRange ? { CopySourceRange } : {}),
        }),
      );
    const whole = await copy(1);
    const range = await copy(2, `bytes=${5 * MiB + 2}-${5 * MiB + 4}`);
    expect(whole.CopyPartResult?.ETag).toBe(`"${md5(source)}"`);
    expect(range.CopyPartResult?.ETag).toBe(`"${md5(Buffer.from('234'))}"`);
    await expect(copy(3, `bytes=0-${source.length}`)).rejects.toMatchObject({ name: 'InvalidArgument' });
    await complete(key, uploadId, [
      { PartNumber: 1, ETag: whole.CopyPartResult?.ETag ?? '' },
      { PartNumber: 2, ETag: range.CopyPartResult?.ETag ?? '' },
    ]);
    expect(md5(await bytesOf(key))).toBe(md5(Buffer.concat([source, Buffer.from('234')])));
  });

  it('refuses unsigned multipart requests (AccessDenied), like every other request', async () => {
    for (const [method, query] of [
      ['POST', 'uploads'],
      ['GET', 'uploads'],
      ['PUT', `partNumber=1&uploadId=${'A'.repeat(32)}`],
      ['DELETE', `uploadId=${'A'.repeat(32)}`],
    ] as const) {
      const url =
        query === 'uploads' && method === 'GET'
          ? `${run.endpoint}/${BUCKET}?uploads`
          : `${run.endpoint}/${BUCKET}/k?${query}`;
      const response = await fetch(url, { method, ...(method === 'PUT' ? { body: 'x' } : {}) });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>AccessDenied</Code>');
    }
  });
});

describe('local S3: a multipart upload survives a restart', () => {
  it('continues after the server is closed and opened again on the same folder; a cut-off part is quarantined', {
    timeout: 60_000,
  }, async () => {
    const folder = join(dir, 'restart');
    const before = await start(folder);
    const key = 'restart/big.bin';
    const uploadId = await create(key, before.client);
    const one = await uploadPart(key, uploadId, 1, first, before.client);
    await before.close();

    const staging = join(folder, 'buckets', BUCKET, 'uploads');
    // What a kill leaves: a part cut off while written, an upload whose creation never answered,
    // a removal under way.
    await writeFile(join(staging, uploadId, '.partial-0123456789ab-00002.part'), 'half a part');
    await mkdir(join(staging, 'B'.repeat(32)));
    await mkdir(join(staging, `.removing-${'C'.repeat(32)}-abcd`));
    await writeFile(join(staging, `.removing-${'C'.repeat(32)}-abcd`, '00001.part'), 'gone');

    const after = await start(folder);
    try {
      expect(after.s3.quarantined).toEqual([
        expect.objectContaining({
          bucket: BUCKET,
          key,
          reason: 'incomplete upload part (the process stopped while storing it)',
        }),
      ]);
      expect(await readdir(staging)).toEqual([uploadId]);
      const listed = await after.client.send(
        new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }),
      );
      expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag])).toEqual([[1, one]]);
      const two = await uploadPart(key, uploadId, 2, last, after.client);
      const done = await complete(
        key,
        uploadId,
        [
          { PartNumber: 1, ETag: one },
          { PartNumber: 2, ETag: two },
        ],
        after.client,
      );
      expect(done.ETag).toBe(expectedEtag([first, last]));
      const got = await bytesOf(key, after.client);
      expect(md5(got)).toBe(md5(Buffer.concat([first, last])));
      expect(after.records.map((r) => r.eventName)).toEqual(['ObjectCreated:CompleteMultipartUpload']);
    } finally {
      await after.close();
    }
  });
});

describe("local S3: Debian's awscli copies a 12 MB file (multipart above its 8 MB threshold)", () => {
  const aws = (...args: string[]) => awsCli(run.endpoint, dir, ...args);

  it('uploads with aws s3 cp and downloads identical bytes', { timeout: 120_000 }, async () => {
    const file = join(dir, 'twelve.bin');
    const bytes = randomBytes(12 * MiB + 123);
    await writeFile(file, bytes);
    await aws('s3', 'cp', '--no-progress', file, `s3://${BUCKET}/cli/twelve.bin`);
    const stored = run.s3.store.head(BUCKET, 'cli/twelve.bin');
    // 8 MiB parts by default: two parts, so a multipart ETag.
    expect(stored?.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(stored?.size).toBe(bytes.length);
    await aws('s3', 'cp', '--no-progress', `s3://${BUCKET}/cli/twelve.bin`, join(dir, 'twelve-back.bin'));
    expect(md5(await readFile(join(dir, 'twelve-back.bin')))).toBe(md5(bytes));
    expect(run.records.filter((r) => r.s3.object.key === 'cli/twelve.bin').map((r) => r.eventName)).toEqual([
      'ObjectCreated:CompleteMultipartUpload',
    ]);
    // S3 to S3 above the threshold: awscli copies the parts with UploadPartCopy. `--copy-props
    // none`: the local S3 keeps no object tags, so awscli must not ask for them (GetObjectTagging).
    await aws(
      's3',
      'cp',
      '--no-progress',
      '--copy-props',
      'none',
      `s3://${BUCKET}/cli/twelve.bin`,
      `s3://${BUCKET}/cli/twelve-copy.bin`,
    );
    expect(run.s3.store.head(BUCKET, 'cli/twelve-copy.bin')?.etag).toMatch(/-2"$/);
    await aws(
      's3',
      'cp',
      '--no-progress',
      `s3://${BUCKET}/cli/twelve-copy.bin`,
      join(dir, 'twelve-copy.bin'),
    );
    expect(md5(await readFile(join(dir, 'twelve-copy.bin')))).toBe(md5(bytes));
  });
});
