import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionResultRecord, RunRecord } from '#adapters/dynamo/index';
import { demoUploads } from '#cli/demo/generate';
import { encodePacked, packSubmission, rank, scoreRun } from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import { REGIONS } from '#domain/regions';
import { type Submission, submissionSchema } from '#domain/submission';
import type { NationalRegionResult } from '#functions/lib/national/contracts';
import { type NationalHarness, runPipeline, seedAccepted, seedCycle, startNationalHarness } from './harness';

const CYCLE = 'ikkd-2020';
const PREVIOUS = 'ikkd-2019';
const m = (() => {
  const loaded = getMethodology('ikkd-2020');
  if (!loaded) throw new Error('ikkd-2020 is not shipped');
  return loaded;
})();

// Lampung (18): the province and its kabupaten/kota, from the deterministic demo generator.
const lampung = demoUploads({ methodology: 'ikkd-2020', period: 2020, seed: 11, allValid: true }).filter(
  (u) => u.region.provinsi === '18',
);
const bodyOf = (kode: string): unknown => {
  const upload = lampung.find((u) => u.region.kode === kode);
  if (!upload) throw new Error(`no demo upload for ${kode}`);
  return JSON.parse(upload.body);
};
const INVALID = '18.01'; // its canonical JSON holds another region's data
const MISSING = '18.02'; // accepted, but its canonical JSON is not in S3
const ABSENT = '18.03'; // never submitted
const valid = lampung.map((u) => u.region.kode).filter((k) => ![INVALID, MISSING, ABSENT].includes(k));
const PACKED = valid[0] as string;
const CORRUPT = valid[1] as string;

let h: NationalHarness;
beforeAll(async () => {
  h = await startNationalHarness();
  await seedCycle(h, CYCLE, 'ikkd-2020');
  for (const kode of valid) {
    const id = await seedAccepted(h, CYCLE, kode, bodyOf(kode));
    // What validate-submission stores beside the canonical JSON: one region has its packed form,
    // one has unreadable bytes there, the others none (submitted before packing existed).
    const packedAt = `reports/${CYCLE}/${kode}/${id}.packed.bin`;
    if (kode === PACKED)
      await h.objects.put(
        packedAt,
        encodePacked(packSubmission(m, submissionSchema.parse(bodyOf(kode)))),
        'application/octet-stream',
      );
    if (kode === CORRUPT)
      await h.objects.put(
        packedAt,
        new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
        'application/octet-stream',
      );
  }
  await seedAccepted(h, CYCLE, INVALID, bodyOf('18.04'));
  await seedAccepted(h, CYCLE, MISSING, null);
  // The calendar entered ASSESSING with the run id (what cycle-transition does).
  await h.table.repos.cycles.transition(CYCLE, 'OPEN');
  await h.table.repos.cycles.transition(CYCLE, 'CLOSED');
  await h.table.repos.cycles.transition(CYCLE, 'ASSESSING', { currentRunId: `${CYCLE}-r1` });
  await seedPreviousCycle();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** Last year's FINAL run: every Lampung kabupaten was 10th. */
async function seedPreviousCycle() {
  await seedCycle(h, PREVIOUS, 'ikkd-2020', { period: 2019 });
  const runId = `${PREVIOUS}-r1`;
  const repos = h.table.repos;
  await repos.runs.create({
    cycleId: PREVIOUS,
    runId,
    methodology: { id: m.id, hash: m.hash },
    trigger: 'calendar',
    startedAt: '2025-04-02T01:00:00+07:00',
    manifestKey: `runs/${PREVIOUS}/${runId}/manifest.json`,
    regionCount: 16,
  });
  await repos.runs.transition(PREVIOUS, runId, 'PROVISIONAL');
  await repos.runs.transition(PREVIOUS, runId, 'FINAL');
  await repos.rankings.putRegionResults(
    lampung
      .filter((u) => u.region.jenis === 'kabupaten')
      .map(
        (u): RegionResultRecord => ({
          cycleId: PREVIOUS,
          runId,
          kode: u.region.kode,
          provinsi: '18',
          eligible: true,
          ranks: { kabupaten: 10 },
          clusters: ['kabupaten'],
          methodology: { id: m.id, hash: m.hash },
        }),
      ),
  );
}

async function allResults(runId: string): Promise<NationalRegionResult[]> {
  const out: NationalRegionResult[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.table.repos.rankings.listRegionResults(runId, { limit: 500, cursor });
    out.push(...(page.items as NationalRegionResult[]));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

const comparable = (r: NationalRegionResult) => {
  const { runId: _runId, traceKey: _traceKey, ...rest } = r;
  return rest;
};

let firstRun: RunRecord | undefined;

describe('national run: freeze → batches → aggregate → publish', () => {
  it('freezes the current submissions, scores with national statistics and publishes PROVISIONAL', async () => {
    const out = await runPipeline(h, {
      cycleId: CYCLE,
      runId: `${CYCLE}-r1`,
      startedAt: '2026-04-02T01:00:05+07:00',
    });
    expect(out.manifest.regionCount).toBe(15);
    expect(out.batches.reduce((n, b) => n + b.regions, 0)).toBe(15);
    expect(out.batches.reduce((n, b) => n + b.invalid, 0)).toBe(1);
    expect(out.batches.reduce((n, b) => n + b.failed, 0)).toBe(1);
    expect(out.aggregate.counts).toMatchObject({ regions: 552, scored: 13, failed: 1 });
    expect(out.publish).toMatchObject({
      status: 'PROVISIONAL',
      cycleStatus: 'ASSESSED',
      historyRecorded: 552,
    });

    const run = await h.table.repos.runs.get(CYCLE, `${CYCLE}-r1`);
    expect(run?.status).toBe('PROVISIONAL');
    expect(run?.counts).toEqual(out.aggregate.counts);
    expect(run?.summary).toMatchObject({
      methodology: { id: 'ikkd-2020', hash: m.hash },
      participation: { regions: 552, submitted: 15, scored: 13, invalid: 1, failed: 1, notSubmitted: 537 },
      complete: false,
    });
    firstRun = run;
  });

  it('scores from the packed form stored at validation, packing older or unreadable ones from the JSON', async () => {
    const fileOf = (kode: string) =>
      h.objects.getJson<{ packedFrom?: string; packedKey?: string }>(
        `runs/${CYCLE}/${CYCLE}-r1/regions/${kode}.json`,
      );
    expect(await fileOf(PACKED)).toMatchObject({
      packedFrom: 'stored',
      packedKey: `runs/${CYCLE}/${CYCLE}-r1/regions/${PACKED}.packed.bin`,
    });
    expect((await fileOf(CORRUPT)).packedFrom).toBe('canonical');
    expect((await fileOf(valid[2] as string)).packedFrom).toBe('canonical');
  });

  it('ranks exactly as the one-shot engine over the same submissions (standard competition ranks)', async () => {
    const subs: Submission[] = valid.map((k) => submissionSchema.parse(bodyOf(k)));
    const expected = rank(scoreRun(m, subs).results, m.clusters);
    for (const cluster of expected) {
      const page = await h.table.repos.rankings.listByCluster(`${CYCLE}-r1`, cluster.cluster, { limit: 500 });
      const ranked = page.items.filter((e) => e.rank !== undefined);
      expect(ranked.map((e) => [e.kode, e.rank, e.score])).toEqual(
        cluster.entries.filter((e) => e.rank !== null).map((e) => [e.region, e.rank, e.index]),
      );
      // Unranked entries come after the ranked ones and never carry a rank.
      const firstUnranked = page.items.findIndex((e) => e.rank === undefined);
      if (firstUnranked >= 0)
        expect(page.items.slice(firstUnranked).every((e) => e.rank === undefined)).toBe(true);
    }
    const kabupaten = expected.find((c) => c.cluster === 'kabupaten');
    expect(kabupaten?.entries.some((e) => e.rank !== null)).toBe(true);
  });

  it('lists every one of the 552 regions, with the reason when unranked', async () => {
    const results = await allResults(`${CYCLE}-r1`);
    expect(results).toHaveLength(REGIONS.length);
    const byCode = new Map(results.map((r) => [r.kode, r]));
    expect(byCode.get('11.01')).toMatchObject({
      outcome: 'not-submitted',
      unranked: 'not-submitted',
      predikat: 'Tidak Dapat Dinilai',
      display: '0.00',
      ranks: {},
      clusters: ['kabupaten'],
    });
    expect(byCode.get('11.01')?.traceKey).toBeUndefined();
    expect(byCode.get(ABSENT)?.outcome).toBe('not-submitted');
    expect(byCode.get(INVALID)).toMatchObject({ outcome: 'invalid', unranked: 'invalid', ranks: {} });
    expect(byCode.get(MISSING)).toMatchObject({ outcome: 'failed', unranked: 'failed', ranks: {} });
    const ineligible = results.filter((r) => r.outcome === 'scored' && !r.eligible);
    expect(ineligible.map((r) => r.kode)).toEqual(['18.04', '18.06', '18.08', '18.12']); // SAKIP CC
    expect(ineligible[0]?.reasons[0]?.en).toContain('sakip');
    for (const kode of valid) {
      const r = byCode.get(kode);
      expect(r?.outcome).toBe('scored');
      expect(r?.methodology).toEqual({ id: 'ikkd-2020', hash: m.hash });
      expect(r?.submissionId).toMatch(/^s-/);
      expect(r?.traceKey).toBe(`runs/${CYCLE}/${CYCLE}-r1/cards/${kode}.json`);
      if (!r?.eligible) expect(r).toMatchObject({ unranked: 'ineligible', ranks: {} });
      else expect(Object.keys(r.ranks)).toEqual(r.clusters);
    }
  });

  it('writes every submitting region a card: the full trace, or the problems', async () => {
    const scored = valid[0] ?? '';
    const card = await h.objects.getJson<{
      outcome: string;
      card: { methodology: { hash: string }; breakdown: { kind: string }; display: string };
    }>(`runs/${CYCLE}/${CYCLE}-r1/cards/${scored}.json`);
    expect(card.outcome).toBe('scored');
    expect(card.card.methodology.hash).toBe(m.hash);
    expect(card.card.breakdown.kind).toBe('aggregate');
    // The relative indicators were scored with the run's statistics, not left pending.
    expect(JSON.stringify(card.card.breakdown)).not.toContain('"pending"');
    const invalid = await h.objects.getJson<{ outcome: string; problems: { code: string }[] }>(
      `runs/${CYCLE}/${CYCLE}-r1/cards/${INVALID}.json`,
    );
    expect(invalid.outcome).toBe('invalid');
    expect(invalid.problems.map((p) => p.code)).toContain('REGION_MISMATCH');
    const failed = await h.objects.getJson<{ outcome: string; problems: { code: string }[] }>(
      `runs/${CYCLE}/${CYCLE}-r1/cards/${MISSING}.json`,
    );
    expect(failed.problems.map((p) => p.code)).toEqual(['SOURCE_MISSING']);
  });

  it('gives the rank change since the previous cycle of the same index', async () => {
    const results = await allResults(`${CYCLE}-r1`);
    const ranked = results.filter((r) => r.provinsi === '18' && r.ranks.kabupaten !== undefined);
    expect(ranked.length).toBeGreaterThan(0);
    for (const r of ranked) {
      expect(r.previousRanks).toEqual({ kabupaten: 10 });
      expect(r.rankChange).toEqual({ kabupaten: 10 - (r.ranks.kabupaten ?? 0) });
    }
    const entries = await h.table.repos.rankings.listByCluster(`${CYCLE}-r1`, 'kabupaten', {
      province: '18',
    });
    const first = entries.items[0] as (typeof entries.items)[number] & { rankChange?: number };
    expect(first.rankChange).toBe(10 - (first.rank ?? 0));
  });

  it('records every region history as PROVISIONAL', async () => {
    const history = await h.table.repos.history.list(valid[0] ?? '', { index: 'IKKD' });
    expect(history.items.map((e) => [e.cycleId, e.runId, e.runStatus])).toEqual([
      [CYCLE, `${CYCLE}-r1`, 'PROVISIONAL'],
    ]);
  });

  it('a re-run gives the same results under a new run id and never overwrites the first run', async () => {
    await h.table.repos.cycles.transition(CYCLE, 'ASSESSING', {
      from: ['ASSESSED'],
      currentRunId: `${CYCLE}-r2`,
    });
    const out = await runPipeline(h, {
      cycleId: CYCLE,
      runId: `${CYCLE}-r2`,
      startedAt: '2026-04-03T09:00:00+07:00',
      trigger: 'manual',
    });
    expect(out.manifest.manifestKey).toBe(`runs/${CYCLE}/${CYCLE}-r2/manifest.json`);
    const [first, second] = await Promise.all([allResults(`${CYCLE}-r1`), allResults(`${CYCLE}-r2`)]);
    expect(second.map(comparable)).toEqual(first.map(comparable));
    expect(second.every((r) => r.runId === `${CYCLE}-r2`)).toBe(true);

    expect(await h.table.repos.runs.get(CYCLE, `${CYCLE}-r1`)).toEqual(firstRun);
    const runs = await h.table.repos.runs.list(CYCLE);
    expect(runs.items.map((r) => [r.runId, r.status])).toEqual([
      [`${CYCLE}-r2`, 'PROVISIONAL'],
      [`${CYCLE}-r1`, 'PROVISIONAL'],
    ]);
    const history = await h.table.repos.history.list(valid[0] ?? '', { index: 'IKKD' });
    expect(history.items.map((e) => e.runId)).toEqual([`${CYCLE}-r2`]);
  });

  it('retried tasks change nothing: one run, the same manifest, the same results', async () => {
    const runId = `${CYCLE}-r3`;
    await h.table.repos.cycles.transition(CYCLE, 'ASSESSING', { from: ['ASSESSED'], currentRunId: runId });
    const input = { cycleId: CYCLE, runId, startedAt: '2026-04-04T09:00:00+07:00', trigger: 'manual' };
    const out = await runPipeline(h, input, { twice: true });
    expect(out.publish.status).toBe('PROVISIONAL');
    const runs = await h.table.repos.runs.list(CYCLE);
    expect(runs.items.filter((r) => r.runId === runId)).toHaveLength(1);
    const [first, third] = await Promise.all([allResults(`${CYCLE}-r1`), allResults(runId)]);
    expect(third.map(comparable)).toEqual(first.map(comparable));
    // Once PROVISIONAL, the run's results are frozen: a late FreezeManifest is refused.
    await expect(runPipeline(h, input)).rejects.toMatchObject({ name: 'RunNotRunning' });
  });
});
