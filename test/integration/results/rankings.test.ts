import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemDetailsSchema, type RankingPage, rankingPageSchema } from '#http/openapi-results';
import { type ResultsHarness, startResultsHarness } from './harness';
import { INELIGIBLE, indexOf, seedWorld, WORLD } from './world';

let h: ResultsHarness;
beforeAll(async () => {
  h = await startResultsHarness();
  await seedWorld(h);
});
afterAll(async () => {
  await h?.close();
});

const ROUTE = 'GET /cycles/{cycleId}/rankings';
type Who = { groups: string[]; region?: string };
const leadership: Who = { groups: ['leadership'] };
const rankings = (query: Record<string, string> = {}, cycleId = 'iid-2025', who: Who = leadership) =>
  h.call(ROUTE, { ...who, params: { cycleId }, query });
const page = (json: unknown): RankingPage => rankingPageSchema.parse(json);

describe('GET /cycles/{cycleId}/rankings', () => {
  it('ranks the latest published run of a cluster, unranked last, with rank changes since the previous cycle', async () => {
    const res = await rankings({ cluster: 'kabupaten', limit: '500' });
    expect(res.status).toBe(200);
    const body = page(res.json);
    expect(body.run).toMatchObject({ runId: 'r-2025', status: 'FINAL', published: true, notice: null });
    expect(body.cycle).toMatchObject({ cycleId: 'iid-2025', period: 2025, index: 'IID' });
    expect(body.cluster).toEqual({ id: 'kabupaten', name: { id: 'Kabupaten', en: 'Regencies' } });
    expect(body.previous).toEqual({ cycleId: 'iid-2024', period: 2024, runId: 'r-2024' });
    const kabupaten = WORLD.filter((r) => r.jenis === 'kabupaten');
    expect(body.total).toBe(kabupaten.length);
    expect(body.items).toHaveLength(kabupaten.length);
    expect(body.nextCursor).toBeNull();

    const ranked = body.items.filter((i) => i.rank !== null);
    const unranked = body.items.filter((i) => i.rank === null);
    expect(body.items.slice(0, ranked.length)).toEqual(ranked);
    expect(ranked.map((i) => i.rank)).toEqual(ranked.map((_, n) => n + 1));
    for (let n = 1; n < ranked.length; n++)
      expect(ranked[n - 1]?.index ?? 0).toBeGreaterThanOrEqual(ranked[n]?.index ?? 0);
    expect(unranked.map((i) => i.kode).sort()).toEqual(['18.02', '18.13', '35.03', '35.05', '35.29']);
    expect(unranked.find((i) => i.kode === '18.02')).toMatchObject({
      eligible: false,
      unranked: 'ineligible',
    });
    expect(unranked.find((i) => i.kode === '18.13')).toMatchObject({
      predikat: 'Tidak Dapat Dinilai',
      display: '0.00',
      unranked: 'not-submitted',
      rankChange: null,
    });

    // Rank change = rank in iid-2024 (published) − rank now; the IKKD cycle is another index.
    const previous = await rankings({ cluster: 'kabupaten', limit: '500' }, 'iid-2024');
    const before = new Map(page(previous.json).items.map((i) => [i.kode, i.rank]));
    for (const item of ranked) {
      const was = before.get(item.kode) ?? null;
      expect(item.previousRank).toBe(was);
      expect(item.rankChange).toBe(was === null || item.rank === null ? null : was - item.rank);
    }
    expect(ranked.some((i) => (i.rankChange ?? 0) > 0) && ranked.some((i) => (i.rankChange ?? 0) < 0)).toBe(
      true,
    );
    expect(page(previous.json).previous).toBeNull();
  });

  it('shows the display value with the methodology decimals and the predikat of its band', async () => {
    const body = page((await rankings({ cluster: 'kota' })).json);
    const item = body.items.find((i) => i.kode === '18.71');
    const index = indexOf('18.71', 'r-2025');
    expect(item?.index).toBeCloseTo(index, 10);
    expect(item?.display).toBe(index.toFixed(2));
    const predikat = index > 60 ? 'Sangat Inovatif' : index >= 35 ? 'Inovatif' : 'Kurang Inovatif';
    expect(item?.predikat).toBe(predikat);
    expect(item?.nama).toBe('Kota Bandar Lampung');
    expect(item?.provinsiNama).toBe('Lampung');
  });

  it('filters by province, predikat and a search, each alone and together', async () => {
    const lampung = page((await rankings({ cluster: 'kabupaten', province: '18' })).json);
    expect(lampung.total).toBe(13);
    expect(lampung.items.every((i) => i.provinsi === '18')).toBe(true);
    expect(lampung.filters).toEqual({ province: '18', predikat: null, q: null });
    // Ranks stay national within the cluster (a province view does not re-rank).
    expect(lampung.items[0]?.rank).toBeGreaterThanOrEqual(1);

    const all = page((await rankings({ cluster: 'kabupaten', limit: '500' })).json);
    const inovatif = page(
      (await rankings({ cluster: 'kabupaten', predikat: 'inovatif', limit: '500' })).json,
    );
    expect(inovatif.items.length).toBe(all.items.filter((i) => i.predikat === 'Inovatif').length);
    expect(inovatif.items.every((i) => i.predikat === 'Inovatif')).toBe(true);
    expect(inovatif.filters.predikat).toBe('Inovatif');

    const search = page((await rankings({ cluster: 'kabupaten', q: 'lampung sel' })).json);
    expect(search.items.map((i) => i.kode)).toEqual(['18.01']);
    const byCode = page((await rankings({ cluster: 'kabupaten', q: '35.1' })).json);
    expect(byCode.items.map((i) => i.kode).sort()).toEqual(
      ['35.10', '35.11', '35.12', '35.13', '35.14', '35.15', '35.16', '35.17', '35.18', '35.19'].sort(),
    );
    const combined = page(
      (await rankings({ cluster: 'kabupaten', province: '35', predikat: 'Tidak Dapat Dinilai', q: 'kab' }))
        .json,
    );
    expect(combined.items.map((i) => i.kode).sort()).toEqual(['35.05', '35.29']);
  });

  it('pages with an opaque cursor: every row exactly once, the cursor bound to the query', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await rankings({ cluster: 'kabupaten', limit: '10', ...(cursor ? { cursor } : {}) });
      const body = page(res.json);
      expect(body.total).toBe(42);
      seen.push(...body.items.map((i) => i.kode));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    const all = page((await rankings({ cluster: 'kabupaten', limit: '500' })).json);
    expect(seen).toEqual(all.items.map((i) => i.kode));

    const first = page((await rankings({ cluster: 'kabupaten', limit: '10' })).json);
    const next = first.nextCursor ?? '';
    const moved = await rankings({ cluster: 'kabupaten', province: '18', cursor: next });
    expect(moved.status).toBe(400);
    expect(problemDetailsSchema.parse(moved.json)).toMatchObject({ title: 'CURSOR_INVALID' });
    expect((await rankings({ cluster: 'kota', cursor: next })).status).toBe(400);
    expect((await rankings({ cluster: 'kabupaten', cursor: 'not-a-cursor' })).status).toBe(400);
    expect((await rankings({ cluster: 'kabupaten', cursor: next, run: 'r-2024' })).status).toBe(400);
  });

  it('answers 400 (never 500) to a tampered cursor: a run id that is not a key segment, a bad offset', async () => {
    const first = page((await rankings({ cluster: 'kabupaten', limit: '10' })).json);
    const issued = JSON.parse(Buffer.from(first.nextCursor ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const encode = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');
    for (const tampered of [
      { ...issued, r: 'x#RUN#y' },
      { ...issued, r: '' },
      { ...issued, r: 7 },
      { ...issued, o: -1 },
      { ...issued, o: 1.5 },
      null,
    ]) {
      const res = await rankings({ cluster: 'kabupaten', cursor: encode(tampered) });
      expect(res.status, JSON.stringify(tampered)).toBe(400);
      expect(problemDetailsSchema.parse(res.json)).toMatchObject({
        title: 'CURSOR_INVALID',
        detail: expect.stringContaining('cursor'),
        detail_id: expect.stringContaining('cursor'),
      });
    }
  });

  it('reads a given run, and says what to fix when a filter is wrong', async () => {
    const older = page((await rankings({ cluster: 'kabupaten', run: 'r-2024' }, 'iid-2024')).json);
    expect(older.run.runId).toBe('r-2024');

    const cluster = await rankings({ cluster: 'kecamatan' });
    expect(cluster.status).toBe(400);
    const clusterProblem = problemDetailsSchema.parse(cluster.json);
    expect(clusterProblem.title).toBe('UNKNOWN_CLUSTER');
    expect(clusterProblem.detail_id).toContain('pilihan: provinsi, kabupaten, kota');
    expect(clusterProblem.detail).toContain('choices:');

    const predikat = problemDetailsSchema.parse((await rankings({ predikat: 'Juara' })).json);
    expect(predikat.title).toBe('UNKNOWN_PREDIKAT');
    expect(predikat.detail_id).toContain('Sangat Inovatif');

    const province = problemDetailsSchema.parse((await rankings({ province: '99' })).json);
    expect(province.title).toBe('UNKNOWN_PROVINCE');

    const invalid = await rankings({ province: 'Lampung', limit: '0', format: 'pdf' });
    expect(invalid.status).toBe(400);
    const problems = problemDetailsSchema.parse(invalid.json).problems ?? [];
    expect(problems.map((p) => p.location.path).sort()).toEqual(['format', 'limit', 'province']);
    expect(problems.find((p) => p.location.path === 'province')?.message_id).toContain('dua digit');
    expect(problems.find((p) => p.location.path === 'format')?.message_en).toContain('csv or xlsx');

    const badCycle = await rankings({}, 'iid#2025');
    expect(badCycle.status).toBe(400);
    const missing = await rankings({}, 'iid-1999');
    expect(missing.status).toBe(404);
    expect(problemDetailsSchema.parse(missing.json).detail_id).toContain('GET /cycles');
  });

  it('answers 409 to a privileged reader asking for a running or failed run', async () => {
    const running = await rankings({ run: 'r-2025-running' });
    expect(running.status).toBe(409);
    expect(problemDetailsSchema.parse(running.json)).toMatchObject({ title: 'RUN_NOT_READY' });
    expect((await rankings({ run: 'r-2025-failed' })).status).toBe(409);
    expect((await rankings({ run: 'r-nope' })).status).toBe(404);
  });
});

describe('caching', () => {
  it('tags published results with an ETag and answers 304 to a matching If-None-Match', async () => {
    const first = await rankings({ cluster: 'kota' });
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers['cache-control']).toBe('private, max-age=60');
    const again = await h.call(ROUTE, {
      ...leadership,
      params: { cycleId: 'iid-2025' },
      query: { cluster: 'kota' },
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    // Another role reading the same published page gets the same tag.
    const operator = await rankings({ cluster: 'kota' }, 'iid-2025', {
      groups: ['operator'],
      region: '18.01',
    });
    expect(operator.headers.etag).toBe(etag);
    const weak = await h.call(ROUTE, {
      ...leadership,
      params: { cycleId: 'iid-2025' },
      query: { cluster: 'kota' },
      headers: { 'if-none-match': `"other", W/${etag}` },
    });
    expect(weak.status).toBe(304);
    const stale = await h.call(ROUTE, {
      ...leadership,
      params: { cycleId: 'iid-2025' },
      query: { cluster: 'kota' },
      headers: { 'if-none-match': '"stale"' },
    });
    expect(stale.status).toBe(200);
  });

  it('never caches provisional or embargoed results', async () => {
    for (const cycleId of ['iid-2026', 'iid-2027']) {
      const res = await rankings({}, cycleId);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
      const body = page(res.json);
      expect(body.run.published).toBe(false);
      expect(body.run.notice?.id).toMatch(cycleId === 'iid-2026' ? /SEMENTARA/ : /DIEMBARGO/);
    }
  });
});

describe('exports', () => {
  it('exports every filtered row as CSV with bilingual headers and neutralised formula cells', async () => {
    const res = await rankings({ cluster: 'kabupaten', format: 'csv', limit: '5' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="peringkat-iid-2025-kabupaten.csv"',
    );
    expect(res.headers.etag).toMatch(/^".+"$/);
    const text = res.body;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(43);
    expect(lines[0]).toBe(
      '"Peringkat / Rank","Kode / Code","Nama Daerah / Region","Provinsi / Province","Nilai Indeks / Index","Predikat / Band","Peringkat Sebelumnya / Previous Rank","Perubahan Peringkat / Rank Change","Memenuhi Syarat / Eligible","Keterangan / Reason","Peringkat Median / Median Rank","Peringkat P5 / Rank P5","Peringkat P95 / Rank P95","Setara Statistik dengan (daerah) / Statistically Tied With (regions)"',
    );
    expect(lines[1]).toMatch(/^1,"\d\d\.\d\d","Kabupaten /);
    const evil = lines.find((l) => l.includes('"18.02"')) ?? '';
    expect(evil).toContain(`"'=HYPERLINK(""http://evil.example"",""klik"")"`);
    const at = lines.find((l) => l.includes('"35.03"')) ?? '';
    expect(at).toContain(`"'@SUM(1+1)*cmd|' /C calc'!A0"`);
    // No cell of the export starts with a formula trigger.
    for (const line of lines) expect(line).not.toMatch(/(^|,)"[=+\-@\t\r]/);

    const again = await h.call(ROUTE, {
      ...leadership,
      params: { cycleId: 'iid-2025' },
      query: { cluster: 'kabupaten', format: 'csv' },
      headers: { 'if-none-match': res.headers.etag ?? '' },
    });
    expect(again.status).toBe(304);

    const filtered = await rankings({ cluster: 'kabupaten', province: '18', format: 'csv' });
    expect(filtered.body.trimEnd().split('\r\n')).toHaveLength(14);
    expect(filtered.headers['content-disposition']).toContain('peringkat-iid-2025-kabupaten-18.csv');
  });

  it('exports XLSX: numbers as numbers, text neutralised, a sheet that says what the data is', async () => {
    const res = await rankings({ cluster: 'kabupaten', format: 'xlsx' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Peringkat');
    if (!sheet) throw new Error('no Peringkat sheet');
    expect(sheet.rowCount).toBe(43);
    expect(sheet.getRow(1).getCell(1).value).toBe('Peringkat / Rank');
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe(1);
    expect(typeof first.getCell(5).value).toBe('number');
    expect(sheet.getColumn(5).numFmt).toBe('0.00');
    const texts: string[] = [];
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') texts.push(cell.value);
        expect(cell.formula).toBeUndefined();
      });
    });
    expect(texts).toContain(`'${INELIGIBLE['18.02']}`);
    expect(texts).toContain(`'${INELIGIBLE['35.03']}`);
    expect(texts.filter((t) => /^[=+\-@\t\r]/.test(t))).toEqual([]);
    const about = workbook.getWorksheet('Keterangan');
    const facts = new Map<string, string>();
    about?.eachRow((row) => facts.set(String(row.getCell(1).value), String(row.getCell(2).value)));
    expect(facts.get('Penilaian / Run')).toBe('r-2025');
    expect(facts.get('Status')).toContain('FINAL');
    expect(facts.get('Dibandingkan dengan / Compared with')).toBe('iid-2024 (r-2024)');

    // Same rows, same tag (even though the zip differs byte-wise at every build).
    const again = await rankings({ cluster: 'kabupaten', format: 'xlsx' });
    expect(again.headers.etag).toBe(res.headers.etag);
    expect(again.headers.etag).not.toBe(
      (await rankings({ cluster: 'kabupaten', format: 'csv' })).headers.etag,
    );
  });

  it('marks provisional exports as internal and never caches them', async () => {
    const res = await rankings({ format: 'xlsx' }, 'iid-2026');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const about = workbook.getWorksheet('Keterangan');
    expect(String(about?.getRow(4).getCell(2).value)).toContain('PROVISIONAL');
  });
});
