import { createHash, randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { dataLayout } from '#local/config';
import { LOCAL_CREDENTIALS } from '#local/storage/s3';
import { killRuntimeChild, type RuntimeChild, startRuntimeChild } from '#test/support/runtime-child';

/**
 * Issue 9 §0 and §3 together: a multipart upload through the real `indeks start` cut by SIGKILL
 * while a part is being stored and while the upload is being completed. After each restart on the
 * same data folder the key holds the old object whole (never a torn mix), the cut-off file is
 * quarantined and reported, and the upload continues from the parts acknowledged before.
 */

const BUCKET = 'multipart-kill';
const KEY = 'exports/large.bin';
const MiB = 1024 * 1024;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const children: RuntimeChild[] = [];
let dir = '';

afterAll(async () => {
  for (const child of children) await killRuntimeChild(child);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<{ child: RuntimeChild; s3: S3Client }> {
  const child = await startRuntimeChild(dir);
  children.push(child);
  const s3 = new S3Client({
    endpoint: child.s3,
    region: 'ap-southeast-3',
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  return { child, s3 };
}

/** Sends `request` and SIGKILLs the runtime the moment a `.partial-` file appears in `folder`. */
async function killWhileWriting(child: RuntimeChild, folder: string, request: Promise<unknown>) {
  const settled = request.then(
    () => 'answered',
    () => 'cut off',
  );
  const writing = new Promise<string>((resolve) => {
    const watcher = watch(folder, (_event, name) => {
      if (!name?.startsWith('.partial-')) return;
      watcher.close();
      resolve('writing');
    });
    void settled.then(() => watcher.close());
  });
  const first = await Promise.race([writing, settled]);
  // The kill must land in the middle of the write, or this test proves nothing.
  expect(first).toBe('writing');
  await killRuntimeChild(child);
  expect(await settled).toBe('cut off');
}

const bodyOf = async (s3: S3Client) =>
  Buffer.from(
    (await (
      await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }))
    ).Body?.transformToByteArray()) ?? [],
  );

describe('the local runtime survives SIGKILL during a multipart upload', () => {
  it('keeps the old object whole, quarantines the cut-off file and lets the upload continue', {
    timeout: 240_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'indeks-kill-multipart-'));
    const s3Data = dataLayout(dir).s3;
    const objects = join(s3Data, 'buckets', BUCKET, 'objects');
    const old = randomBytes(1000);
    const parts = [randomBytes(5 * MiB), randomBytes(40 * MiB), randomBytes(40 * MiB)];

    let { child, s3 } = await start();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: old }));
    const uploadId =
      (await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY }))).UploadId ?? '';
    const staging = join(s3Data, 'buckets', BUCKET, 'uploads', uploadId);
    const send = (n: number) =>
      s3.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: KEY,
          UploadId: uploadId,
          PartNumber: n,
          Body: parts[n - 1],
        }),
      );
    const etags = [(await send(1)).ETag ?? '', (await send(2)).ETag ?? ''];

    // 1. Killed while part 3 is being stored.
    await killWhileWriting(child, staging, send(3));
    s3.destroy();
    ({ child, s3 } = await start());
    expect(child.output()).toMatch(
      /incomplete object quarantined: multipart-kill\/exports\/large\.bin .*incomplete upload part/,
    );
    const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: KEY, UploadId: uploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag])).toEqual([
      [1, etags[0]],
      [2, etags[1]],
    ]);
    expect(md5(await bodyOf(s3))).toBe(md5(old));

    // 2. Killed while the upload is being completed: the old object stays, whole.
    const complete = () =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: KEY,
          UploadId: uploadId,
          MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
        }),
      );
    await killWhileWriting(child, objects, complete());
    s3.destroy();
    ({ child, s3 } = await start());
    expect(child.output()).toMatch(/incomplete object quarantined: multipart-kill → .*incomplete write/);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }))).ETag).toBe(`"${md5(old)}"`);
    expect(md5(await bodyOf(s3))).toBe(md5(old));
    expect((await readdir(objects)).filter((f) => f.startsWith('.partial-'))).toEqual([]);

    // 3. The upload is still there: completing it now gives the new object.
    const done = await complete();
    const joined = Buffer.concat([parts[0] ?? Buffer.alloc(0), parts[1] ?? Buffer.alloc(0)]);
    expect(done.ETag).toMatch(/-2"$/);
    expect(md5(await bodyOf(s3))).toBe(md5(joined));
    s3.destroy();
  });
});
