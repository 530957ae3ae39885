import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { score } from '#domain/engine/index';
import { submissionSchema } from '#domain/submission';
import {
  problemDetailsSchema,
  regionAdviceSchema,
  regionDetailSchema,
  regionHistorySchema,
  summarySchema,
} from '#http/openapi-results';
import { type ResultsHarness, startResultsHarness } from './harness';
import { IID, IKKD, lampungSelatanCard, seedWorld, WORLD } from './world';

let h: ResultsHarness;
beforeAll(async () => {
  h = await startResultsHarness();
  await seedWorld(h);
});
afterAll(async () => {
  await h?.close();
});

type Who = { groups: string[]; region?: string };
const leadership: Who = { groups: ['leadership'] };
const detail = (kode: string, query: Record<string, string> = {}, cycleId = 'iid-2025', who = leadership) =>
  h.call('GET /cycles/{cycleId}/regions/{kode}', { ...who, params: { cycleId, kode }, query });

describe('GET /cycles/{cycleId}/regions/{kode}', () => {
  it('returns the score card: result, ranks, eligibility, methodology hash, submission and the full trace', async () => {
    const res = await detail('18.01');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBeDefined();
    const body = regionDetailSchema.parse(res.json);
    const card = lampungSelatanCard();
    expect(body.region).toEqual({
      kode: '18.01',
      nama: 'Kabupaten Lampung Selatan',
      jenis: 'kabupaten',
      provinsi: '18',
      provinsiNama: 'Lampung',
    });
    expect(body.result).toMatchObject({
      index: card.index,
      display: card.display,
      predikat: card.predikat,
      predikatEn: card.predikatEn,
      eligible: true,
      outcome: 'scored',
      reasons: [],
    });
    expect(body.result.ranks).toEqual([
      // The seeded run predates rank intervals: none stored, null served.
      {
        cluster: 'kabupaten',
        name: { id: 'Kabupaten', en: 'Regencies' },
        rank: expect.any(Number),
        interval: null,
      },
    ]);
    expect(body.methodology).toEqual({
      id: 'iid-2023',
      hash: card.methodology.hash,
      version: card.methodology.version,
      period: 2023,
    });
    expect(body.submission).toEqual({
      submissionId: 's-1801-r-2025',
      uploadedAt: null,
      objectKey: 'reports/iid-2025/18.01/s-1801.json',
      versionId: null,
    });
    expect(body.trace).toMatchObject({
      key: 'runs/iid-2025/r-2025/cards/18.01.json',
      available: true,
      rawTotal: card.rawTotal,
      rawMax: card.rawMax,
      scale: 100,
    });
    // The trace is the engine's own: SPD indicators with their levels, SID innovations per item.
    const breakdown = body.trace.breakdown;
    expect(breakdown?.score).toBeCloseTo(card.breakdown.score ?? 0, 10);
    const [spd, sid] = breakdown?.children ?? [];
    expect(spd?.kind).toBe('aggregate');
    expect(spd?.children?.[0]).toMatchObject({ kind: 'indicator', code: '1' });
    expect(sid).toMatchObject({ kind: 'repeated-group' });
    expect((sid as { items?: unknown[] } | undefined)?.items?.length).toBeGreaterThan(0);
    // The chart data: SPD and SID with their share of the maximum.
    expect(body.components.map((c) => [c.id, c.depth, c.kind])).toEqual([
      ['SPD', 1, 'aggregate'],
      ['SID', 1, 'repeated-group'],
    ]);
    for (const c of body.components) expect(c.percent).toBeCloseTo(((c.score ?? 0) / c.max) * 100, 8);
  });

  it('explains an ineligible region: unranked, with the rule that failed', async () => {
    const body = regionDetailSchema.parse((await detail('18.02')).json);
    expect(body.result.eligible).toBe(false);
    expect(body.result.ranks).toEqual([
      { cluster: 'kabupaten', name: expect.any(Object), rank: null, interval: null },
    ]);
    expect(body.eligibility.reasons).toEqual([
      {
        rule: 'kepala-definitif',
        field: 'statusKepala',
        found: 'pj',
        message_id: 'Kepala daerah bukan definitif (statusKepala: pj)',
        message_en: 'The head is not definitive (statusKepala: pj)',
      },
    ]);
  });

  it('marks a paper survey as such, with the scan that is its evidence; no survey, no mark (IKKD)', async () => {
    const example = JSON.parse(
      readFileSync(new URL('../../../examples/ikkd-2020-kabupaten-banyuwangi.json', import.meta.url), 'utf8'),
    );
    const card = score(IKKD, submissionSchema.parse(example), { explain: false });
    await h.objects.putJson('runs/ikkd-2024/r-ikkd-2024/cards/18.02.json', {
      cycleId: 'ikkd-2024',
      runId: 'r-ikkd-2024',
      kode: '18.02',
      outcome: 'scored',
      card: { ...card, region: '18.02' },
      problems: [],
    });
    const paper = regionDetailSchema.parse((await detail('18.02', {}, 'ikkd-2024')).json);
    expect(paper.survey).toEqual({
      source: 'paper',
      label: { id: 'survei kertas', en: 'paper survey' },
      scan: '35.10-survei-pindaian.pdf',
    });
    // IID has no survey: nothing to mark.
    expect(regionDetailSchema.parse((await detail('18.01')).json).survey).toBeNull();
  });

  it('shows a region that never submitted: no submission, no trace, the reason', async () => {
    const body = regionDetailSchema.parse((await detail('35.29')).json);
    expect(body.submission).toBeNull();
    expect(body.trace).toMatchObject({ key: null, available: false, breakdown: null });
    expect(body.result).toMatchObject({
      predikat: 'Tidak Dapat Dinilai',
      display: '0.00',
      outcome: 'not-submitted',
    });
    expect(body.result.reasons[0]?.id).toContain('Tidak ada pengajuan');
    expect(body.components).toEqual([]);
  });

  it('reports a trace that was never written as unavailable instead of failing', async () => {
    const body = regionDetailSchema.parse((await detail('35.04')).json);
    expect(body.trace).toMatchObject({ key: 'runs/iid-2025/r-2025/cards/35.04.json', available: false });
    expect(body.submission?.submissionId).toBe('s-3504-r-2025');
  });

  it('reads a given run and answers 404 with what to check', async () => {
    const older = regionDetailSchema.parse((await detail('18.01', { run: 'r-2024' }, 'iid-2024')).json);
    expect(older.run.runId).toBe('r-2024');
    const unknown = await detail('99.99');
    expect(unknown.status).toBe(404);
    expect(problemDetailsSchema.parse(unknown.json).detail_id).toContain('Kemendagri');
    const outside = await detail('11.01');
    expect(outside.status).toBe(404);
    expect(problemDetailsSchema.parse(outside.json).detail).toContain('run r-2025');
    const bad = await detail('18.1');
    expect(bad.status).toBe(400);
    expect(problemDetailsSchema.parse(bad.json).problems?.[0]?.message_id).toContain('PP.KK');
  });
});

describe('GET /regions/{kode}/history', () => {
  const history = (kode: string, query: Record<string, string> = {}, who = leadership) =>
    h.call('GET /regions/{kode}/history', { ...who, params: { kode }, query });

  it('lists every cycle of the region, grouped by index, oldest first', async () => {
    const body = regionHistorySchema.parse((await history('18.01')).json);
    expect(body.items.map((i) => [i.cycleId, i.runStatus, i.published])).toEqual([
      ['iid-2024', 'FINAL', true],
      ['iid-2025', 'FINAL', true],
      ['iid-2026', 'PROVISIONAL', false],
      ['iid-2027', 'FINAL', false],
      ['ikkd-2024', 'FINAL', true],
    ]);
    const r2025 = body.items[1];
    expect(r2025?.display).toBe(lampungSelatanCard().display);
    expect(r2025?.ranks).toEqual([{ cluster: 'kabupaten', rank: expect.any(Number) }]);
  });

  it('filters one index, in any case', async () => {
    for (const index of ['iid', 'IID']) {
      const res = await history('18.01', { index });
      expect(res.status).toBe(200);
      const body = regionHistorySchema.parse(res.json);
      expect(body.index).toBe('iid');
      expect(body.items.map((i) => i.period)).toEqual([2024, 2025, 2026, 2027]);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const ikkd = await history('18.01', { index: 'ikkd' });
    expect(regionHistorySchema.parse(ikkd.json).items).toHaveLength(1);
    expect(ikkd.headers.etag).toBeDefined();
    expect((await history('18.01', { index: 'iid-2023!' })).status).toBe(400);
  });

  it("gives an operator its own region's published cycles only", async () => {
    const own = regionHistorySchema.parse(
      (await history('18.01', {}, { groups: ['operator'], region: '18.01' })).json,
    );
    expect(own.items.map((i) => i.cycleId)).toEqual(['iid-2024', 'iid-2025', 'ikkd-2024']);
    expect((await history('35.01', {}, { groups: ['operator'], region: '18.01' })).status).toBe(404);
  });

  it('answers an empty history for a region without results', async () => {
    const body = regionHistorySchema.parse((await history('11.01')).json);
    expect(body.items).toEqual([]);
    expect(body.region.nama).toBe('Kabupaten Aceh Selatan');
  });
});

describe('GET /cycles/{cycleId}/summary', () => {
  it('gives the predikat distribution per cluster, participation and national statistics', async () => {
    const res = await h.call('GET /cycles/{cycleId}/summary', {
      ...leadership,
      params: { cycleId: 'iid-2025' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBeDefined();
    const body = summarySchema.parse(res.json);
    expect(body.predikat?.bands.map((b) => b.label)).toEqual([
      'Kurang Inovatif',
      'Inovatif',
      'Sangat Inovatif',
    ]);
    expect(body.clusters.map((c) => c.id)).toEqual(IID.clusters.map((c) => c.id));
    expect(body.clusters.map((c) => c.id).slice(0, 3)).toEqual(['provinsi', 'kabupaten', 'kota']);
    const kabupaten = body.clusters.find((c) => c.id === 'kabupaten');
    expect(kabupaten).toMatchObject({ members: 42, ranked: 37, unranked: 5 });
    expect(kabupaten?.distribution.map((d) => d.predikat)).toEqual([
      'Kurang Inovatif',
      'Inovatif',
      'Sangat Inovatif',
      'Tidak Dapat Dinilai',
    ]);
    expect(kabupaten?.distribution.reduce((s, d) => s + d.count, 0)).toBe(42);
    expect(kabupaten?.distribution.at(-1)?.count).toBe(3);
    expect(kabupaten?.top.map((t) => t.rank)).toEqual([1, 2, 3]);
    expect(kabupaten?.statistics?.count).toBe(37);
    const kota = body.clusters.find((c) => c.id === 'kota');
    expect(kota?.statistics?.max).toBeGreaterThanOrEqual(kota?.statistics?.median ?? 0);

    const p = body.participation;
    expect(p.expected).toBe(552);
    expect(p.uploaded).toBe(WORLD.length - 2);
    expect(p.accepted).toBe(WORLD.length - 3);
    expect(p.scored).toBe(WORLD.length - 3);
    expect(p.notSubmitted).toBe(552 - (WORLD.length - 2));
    expect(p.rate).toBeCloseTo((WORLD.length - 3) / 552, 4);
    expect(p.neverSubmitted.map((r) => r.kode)).toContain('18.13');
    expect(p.neverSubmitted.map((r) => r.kode)).not.toContain('35.05');
    expect(p.byJenis.map((j) => j.expected)).toEqual([38, 416, 98]);
    const lampung = p.byProvince.find((x) => x.kode === '18');
    expect(lampung).toEqual({
      kode: '18',
      nama: 'Lampung',
      expected: 16,
      uploaded: 15,
      accepted: 15,
      scored: 15,
    });
    expect(p.byProvince).toHaveLength(38);

    // National statistics leave "Tidak Dapat Dinilai" out; the ineligible are assessed all the same.
    expect(body.national.statistics?.count).toBe(WORLD.length - 3);
    expect(body.national.distribution.reduce((s, d) => s + d.count, 0)).toBe(WORLD.length);
    expect(body.national.byJenis.map((j) => j.statistics?.count)).toEqual([2, 39, 11]);
  });

  it('summarises a provisional run for privileged readers, marked as such', async () => {
    const body = summarySchema.parse(
      (await h.call('GET /cycles/{cycleId}/summary', { ...leadership, params: { cycleId: 'iid-2026' } }))
        .json,
    );
    expect(body.run).toMatchObject({ runId: 'r-2026', status: 'PROVISIONAL', published: false });
    expect(body.participation.uploaded).toBe(0);
  });
});

describe('GET /cycles/{cycleId}/regions/{kode}/advice', () => {
  it("lists the five single improvements from the region's frozen submission, ranked against the run", async () => {
    const res = await h.call('GET /cycles/{cycleId}/regions/{kode}/advice', {
      ...leadership,
      params: { cycleId: 'iid-2025', kode: '18.01' },
      query: {},
    });
    expect(res.status).toBe(200);
    const body = regionAdviceSchema.parse(res.json);
    const card = lampungSelatanCard();
    expect(body.available).toBe(true);
    expect(body.baseline).toMatchObject({ index: card.index, display: card.display });
    expect(body.improvements).toHaveLength(5);
    const gains = body.improvements.map((i) => i.gain);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    for (const i of body.improvements) {
      expect(i.index).toBeCloseTo(card.index + i.gain, 9);
      expect(i.ranks.map((r) => r.cluster)).toEqual(body.baseline?.ranks.map((r) => r.cluster));
      for (const r of i.ranks) expect(r.rank).toBeLessThanOrEqual(r.from);
      expect(i.description.id.length).toBeGreaterThan(10);
    }
  });

  it('has nothing to advise a region that did not submit', async () => {
    const res = await h.call('GET /cycles/{cycleId}/regions/{kode}/advice', {
      ...leadership,
      params: { cycleId: 'iid-2025', kode: '18' },
      query: {},
    });
    expect(res.status).toBe(200);
    expect(regionAdviceSchema.parse(res.json)).toMatchObject({ available: false, improvements: [] });
  });
});
