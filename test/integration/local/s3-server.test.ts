import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUploadPost } from '#adapters/upload-policy';
import { createLocalS3, type LocalS3, type S3EventRecord } from '#local/s3/server';
import { LOCAL_CREDENTIALS } from '#local/storage/s3';
import { awsCli } from './awscli';

const BUCKET = 'uploads-test';
const MB = 1024 * 1024;
let dir = '';
let s3: LocalS3;
let endpoint = '';
let client: S3Client;
const records: S3EventRecord[] = [];

const clientWith = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new S3Client({
    endpoint,
    region: 'ap-southeast-3',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-s3-server-'));
  s3 = await createLocalS3({ directory: dir, credentials: [LOCAL_CREDENTIALS] });
  await s3.store.createBucket(BUCKET, new Date());
  await new Promise<void>((resolve) => s3.server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(s3.server.address() as AddressInfo).port}`;
  s3.onRecord((r) => records.push(r));
  client = clientWith(LOCAL_CREDENTIALS);
});
afterAll(async () => {
  client?.destroy();
  s3?.server.closeAllConnections();
  await new Promise<void>((resolve) => s3?.server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const errorCode = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
const unescaped = async (response: Response) => (await response.text()).replaceAll('&quot;', '"');

describe('local S3: the operations our code and clients use, with SigV4', () => {
  it('puts, heads, gets (whole and a range), copies, lists with prefix/delimiter/pages and deletes', async () => {
    for (const key of ['a/1.json', 'a/2.json', 'a/b/3.json', 'c.json', 'name with spaces+plus.json'])
      await client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: `{"k":"${key}"}`,
          ContentType: 'application/json',
          ServerSideEncryption: 'AES256',
        }),
      );
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'a/1.json' }));
    expect(head).toMatchObject({
      ContentLength: 16,
      ContentType: 'application/json',
      ServerSideEncryption: 'AES256',
    });
    const got = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'name with spaces+plus.json' }),
    );
    expect(await got.Body?.transformToString()).toBe('{"k":"name with spaces+plus.json"}');
    const part = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'a/1.json', Range: 'bytes=2-4' }),
    );
    expect(await part.Body?.transformToString()).toBe('k":');
    expect(part.ContentRange).toBe('bytes 2-4/16');

    await client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.json', CopySource: `${BUCKET}/c.json` }),
    );
    expect(
      await (
        await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy.json' }))
      ).Body?.transformToString(),
    ).toBe('{"k":"c.json"}');

    const rolled = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'a/', Delimiter: '/' }),
    );
    expect(rolled.Contents?.map((c) => c.Key)).toEqual(['a/1.json', 'a/2.json']);
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/b/']);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 2, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    expect(keys).toEqual([
      'a/1.json',
      'a/2.json',
      'a/b/3.json',
      'c.json',
      'copy.json',
      'name with spaces+plus.json',
    ]);

    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'copy.json' }));
    await expect(
      client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'copy.json' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect((await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([BUCKET]);
    expect(records.filter((r) => r.eventName === 'ObjectCreated:Put').map((r) => r.s3.object.key)).toContain(
      'a/1.json',
    );
    expect(records.some((r) => r.eventName === 'ObjectCreated:Copy' && r.s3.object.key === 'copy.json')).toBe(
      true,
    );
  });

  it('refuses sub-resources it does not keep without touching the object; an untagged object has an empty tag set', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept.json', Body: '{"kept":true}' }));
    // Before, a PUT ?tagging fell through to PutObject and stored the tagging XML as the object.
    await expect(
      client.send(
        new PutObjectTaggingCommand({
          Bucket: BUCKET,
          Key: 'kept.json',
          Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
    const kept = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept.json' }));
    expect(await kept.Body?.transformToString()).toBe('{"kept":true}');
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'kept.json' }));
    expect(tags.TagSet ?? []).toEqual([]);
    await expect(
      client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'missing.json' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(
      client.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'kept.json', ACL: 'public-read' })),
    ).rejects.toMatchObject({ name: 'NotImplemented' });
    // A bucket sub-resource is not answered with a listing.
    await expect(client.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).rejects.toMatchObject({
      name: 'NotImplemented',
    });
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'kept.json' }));
  });

  it('serves presigned GET and PUT URLs, and refuses them once expired or tampered with', async () => {
    const put = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: 'presigned.txt' }), {
      expiresIn: 60,
    });
    expect((await fetch(put, { method: 'PUT', body: 'hello' })).status).toBe(200);
    const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'presigned.txt' }), {
      expiresIn: 60,
    });
    expect(await (await fetch(get)).text()).toBe('hello');
    const otherKey = get.replace('presigned.txt', 'a/1.json');
    const tampered = await fetch(otherKey);
    expect(tampered.status).toBe(403);
    expect(await errorCode(tampered)).toBe('SignatureDoesNotMatch');
    const old = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'presigned.txt' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    });
    const expired = await fetch(old);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('refuses anonymous reads, writes and deletes, a wrong secret and a skewed clock (as S3 does)', async () => {
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', 'x'],
      ['DELETE', undefined],
    ] as const) {
      const response = await fetch(`${endpoint}/${BUCKET}/a/1.json`, { method, ...(body ? { body } : {}) });
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe('AccessDenied');
    }
    expect((await fetch(`${endpoint}/${BUCKET}?list-type=2`)).status).toBe(403);
    expect(s3.store.head(BUCKET, 'a/1.json')?.size).toBe(16);
    const wrong = clientWith({ accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: 'guessed' });
    await expect(wrong.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/1.json' }))).rejects.toMatchObject(
      { name: 'SignatureDoesNotMatch' },
    );
    const unknown = clientWith({ accessKeyId: 'AKIAOTHER', secretAccessKey: 'S3RVER' });
    await expect(
      unknown.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/1.json' })),
    ).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    const skewed = new S3Client({
      endpoint,
      region: 'ap-southeast-3',
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
      systemClockOffset: -60 * 60 * 1000,
    });
    await expect(
      skewed.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/1.json' })),
    ).rejects.toMatchObject({ name: 'RequestTimeTooSkewed' });
    for (const c of [wrong, unknown, skewed]) c.destroy();
  });
});

describe('local S3: POST policies enforced as AWS does', () => {
  const grant = (region = '18.01', size = 10) =>
    buildUploadPost({
      client,
      bucket: BUCKET,
      cycleId: 'c1',
      region,
      uploadId: `data-${Date.now().toString(36)}abcdef01`,
      fileName: 'isian.csv',
      contentType: 'text/csv',
      size,
      kind: 'data',
    });
  const postForm = (fields: Record<string, string>, bytes: Uint8Array, fileName = 'isian.csv') => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'text/csv' }), fileName);
    return form;
  };

  it('accepts the legitimate upload exactly as granted (204, SSE applied, ObjectCreated:Post)', async () => {
    const post = await grant();
    const response = await fetch(post.url, {
      method: 'POST',
      body: postForm(post.fields, Buffer.from('a,b\n1,2\n')),
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('x-amz-server-side-encryption')).toBe('AES256');
    expect(s3.store.head(BUCKET, post.key)).toMatchObject({
      size: 8,
      contentType: 'text/csv',
      serverSideEncryption: 'AES256',
    });
    expect(records.at(-1)).toMatchObject({
      eventName: 'ObjectCreated:Post',
      s3: { object: { key: post.key, size: 8 } },
    });
  });

  it('refuses an 11 MB file under a 10 MB grant (EntityTooLarge) and stores nothing', async () => {
    const post = await grant('18.01', 10 * MB);
    const response = await fetch(post.url, {
      method: 'POST',
      body: postForm(post.fields, Buffer.alloc(11 * MB, 65)),
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('EntityTooLarge');
    expect(s3.store.head(BUCKET, post.key)).toBeUndefined();
  });

  it('refuses a key forged into another region, a changed content type or SSE, an extra field', async () => {
    const post = await grant('18.01');
    const forged = { ...post.fields, key: post.key.replace('/18.01/', '/11.02/') };
    const cases: [Record<string, string>, RegExp][] = [
      [forged, /Policy Condition failed: \["eq", "\$key"/],
      [{ ...post.fields, 'Content-Type': 'application/json' }, /Policy Condition failed/],
      [{ ...post.fields, 'x-amz-server-side-encryption': 'aws:kms' }, /Policy Condition failed/],
      [{ ...post.fields, 'x-amz-meta-region': '11.02' }, /Extra input fields: x-amz-meta-region/],
    ];
    for (const [fields, message] of cases) {
      const response = await fetch(post.url, {
        method: 'POST',
        body: postForm(fields, Buffer.from('a,b\n')),
      });
      expect(response.status).toBe(403);
      const text = await unescaped(response);
      expect(text).toContain('<Code>AccessDenied</Code>');
      expect(text).toMatch(message);
    }
    expect(s3.store.keys(BUCKET).filter((k) => k.includes('/11.02/'))).toEqual([]);
  });

  it('refuses an anonymous POST, a policy edited without re-signing, and an expired policy', async () => {
    const anonymous = await fetch(`${endpoint}/${BUCKET}`, {
      method: 'POST',
      body: postForm(
        { key: 'submissions/c1/13.01/data-x/isian.csv', 'Content-Type': 'text/csv' },
        Buffer.from('x'),
      ),
    });
    expect(anonymous.status).toBe(403);
    expect(await errorCode(anonymous)).toBe('AccessDenied');

    const post = await grant();
    const policy = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString()) as {
      conditions: unknown[];
    };
    policy.conditions = policy.conditions.map((c) =>
      Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 1, 100 * MB] : c,
    );
    const edited = await fetch(post.url, {
      method: 'POST',
      body: postForm(
        { ...post.fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') },
        Buffer.from('x'),
      ),
    });
    expect(edited.status).toBe(403);
    expect(await errorCode(edited)).toBe('SignatureDoesNotMatch');

    const stale = await createPresignedPost(client, { Bucket: BUCKET, Key: 'late.csv', Expires: -1 });
    const expired = await fetch(stale.url, {
      method: 'POST',
      body: postForm(stale.fields, Buffer.from('x')),
    });
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Policy expired');
  });
});

describe("local S3: Debian's awscli with --endpoint-url and the local credentials", () => {
  const aws = (...args: string[]) => awsCli(endpoint, dir, ...args);

  it('lists buckets and keys, copies a file up and down, removes it', { timeout: 60_000 }, async () => {
    expect(await aws('s3', 'ls')).toContain(BUCKET);
    const file = join(dir, 'cli-upload.txt');
    await writeFile(file, 'from awscli\n');
    await aws('s3', 'cp', file, `s3://${BUCKET}/cli/dir name/x.txt`);
    expect(await aws('s3', 'ls', `s3://${BUCKET}/cli/`, '--recursive')).toContain('cli/dir name/x.txt');
    await aws('s3', 'cp', `s3://${BUCKET}/cli/dir name/x.txt`, join(dir, 'cli-download.txt'));
    expect(await readFile(join(dir, 'cli-download.txt'), 'utf8')).toBe('from awscli\n');
    await aws('s3', 'rm', `s3://${BUCKET}/cli/dir name/x.txt`);
    expect(s3.store.head(BUCKET, 'cli/dir name/x.txt')).toBeUndefined();
  });
});
