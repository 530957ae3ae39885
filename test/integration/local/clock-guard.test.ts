import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowMs } from '#adapters/clock';
import { startTestRuntime, type TestRuntime } from './support';

let t: TestRuntime;
const DAY = 86_400_000;
const realNow = () => performance.timeOrigin + performance.now();

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.stop();
});

const clockUrl = () => `${t.runtime.urls.api}/_local/clock`;
const offset = () => t.runtime.clock.offsetMs;

async function post(headers: Record<string, string>, body = '{"advance":"PT24H"}') {
  const response = await fetch(clockUrl(), { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /_local/clock', () => {
  it('refuses a cross-origin text/plain POST without credentials, and leaves the clock where it was', async () => {
    const before = offset();
    // What any web page can send without a preflight.
    const refused = await post({ origin: 'http://evil.example', 'content-type': 'text/plain' });
    expect(refused.status).toBe(401);
    expect(refused.body.message_id).toMatch(/token admin lokal/);
    expect(refused.body.message_en).toMatch(/local admin token/);
    expect(offset()).toBe(before);
  });

  it('refuses a token of another role (403), a forged token (401) and a non-JSON body (415)', async () => {
    const before = offset();
    const operator = await t.runtime.mintToken({ role: 'operator', region: '18.01' });
    const asOperator = await post({
      authorization: `Bearer ${operator}`,
      'content-type': 'application/json',
    });
    expect(asOperator.status).toBe(403);
    expect(asOperator.body.message_id).toMatch(/admin/);

    const admin = await t.runtime.mintToken({ role: 'admin' });
    const [head, payload] = admin.split('.');
    const forged = `${head}.${payload}.${'A'.repeat(342)}`;
    const asForger = await post({ authorization: `Bearer ${forged}`, 'content-type': 'application/json' });
    expect(asForger.status).toBe(401);

    const plain = await post({ authorization: `Bearer ${admin}`, 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect(plain.body.message_id).toMatch(/application\/json/);
    expect(plain.body.message_en).toMatch(/application\/json/);
    const form = await post(
      { authorization: `Bearer ${admin}`, 'content-type': 'application/x-www-form-urlencoded' },
      'advance=PT24H',
    );
    expect(form.status).toBe(415);
    expect(offset()).toBe(before);
  });

  it('moves the clock for the local admin with a JSON body', async () => {
    const before = offset();
    const admin = await t.runtime.mintToken({ role: 'admin' });
    const moved = await post({
      authorization: `Bearer ${admin}`,
      'content-type': 'application/json; charset=utf-8',
    });
    expect(moved.status).toBe(200);
    expect(offset() - before).toBeGreaterThanOrEqual(DAY);
  });
});

describe('a moved clock is product time only', () => {
  it('after a jump of days, real clients signing with real time still reach the local S3', async () => {
    await t.runtime.advanceClock('P5D');
    // Product code reads the moved clock through its port ...
    expect(nowMs() - realNow()).toBeGreaterThan(5 * DAY - 60_000);
    // ... while the process-wide Date stays real, for the SDK's SigV4 dates and the emulator's checks.
    expect(Math.abs(Date.now() - realNow())).toBeLessThan(1000);
    // biome-ignore lint/complexity/useDateNow: the constructor without arguments is what is under test.
    expect(Math.abs(new Date().getTime() - realNow())).toBeLessThan(1000);

    const bucket = t.runtime.template.buckets()[0]?.name ?? '';
    expect(bucket).not.toBe('');
    // Another process, as Debian's awscli would be: it signs with its own real clock.
    const listed = await realClient(bucket);
    expect(listed).toEqual({ ok: true, keys: ['clock/probe.txt'], body: 'halo' });
    // The emulator answers with real time, so no client learns a skew from it.
    expect(Math.abs(Date.parse(await headDate(bucket)) - realNow())).toBeLessThan(5000);
  });

  it('the local authorizer judges token expiry on the moved clock, as the tokens are minted on it', async () => {
    // Minted at real time: an hour's validity that is long over on the product's clock (days ahead).
    const stale = await t.runtime.mintToken({ role: 'admin', now: realNow() });
    const json = { 'content-type': 'application/json' };
    expect((await post({ ...json, authorization: `Bearer ${stale}` })).status).toBe(401);
    const fresh = await t.runtime.mintToken({ role: 'admin' });
    expect((await post({ ...json, authorization: `Bearer ${fresh}` }, '{"advance":"PT1M"}')).status).toBe(
      200,
    );
  });
});

async function headDate(bucket: string): Promise<string> {
  const response = await fetch(`${t.runtime.urls.s3}/${bucket}/clock/probe.txt`, { method: 'HEAD' });
  return response.headers.get('date') ?? '';
}

/** PutObject, ListObjectsV2 and GetObject with the SDK in a child process (real time, fresh client). */
async function realClient(bucket: string): Promise<unknown> {
  const script = `
    import { S3Client, PutObjectCommand, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
    const s3 = new S3Client({ endpoint: process.env.S3_URL, region: 'ap-southeast-3', forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, maxAttempts: 1 });
    const Bucket = process.env.BUCKET;
    try {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'clock/probe.txt', Body: 'halo' }));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'clock/' }));
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'clock/probe.txt' }));
      console.log(JSON.stringify({ ok: true, keys: (listed.Contents ?? []).map((o) => o.Key),
        body: await got.Body.transformToString() }));
    } catch (error) {
      console.log(JSON.stringify({ ok: false, error: error.name }));
    }`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', S3_URL: t.runtime.urls.s3, BUCKET: bucket },
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
}
