import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankingEntry } from '#adapters/dynamo/index';
import { startTestTable, type TestTable } from './dynalite-table';

let t: TestTable;
beforeAll(async () => {
  t = await startTestTable();
});
afterAll(async () => {
  await t.close();
});

const methodology = { id: 'iid-2025', hash: 'sha256:abc' };

// 60 kabupaten across two provinces, plus two ineligible ones.
const entries: RankingEntry[] = Array.from({ length: 60 }, (_, i) => {
  const provinsi = i % 2 === 0 ? '18' : '35';
  return {
    cycleId: 'iid-2025',
    runId: 'run-1',
    cluster: 'kabupaten',
    kode: `${provinsi}.${String(i + 1).padStart(2, '0')}`,
    provinsi,
    rank: i + 1,
    score: 90 - i,
    eligible: true,
  };
});
entries.push(
  {
    cycleId: 'iid-2025',
    runId: 'run-1',
    cluster: 'kabupaten',
    kode: '18.69',
    provinsi: '18',
    eligible: false,
    reason: 'Pj',
  },
  {
    cycleId: 'iid-2025',
    runId: 'run-1',
    cluster: 'kota',
    kode: '18.71',
    provinsi: '18',
    rank: 1,
    score: 80,
    eligible: true,
  },
);

describe('RankingRepository', () => {
  it('writes a run in batches and reads a cluster in rank order, unranked last', async () => {
    await t.repos.rankings.putEntries(entries);
    const all: RankingEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.repos.rankings.listByCluster('run-1', 'kabupaten', { limit: 25, cursor });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    expect(all).toHaveLength(61);
    expect(all[0]?.rank).toBe(1);
    expect(all[59]?.rank).toBe(60);
    expect(all[60]).toMatchObject({ kode: '18.69', eligible: false });
  });

  it('filters by province through the index, still in rank order', async () => {
    const page = await t.repos.rankings.listByCluster('run-1', 'kabupaten', { province: '35', limit: 100 });
    expect(page.items).toHaveLength(30);
    expect(page.items.every((e) => e.provinsi === '35')).toBe(true);
    const ranks = page.items.map((e) => e.rank ?? 0);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const kota = await t.repos.rankings.listByCluster('run-1', 'kota', { province: '18' });
    expect(kota.items.map((e) => e.kode)).toEqual(['18.71']);
  });

  it('stores and reads per-region results of a run', async () => {
    await t.repos.rankings.putRegionResults([
      {
        cycleId: 'iid-2025',
        runId: 'run-1',
        kode: '18.01',
        provinsi: '18',
        score: 90,
        eligible: true,
        ranks: { kabupaten: 1 },
        clusters: ['kabupaten'],
        methodology,
      },
      {
        cycleId: 'iid-2025',
        runId: 'run-1',
        kode: '35.02',
        provinsi: '35',
        score: 89,
        eligible: true,
        ranks: { kabupaten: 2 },
        clusters: ['kabupaten'],
        methodology,
      },
    ]);
    expect((await t.repos.rankings.getRegionResult('run-1', '18.01'))?.ranks).toEqual({ kabupaten: 1 });
    const province = await t.repos.rankings.listRegionResults('run-1', { province: '35' });
    expect(province.items.map((r) => r.kode)).toEqual(['35.02']);
  });
});

describe('HistoryRepository', () => {
  const entry = {
    kode: '18.01',
    index: 'IID',
    period: 2025,
    cycleId: 'iid-2025',
    eligible: true,
    ranks: { kabupaten: 3 },
    methodology,
    recordedAt: '2025-04-10T00:00:00Z',
  };

  it('keeps one entry per cycle: FINAL beats PROVISIONAL, newer beats older', async () => {
    expect(
      await t.repos.history.record({
        ...entry,
        runId: 'run-1',
        runStatus: 'PROVISIONAL',
        runStartedAt: '2025-04-08T00:00:00Z',
        score: 70,
      }),
    ).toBe('applied');
    expect(
      await t.repos.history.record({
        ...entry,
        runId: 'run-1',
        runStatus: 'FINAL',
        runStartedAt: '2025-04-08T00:00:00Z',
        score: 70,
      }),
    ).toBe('applied');
    expect(
      await t.repos.history.record({
        ...entry,
        runId: 'run-2',
        runStatus: 'PROVISIONAL',
        runStartedAt: '2025-04-09T00:00:00Z',
        score: 10,
      }),
    ).toBe('stale');
    await t.repos.history.record({
      ...entry,
      cycleId: 'iid-2024',
      period: 2024,
      runId: 'run-0',
      runStatus: 'FINAL',
      runStartedAt: '2024-04-08T00:00:00Z',
      score: 60,
    });
    await t.repos.history.record({
      ...entry,
      index: 'IPKD',
      cycleId: 'ipkd-2025',
      runId: 'run-9',
      runStatus: 'FINAL',
      runStartedAt: '2025-05-08T00:00:00Z',
    });
    const iid = await t.repos.history.list('18.01', { index: 'IID' });
    expect(iid.items.map((h) => [h.period, h.runId, h.score])).toEqual([
      [2024, 'run-0', 60],
      [2025, 'run-1', 70],
    ]);
    expect((await t.repos.history.list('18.01')).items).toHaveLength(3);
  });
});

describe('IdempotencyRepository', () => {
  it('claims once within the TTL and expires afterwards', async () => {
    const at = (iso: string) => t.reposAt(iso).idempotency;
    expect((await at('2025-01-01T00:00:00Z').claim('transition', 'iid-2025#OPEN', 3600)).claimed).toBe(true);
    const again = await at('2025-01-01T00:10:00Z').claim('transition', 'iid-2025#OPEN', 3600);
    expect(again.claimed).toBe(false);
    await at('2025-01-01T00:10:00Z').complete('transition', 'iid-2025#OPEN', { ok: true });
    expect((await t.repos.idempotency.get('transition', 'iid-2025#OPEN'))?.status).toBe('COMPLETED');
    // Past expiresAt the record counts as absent even before TTL deletes it.
    expect((await at('2025-01-01T02:00:00Z').claim('transition', 'iid-2025#OPEN', 3600)).claimed).toBe(true);
  });
});
