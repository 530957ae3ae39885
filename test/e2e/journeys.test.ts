import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '#cli/api-client';
import { uploadFile } from '#cli/commands/upload';
import { runDemo } from '#cli/demo/run-demo';
import { calendarFrom } from '#test/support/cycle-calendar';
import { apiAs } from '#test/support/runtime-api';
import { startTestRuntime, type TestRuntime } from '../integration/local/support';

/**
 * Whole user journeys over HTTP against the runtime `npm start` runs (in-process, free ports):
 * the admin opens a cycle, operators download their template and upload, the pipeline validates
 * and scores, the calendar closes the window and starts the national run, the admin publishes,
 * leadership reads the ranks.
 */
let t: TestRuntime;
let api: { baseUrl: string };

beforeAll(async () => {
  t = await startTestRuntime();
  api = { baseUrl: t.runtime.urls.api };
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

describe('the national journey for one province (Lampung, 16 regions)', () => {
  it('uploads → ACCEPTED/REJECTED → window closes → national run → published ranks', async () => {
    const lines: string[] = [];
    const report = await runDemo(
      api,
      { methodology: 'iid-2023', period: 2023, innovations: 11_000, provinces: ['18'] },
      (l) => lines.push(l),
    );
    expect(report.uploads.files).toBeGreaterThan(10);
    expect(report.pipeline.statuses.SCORED ?? 0).toBeGreaterThan(5);
    expect(report.nationalRun.runId).toMatch(/-r1$/);

    const leadership = await apiAs(t.runtime, { role: 'leadership' });
    const page = await callApi<{
      items: { kode: string; rank: number | null; predikat: string }[];
      total: number;
    }>(leadership, 'GET', `/cycles/${report.cycleId}/rankings?cluster=kabupaten&province=18&limit=50`);
    const ranked = page.body.items.filter((e) => e.rank !== null);
    expect(ranked.length).toBeGreaterThan(3);
    // Standard competition ranks in order; whoever is unranked is Tidak Dapat Dinilai (no accepted file).
    ranked.forEach((e, i) => {
      expect(e.rank).toBeLessThanOrEqual(i + 1);
    });
    for (const e of page.body.items.filter((x) => x.rank === null))
      expect(e.predikat).toBe('Tidak Dapat Dinilai');
    expect(ranked[0]?.rank).toBe(1);
    // Regions outside Lampung never submitted: listed, unranked, Tidak Dapat Dinilai.
    const national = await callApi<{ items: { kode: string; rank: number | null; predikat: string }[] }>(
      leadership,
      'GET',
      `/cycles/${report.cycleId}/rankings?cluster=kabupaten&province=11&limit=50`,
    );
    expect(national.body.items.length).toBeGreaterThan(0);
    expect(national.body.items.every((e) => e.rank === null && e.predikat === 'Tidak Dapat Dinilai')).toBe(
      true,
    );

    const detail = await callApi<{ methodology?: { hash?: string } } & Record<string, unknown>>(
      leadership,
      'GET',
      `/cycles/${report.cycleId}/regions/${ranked[0]?.kode}`,
    );
    expect(JSON.stringify(detail.body)).toContain('sha256:');
  }, 300_000);
});

describe('an operator', () => {
  it('downloads its template, sees a bad file REJECTED with its problems, and cannot see another region', async () => {
    const admin = await apiAs(t.runtime, { role: 'admin' });
    await callApi(admin, 'POST', '/cycles', {
      body: {
        cycleId: 'journey-operator',
        methodologyId: 'iid-2023',
        calendar: calendarFrom(t.runtime.clock.now(), 60_000),
      },
    });
    await t.runtime.advanceClock('PT2M');

    const operator = await apiAs(t.runtime, { role: 'operator', region: '18.01' });
    const template = await fetch(`${api.baseUrl}/cycles/journey-operator/template`, {
      headers: { authorization: `Bearer ${operator.token}` },
    });
    expect(template.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await template.arrayBuffer()) as ExcelJS.Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toContain('Indikator');

    const bad = JSON.stringify({
      methodology: 'iid-2023',
      region: '18.01',
      period: 2023,
      indicators: { '1': { level: 7 } },
    });
    await uploadFile(operator, {
      cycleId: 'journey-operator',
      region: '18.01',
      kind: 'data',
      fileName: 'isian.json',
      contentType: 'application/json',
      bytes: Buffer.from(bad),
    });
    let items: { submissionId: string; status: string }[] = [];
    for (let i = 0; i < 200 && !['REJECTED', 'FAILED', 'SCORED'].includes(items[0]?.status ?? ''); i++) {
      await new Promise((r) => setTimeout(r, 100));
      items = (
        await callApi<{ items: typeof items }>(
          operator,
          'GET',
          '/cycles/journey-operator/regions/18.01/submissions',
        )
      ).body.items;
    }
    expect(items[0]?.status).toBe('REJECTED');
    const detail = await callApi<Record<string, unknown>>(
      operator,
      'GET',
      `/cycles/journey-operator/regions/18.01/submissions/${items[0]?.submissionId}`,
    );
    const text = JSON.stringify(detail.body);
    expect(text).toContain('indikator wajib');
    expect(text).toContain('"indicator":"1"');

    const elsewhere = await fetch(`${api.baseUrl}/cycles/journey-operator/regions/18.02/submissions`, {
      headers: { authorization: `Bearer ${operator.token}` },
    });
    expect(elsewhere.status).toBe(404);
  }, 120_000);
});
