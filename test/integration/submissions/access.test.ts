import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followProductClock } from '#adapters/clock';
import { regionsOfProvince } from '#domain/regions';
import { handler as apiSubmissions } from '#functions/api-submissions';
import { handler as requestUpload } from '#functions/request-upload';
import type { ApiEvent } from '#http/api';
import { apiEvent } from '../../support/api-event';
import {
  type Caller,
  call,
  closedCalendar,
  createCycle,
  type Harness,
  json,
  openCalendar,
  operatorOf,
  shipped,
  startHarness,
} from './harness';

const IID = shipped('iid-2023');
const DAY = 86_400_000;
const MINUTE = 60_000;
const CSV_BODY = { fileName: 'isian.csv', contentType: 'text/csv', size: 1200, kind: 'data' };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const now = Date.now();
  await createCycle(h, 'open', IID);
  await createCycle(h, 'closed', IID, closedCalendar(now));
  await createCycle(h, 'not-open', IID, {
    ...openCalendar(now),
    opensAt: new Date(now + 2 * DAY).toISOString(),
  });
  await createCycle(h, 'extended', IID, {
    ...closedCalendar(now),
    extensions: [
      { until: new Date(now + DAY).toISOString(), reason: 'banjir', decidedAt: new Date(now).toISOString() },
    ],
  });
  await createCycle(h, 'grace', IID, {
    ...closedCalendar(now),
    closesAt: new Date(now - 10 * MINUTE).toISOString(),
    graceMinutes: 60,
  });
  await createCycle(h, 'assessing', IID, openCalendar(now));
  for (const to of ['OPEN', 'CLOSED', 'ASSESSING'] as const)
    await h.table.repos.cycles.transition('assessing', to);
});
afterAll(async () => {
  await h?.close();
});

const ask = (
  cycleId: string,
  kode: string,
  caller: Partial<Caller> = operatorOf(kode),
  body: unknown = CSV_BODY,
) =>
  call(
    requestUpload,
    apiEvent('POST /cycles/{cycleId}/regions/{kode}/uploads', { params: { cycleId, kode }, body, ...caller }),
  );

describe('POST /cycles/{cycleId}/regions/{kode}/uploads', () => {
  it('answers a presigned POST pinned to a server-generated key, the type, SSE and the size range', async () => {
    const res = await ask('open', '18.01');
    expect(res.statusCode).toBe(200);
    const body = json(res) as {
      uploadId: string;
      key: string;
      url: string;
      fields: Record<string, string>;
      maxBytes: number;
      expiresAt: string;
      window: { state: string; deadlineWib: string };
    };
    expect(body.uploadId).toMatch(/^data-[0-9a-z]+$/);
    expect(body.key).toBe(`submissions/open/18.01/${body.uploadId}/isian.csv`);
    expect(body.fields).toMatchObject({
      key: body.key,
      'Content-Type': 'text/csv',
      'x-amz-server-side-encryption': 'AES256',
    });
    const policy = JSON.parse(Buffer.from(body.fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 10 * 1024 * 1024]);
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(15 * MINUTE);
    expect(body.window).toMatchObject({ state: 'open' });
    expect(body.window.deadlineWib).toMatch(/ WIB$/);
  });

  it('evidence gets its own prefix under the same folder layout', async () => {
    const res = await ask('open', '18.01', operatorOf('18.01'), {
      fileName: 'Bukti APBD 2023.PDF',
      contentType: 'application/pdf',
      size: 2048,
      kind: 'evidence',
    });
    expect(res.statusCode).toBe(200);
    expect((json(res) as { key: string }).key).toMatch(
      /^submissions\/open\/18\.01\/evidence-[0-9a-z]+\/Bukti_APBD_2023\.PDF$/,
    );
  });

  it('window closed or not yet open → 409 with the reason and the date in WIB', async () => {
    const closed = await ask('closed', '18.01');
    expect(closed.statusCode).toBe(409);
    expect(json(closed)).toMatchObject({ title: 'WINDOW_CLOSED', status: 409 });
    expect(String(json(closed).detail_id)).toMatch(/sudah ditutup pada .* WIB/);
    expect(String(json(closed).detail)).toMatch(/closed at .* WIB/);
    const early = await ask('not-open', '18.01');
    expect(early.statusCode).toBe(409);
    expect(json(early)).toMatchObject({ title: 'WINDOW_NOT_OPEN' });
    const assessing = await ask('assessing', '18.01');
    expect(assessing.statusCode).toBe(409);
    expect(json(assessing)).toMatchObject({ title: 'CYCLE_ASSESSING' });
  });

  it('honours extensions and the declared grace', async () => {
    expect((await ask('extended', '18.01')).statusCode).toBe(200);
    const grace = await ask('grace', '18.01');
    expect(grace.statusCode).toBe(200);
    expect(json(grace)).toMatchObject({ window: { state: 'grace', graceMinutes: 60 } });
  });

  it('refuses callers who may not act for the region, unknown regions and unknown cycles', async () => {
    const other = await ask('open', '18.01', operatorOf('18.02'));
    expect(other.statusCode).toBe(403);
    expect(String(json(other).detail_id)).toContain('wilayah 18.01');
    expect((await ask('open', '18.01', { groups: ['assessor'] })).statusCode).toBe(403);
    expect((await ask('open', '18.01', { groups: ['admin'] })).statusCode).toBe(200);
    expect((await ask('open', '18.99', { groups: ['admin'] })).statusCode).toBe(404);
    expect((await ask('nope', '18.01')).statusCode).toBe(404);
    expect((await ask('open', '18.01', {})).statusCode).toBe(401);
  });

  it('refuses a file it will not take, naming every field (400, bilingual)', async () => {
    const invalid = await ask('open', '18.01', operatorOf('18.01'), {
      fileName: '',
      size: -1,
      kind: 'video',
    });
    expect(invalid.statusCode).toBe(400);
    const problems = (json(invalid) as { problems: { location: { path: string }; message_id: string }[] })
      .problems;
    expect(problems.map((p) => p.location.path).sort()).toEqual(['contentType', 'fileName', 'kind', 'size']);
    const pdfAsData = await ask('open', '18.01', operatorOf('18.01'), {
      fileName: 'isian.pdf',
      contentType: 'application/pdf',
      size: 10,
      kind: 'data',
    });
    expect(pdfAsData.statusCode).toBe(400);
    expect(json(pdfAsData)).toMatchObject({
      title: 'UPLOAD_REFUSED',
      problems: [{ code: 'CONTENT_TYPE_NOT_ALLOWED' }],
    });
    const tooBig = await ask('open', '18.01', operatorOf('18.01'), { ...CSV_BODY, size: 11 * 1024 * 1024 });
    expect(json(tooBig)).toMatchObject({ problems: [{ code: 'FILE_TOO_LARGE' }] });
  });
});

describe('GET submissions and completeness', () => {
  const get = (routeKey: string, params: Record<string, string>, caller: Partial<Caller>, extra = {}) =>
    call(apiSubmissions, apiEvent(routeKey, { params, ...caller, ...extra }) as ApiEvent);
  const LIST = 'GET /cycles/{cycleId}/regions/{kode}/submissions';
  const ONE = 'GET /cycles/{cycleId}/regions/{kode}/submissions/{submissionId}';
  const COMPLETENESS = 'GET /cycles/{cycleId}/provinces/{kode}/completeness';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const { submissions } = h.table.repos;
    const add = async (kode: string, n: number) => {
      const { submission } = await submissions.createFromUpload({
        cycleId: 'open',
        kode,
        object: { bucket: 'b', key: `submissions/open/${kode}/data-0000000${n}/isian.csv`, etag: `e${n}` },
        uploadedAt: new Date(Date.now() - (10 - n) * MINUTE).toISOString(),
        fileName: 'isian.csv',
      });
      return submission;
    };
    const scored = await add('18.01', 1);
    for (const to of ['VALIDATING', 'ACCEPTED', 'SCORED'] as const) await submissions.transition(scored, to);
    const rejected = await add('18.01', 2); // newer, rejected: 18.01 still counts with its scored upload
    await submissions.transition(rejected, 'VALIDATING');
    await submissions.transition(rejected, 'REJECTED', {
      patch: { validation: { reportKey: 'reports/open/18.01/x.json', errorCount: 3, warningCount: 1 } },
    });
    const onlyRejected = await add('18.02', 3);
    await submissions.transition(onlyRejected, 'VALIDATING');
    await submissions.transition(onlyRejected, 'REJECTED');
    await add('18.03', 4);
    const failed = await add('18.04', 5);
    await submissions.transition(failed, 'FAILED', { patch: { failure: { reason: 'gagal | failed' } } });
    const province = await add('18', 6);
    for (const to of ['VALIDATING', 'ACCEPTED'] as const) await submissions.transition(province, to);
    Object.assign(ids, { scored: scored.submissionId, rejected: rejected.submissionId });
  });

  it("lists a region's submissions newest first with status, history and problem counts", async () => {
    const res = await get(LIST, { cycleId: 'open', kode: '18.01' }, operatorOf('18.01'));
    expect(res.statusCode).toBe(200);
    const body = json(res) as { region: unknown; items: Record<string, unknown>[]; evidence: unknown[] };
    expect(body.region).toEqual({ kode: '18.01', nama: 'Kabupaten Lampung Selatan' });
    expect(body.items.map((i) => [i.submissionId, i.status, i.latest, i.current])).toEqual([
      [ids.rejected, 'REJECTED', true, false],
      [ids.scored, 'SCORED', false, true],
    ]);
    expect(body.items[0]).toMatchObject({ problemCounts: { errors: 3, warnings: 1 }, fileName: 'isian.csv' });
    expect(body.items[0]).not.toHaveProperty('object');
    expect(body.evidence).toEqual([]);
    // Polling is cheap: an unchanged list answers 304 to its ETag.
    const etag = res.headers?.etag ?? '';
    const again = await get(LIST, { cycleId: 'open', kode: '18.01' }, operatorOf('18.01'), {
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
  });

  it("another region's submissions are 404 for an operator, visible to the ministry", async () => {
    expect((await get(LIST, { cycleId: 'open', kode: '18.01' }, operatorOf('18.02'))).statusCode).toBe(404);
    const one = { cycleId: 'open', kode: '18.01', submissionId: ids.scored ?? '' };
    expect((await get(ONE, one, operatorOf('18.02'))).statusCode).toBe(404);
    expect((await get(ONE, one, { groups: ['assessor'] })).statusCode).toBe(200);
    expect((await get(ONE, { ...one, submissionId: 's-0' }, operatorOf('18.01'))).statusCode).toBe(404);
    expect((await get(LIST, { cycleId: 'nope', kode: '18.01' }, { groups: ['admin'] })).statusCode).toBe(404);
    const badCursor = await get(LIST, { cycleId: 'open', kode: '18.01' }, operatorOf('18.01'), {
      query: { cursor: 'not-a-cursor' },
    });
    expect(badCursor.statusCode).toBe(400);
    expect(json(badCursor)).toMatchObject({ title: 'INVALID_CURSOR' });
  });

  it('a tampered cursor (another partition, extra keys, a hand-made key) answers 400 in both languages', async () => {
    const list = (kode: string, cursor?: string) =>
      get(
        LIST,
        { cycleId: 'open', kode },
        { groups: ['admin'] },
        { query: { limit: '1', ...(cursor ? { cursor } : {}) } },
      );
    const first = json(await list('18.01')) as { cursor?: string; items: unknown[] };
    expect(first.items).toHaveLength(1);
    const issued = first.cursor ?? '';
    expect(issued).not.toBe('');
    // The cursor continues the list it was issued for.
    expect((await list('18.01', issued)).statusCode).toBe(200);
    const encode = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const key = JSON.parse(Buffer.from(issued, 'base64url').toString('utf8')) as Record<string, string>;
    const tampered = [
      // issued for 18.01, replayed against 18.02 (another partition)
      issued,
      encode({ ...key, gsi2pk: 'CYCLE#open#REGION#18.02' }),
      encode({ ...key, extra: 'x' }),
      encode({ pk: 'x#RUN#y', sk: 'y' }),
      encode([1, 2]),
      'bm90IGpzb24',
    ];
    for (const [i, cursor] of tampered.entries()) {
      const res = await list(i === 0 ? '18.02' : '18.01', cursor);
      expect(res.statusCode, cursor).toBe(400);
      expect(json(res)).toMatchObject({
        title: 'INVALID_CURSOR',
        detail: expect.stringContaining('cursor'),
        detail_id: expect.stringContaining('cursor'),
      });
    }
  });

  it('a FAILED submission shows its reason', async () => {
    const res = await get(LIST, { cycleId: 'open', kode: '18.04' }, { groups: ['admin'] });
    expect((json(res) as { items: unknown[] }).items).toMatchObject([
      { status: 'FAILED', failure: { reason: 'gagal | failed' } },
    ]);
  });

  it('completeness lists every kabupaten/kota of the province with where it stands', async () => {
    const res = await get(COMPLETENESS, { cycleId: 'open', kode: '18' }, { groups: ['leadership'] });
    expect(res.statusCode).toBe(200);
    const body = json(res) as {
      provinsi: { kode: string; status: string };
      summary: { regions: number; complete: number; byStatus: Record<string, number> };
      regions: { kode: string; status: string; latest?: { status: string } }[];
    };
    const expected = regionsOfProvince('18').length;
    expect(body.provinsi).toMatchObject({ kode: '18', status: 'accepted' });
    expect(body.regions.map((r) => r.kode)).toEqual(regionsOfProvince('18').map((r) => r.kode));
    const status = Object.fromEntries(body.regions.map((r) => [r.kode, r.status]));
    expect(status).toMatchObject({
      '18.01': 'scored',
      '18.02': 'rejected',
      '18.03': 'in-progress',
      '18.04': 'failed',
      '18.05': 'not-submitted',
    });
    expect(body.regions.find((r) => r.kode === '18.01')?.latest?.status).toBe('REJECTED');
    expect(body.summary).toEqual({
      regions: expected,
      complete: 1,
      byStatus: {
        'not-submitted': expected - 4,
        'in-progress': 1,
        rejected: 1,
        failed: 1,
        accepted: 0,
        scored: 1,
      },
    });
  });

  it('completeness marks an upload stalled by the product clock, not the server clock', async () => {
    const stalledOf = async () => {
      const res = await get(COMPLETENESS, { cycleId: 'open', kode: '18' }, { groups: ['admin'] });
      const body = json(res) as { regions: { kode: string; stalled?: { en: string } }[] };
      return body.regions.find((r) => r.kode === '18.03')?.stalled;
    };
    // 18.03 has been UPLOADED for about six minutes: not yet stalled.
    expect(await stalledOf()).toBeUndefined();
    // The local runtime moves the product clock (a demo jumps days ahead): now it is.
    const undo = followProductClock(() => Date.now() + 20 * MINUTE);
    try {
      expect((await stalledOf())?.en).toMatch(/has not finished processing since/);
    } finally {
      undo();
    }
  });

  it('completeness: ministry roles and the province operator see it; kabupaten operators get 404', async () => {
    const params = { cycleId: 'open', kode: '18' };
    for (const caller of [{ groups: ['admin'] }, { groups: ['assessor'] }, operatorOf('18')])
      expect((await get(COMPLETENESS, params, caller)).statusCode).toBe(200);
    expect((await get(COMPLETENESS, params, operatorOf('18.01'))).statusCode).toBe(404);
    expect((await get(COMPLETENESS, params, operatorOf('19'))).statusCode).toBe(404);
    expect((await get(COMPLETENESS, { cycleId: 'open', kode: '99' }, { groups: ['admin'] })).statusCode).toBe(
      404,
    );
    expect(
      (await get(COMPLETENESS, { cycleId: 'open', kode: '18.01' }, { groups: ['admin'] })).statusCode,
    ).toBe(400);
  });
});

describe('GET /cycles/{cycleId}/submissions/not-admitted (admins, every region)', () => {
  const ROUTE = 'GET /cycles/{cycleId}/submissions/not-admitted';
  const list = (caller: Partial<Caller>, query: Record<string, string>, cycleId = 'closed') =>
    call(apiSubmissions, apiEvent(ROUTE, { params: { cycleId }, query, ...caller }) as ApiEvent);
  const admission = (status: string) => ({
    reason_id: `alasan ${status}`,
    reason_en: `reason ${status}`,
    uploadId: 'data-0000000a',
  });

  beforeAll(async () => {
    const { submissions, evidence } = h.table.repos;
    const at = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
    await submissions.createFromUpload({
      cycleId: 'closed',
      kode: '18.01',
      object: { bucket: 'b', key: 'submissions/closed/18.01/data-0000000a/isian.csv', etag: 'a', size: 9 },
      uploadedAt: at(30),
      fileName: 'isian.csv',
      uploadedBy: 'op-1801',
      status: 'NOT_GRANTED',
      admission: admission('NOT_GRANTED'),
    });
    await submissions.createFromUpload({
      cycleId: 'closed',
      kode: '32.04',
      object: { bucket: 'b', key: 'submissions/closed/32.04/data-0000000b/isian.csv', etag: 'b' },
      uploadedAt: at(20),
      fileName: 'isian.csv',
      status: 'LATE',
      admission: admission('LATE'),
    });
    await evidence.recordNotAdmitted({
      cycleId: 'closed',
      kode: '18.02',
      fileName: 'perda.pdf',
      uploadId: 'evidence-0000000c',
      object: { bucket: 'b', key: 'submissions/closed/18.02/evidence-0000000c/perda.pdf', etag: 'c' },
      uploadedAt: at(10),
      status: 'NOT_GRANTED',
      admission: admission('NOT_GRANTED'),
    });
    // An admitted upload of the same cycle is not listed.
    await submissions.createFromUpload({
      cycleId: 'closed',
      kode: '18.03',
      object: { bucket: 'b', key: 'submissions/closed/18.03/data-0000000d/isian.csv', etag: 'd' },
      uploadedAt: at(5),
    });
  });

  it('lists data and evidence files of every region with their reason, oldest first, per status', async () => {
    const res = await list({ groups: ['admin'] }, { status: 'NOT_GRANTED' });
    expect(res.statusCode).toBe(200);
    const body = json(res) as { status: string; items: Record<string, unknown>[] };
    expect(body.status).toBe('NOT_GRANTED');
    expect(body.items.map((i) => [i.kind, i.kode, i.fileName])).toEqual([
      ['data', '18.01', 'isian.csv'],
      ['evidence', '18.02', 'perda.pdf'],
    ]);
    expect(body.items[0]).toMatchObject({
      key: 'submissions/closed/18.01/data-0000000a/isian.csv',
      size: 9,
      uploadedBy: 'op-1801',
      admission: { reason_id: 'alasan NOT_GRANTED', reason_en: 'reason NOT_GRANTED' },
    });
    expect(body.items[0]?.submissionId).toMatch(/^s-/);
    const late = json(await list({ groups: ['admin'] }, { status: 'LATE' })) as { items: { kode: string }[] };
    expect(late.items.map((i) => i.kode)).toEqual(['32.04']);
    // The refused evidence never counts as the region's evidence.
    expect(await h.table.repos.evidence.listForRegion('closed', '18.02')).toEqual([]);
  });

  it('pages with a cursor bound to the cycle and status', async () => {
    const first = json(await list({ groups: ['admin'] }, { status: 'NOT_GRANTED', limit: '1' })) as {
      items: { kode: string }[];
      cursor: string;
    };
    expect(first.items.map((i) => i.kode)).toEqual(['18.01']);
    const second = json(
      await list({ groups: ['admin'] }, { status: 'NOT_GRANTED', limit: '1', cursor: first.cursor }),
    ) as { items: { kode: string }[] };
    expect(second.items.map((i) => i.kode)).toEqual(['18.02']);
    const foreign = await list({ groups: ['admin'] }, { status: 'LATE', cursor: first.cursor });
    expect(foreign.statusCode).toBe(400);
  });

  it('only admins may list; a bad status is 400 and an unknown cycle 404', async () => {
    for (const caller of [operatorOf('18.01'), { groups: ['assessor'] }, { groups: ['leadership'] }]) {
      expect((await list(caller, { status: 'NOT_GRANTED' })).statusCode).toBe(403);
    }
    expect((await list({ groups: ['admin'] }, {})).statusCode).toBe(400);
    expect((await list({ groups: ['admin'] }, { status: 'SCORED' })).statusCode).toBe(400);
    expect((await list({ groups: ['admin'] }, { status: 'LATE' }, 'nope')).statusCode).toBe(404);
  });
});
