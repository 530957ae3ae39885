import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDocumentClient,
  createRepositories,
  type Repositories,
  type SubmissionRecord,
} from '#adapters/dynamo/index';
import { LOCAL_CREDENTIALS } from '#local/storage/s3';
import { innovation, spdAtLevel } from '../../support/iid';
import { startTestRuntime, type TestRuntime } from '../local/support';
import { openCalendar, shipped } from './harness';

/**
 * Issue 9 §3 in the local runtime (real handlers, the local S3 enforcing POST policies and SigV4,
 * EventBridge to ingest-upload): what lands is what was granted, on time. The attacks of the issue
 * (an 11 MB file, a key forged into another region, an unsigned PUT, an anonymous POST) are refused
 * by S3 itself; an object that lands without a grant is kept as NOT_GRANTED and never scored.
 */
const IID = shipped('iid-2023');
const MB = 1024 * 1024;
let t: TestRuntime;
let repos: Repositories;
let token = '';
let bucket = '';

beforeAll(async () => {
  t = await startTestRuntime();
  repos = createRepositories(createDocumentClient(), t.runtime.template.tables()[0]?.name ?? '');
  bucket = t.runtime.template.buckets().find((b) => b.eventBridge)?.name ?? '';
  await repos.cycles.create({
    cycleId: 'grants',
    index: 'IID',
    period: 2023,
    name: 'IID 2023',
    calendar: openCalendar(t.runtime.clock.now()),
    methodology: { id: IID.id, hash: IID.hash },
  });
  token = await t.runtime.mintToken({ role: 'operator', region: '18.01' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const validFile = () =>
  Buffer.from(
    JSON.stringify({
      methodology: 'iid-2023',
      methodologyHash: IID.hash,
      region: '18.01',
      period: 2023,
      indicators: spdAtLevel(2),
      groups: { inovasi: [innovation('INV-1', 3, { tahun: 2021 })] },
    }),
  );

async function grant(size: number) {
  const res = await fetch(`${t.runtime.urls.api}/cycles/grants/regions/18.01/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fileName: 'isian.json', contentType: 'application/json', size, kind: 'data' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { url: string; fields: Record<string, string>; key: string; uploadId: string };
}

const form = (fields: Record<string, string>, bytes: Buffer) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  data.append('file', new Blob([bytes], { type: 'application/json' }), 'isian.json');
  return data;
};

async function settled(kode: string, key: string, statuses: string[]): Promise<SubmissionRecord> {
  for (let attempt = 0; attempt < 200; attempt++) {
    await t.runtime.idle();
    const found = (await repos.submissions.listForRegion('grants', kode)).items.find(
      (s) => s.object.key === key,
    );
    if (found && statuses.includes(found.status)) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no submission in ${statuses.join('/')} for ${key}`);
}

describe('grants: recorded when issued, enforced by the local S3, checked at ingestion', () => {
  it('the legitimate flow: the grant is recorded and the upload ends SCORED with its uploader', async () => {
    const bytes = validFile();
    const post = await grant(bytes.length);
    const recorded = await repos.grants.get('grants', '18.01', post.uploadId);
    expect(recorded).toMatchObject({ key: post.key, minBytes: 1, maxBytes: 10 * MB, kind: 'data' });
    expect(recorded?.grantedBy).toMatch(/.+/);
    expect((await fetch(post.url, { method: 'POST', body: form(post.fields, bytes) })).status).toBe(204);
    const submission = await settled('18.01', post.key, ['SCORED', 'REJECTED', 'FAILED']);
    expect(submission.status).toBe('SCORED');
    expect(submission.uploadedBy).toBe(recorded?.grantedBy);
  });

  it('refuses an 11 MB file, a key forged into another region, an unsigned PUT and an anonymous POST', async () => {
    const post = await grant(1000);
    const big = await fetch(post.url, { method: 'POST', body: form(post.fields, Buffer.alloc(11 * MB, 32)) });
    expect([big.status, await big.text()]).toEqual([
      400,
      expect.stringContaining('<Code>EntityTooLarge</Code>'),
    ]);

    const forgedKey = post.key.replace('/18.01/', '/11.02/');
    const forged = await fetch(post.url, {
      method: 'POST',
      body: form({ ...post.fields, key: forgedKey }, validFile()),
    });
    expect([forged.status, await forged.text()]).toEqual([
      403,
      expect.stringContaining('<Code>AccessDenied</Code>'),
    ]);

    const unsigned = await fetch(`${post.url}/${post.key.replace('/18.01/', '/12.01/')}`, {
      method: 'PUT',
      body: validFile(),
    });
    expect([unsigned.status, await unsigned.text()]).toEqual([
      403,
      expect.stringContaining('<Code>AccessDenied</Code>'),
    ]);

    const anonymous = await fetch(post.url, {
      method: 'POST',
      body: form(
        { key: post.key.replace('/18.01/', '/13.01/'), 'Content-Type': 'application/json' },
        validFile(),
      ),
    });
    expect([anonymous.status, await anonymous.text()]).toEqual([
      403,
      expect.stringContaining('<Code>AccessDenied</Code>'),
    ]);

    await t.runtime.idle();
    for (const kode of ['11.02', '12.01', '13.01'])
      expect((await repos.submissions.listForRegion('grants', kode)).items, kode).toEqual([]);
  });

  it('an object that lands without a grant (a signed write by a key holder) is kept NOT_GRANTED, never scored', async () => {
    const s3 = new S3Client({
      endpoint: t.runtime.urls.s3,
      region: 'ap-southeast-3',
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
    const key = 'submissions/grants/13.01/data-0000000000000000000000001/isian.json';
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: validFile(), ContentType: 'application/json' }),
    );
    s3.destroy();
    const submission = await settled('13.01', key, ['NOT_GRANTED']);
    expect(submission.admission?.reason_en).toContain('No upload grant');
    expect(submission.history.map((h) => h.status)).toEqual(['NOT_GRANTED']);
    expect(await repos.regionStatus.get('grants', '13.01')).toBeUndefined();
    expect(await repos.scoreCards.get('grants', '13.01', submission.submissionId)).toBeUndefined();
    // Visible to an admin, with its reason in both languages.
    const admin = await t.runtime.mintToken({ role: 'admin' });
    const listed = await fetch(`${t.runtime.urls.api}/cycles/grants/regions/13.01/submissions`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        submissionId: submission.submissionId,
        status: 'NOT_GRANTED',
        current: false,
        admission: {
          reason_id: expect.stringContaining('Tidak ada izin'),
          reason_en: expect.stringContaining('No upload grant'),
        },
      }),
    ]);
  });

  it('a grant issued before the window closes cannot make a file count after it: refused by S3 or kept LATE', async () => {
    const bytes = validFile();
    const post = await grant(bytes.length);
    // Ten days later on the product clock: the window (a week) has closed.
    await t.runtime.advanceClock('P10D');
    const response = await fetch(post.url, { method: 'POST', body: form(post.fields, bytes) });
    if (response.status === 204) {
      // The policy is still valid in real time (clients sign with real time): ingestion judges the arrival.
      const submission = await settled('18.01', post.key, ['LATE', 'SCORED', 'REJECTED', 'FAILED']);
      expect(submission.status).toBe('LATE');
    } else {
      expect([response.status, await response.text()]).toEqual([
        403,
        expect.stringContaining('Policy expired'),
      ]);
    }
  });
});
