import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type {
  CycleCalendar,
  CycleStatus,
  RankingEntry,
  RegionHistoryEntry,
  RegionResultRecord,
} from '#adapters/dynamo/index';
import { formatDecimal } from '#domain/engine/display';
import { score } from '#domain/engine/index';
import type { LoadedMethodology } from '#domain/methodology/load';
import { getMethodology } from '#domain/methodology/registry';
import { REGIONS, type Region } from '#domain/regions';
import { submissionSchema } from '#domain/submission';
import type { ResultsHarness } from './harness';

/**
 * A small country for the results API: Lampung (18) and Jawa Timur (35) with their kabupaten/kota,
 * IID cycles 2024 (published), 2025 (published; plus a running and a failed re-run), 2026
 * (provisional only), 2027 (final but embargoed until 2099) and an IKKD 2024 cycle (other index).
 * Data as aggregate-run writes it (display, outcome, reasons, card documents under runs/).
 */
export const PROVINCES = ['18', '35'] as const;
export const WORLD: readonly Region[] = REGIONS.filter((r) =>
  (PROVINCES as readonly string[]).includes(r.provinsi),
);

export const NOT_SUBMITTED = new Set(['18.13', '35.29', '35.05']);
/** 35.05 uploaded a file that was rejected: it counts as uploaded, not accepted. */
export const REJECTED_UPLOAD = '35.05';
export const INELIGIBLE: Record<string, string> = {
  '18.02': '=HYPERLINK("http://evil.example","klik")',
  '35.03': "@SUM(1+1)*cmd|' /C calc'!A0",
};
export const CARD_REGIONS = ['18.01', '18.02', '35.01'];
/** A region whose trace key points at nothing (the card was never written). */
export const MISSING_CARD = '35.04';

export const IID = methodologyOrThrow('iid-2023');
export const IKKD = methodologyOrThrow('ikkd-2020');

function methodologyOrThrow(id: string): LoadedMethodology {
  const m = getMethodology(id);
  if (!m) throw new Error(`methodology ${id} is not shipped`);
  return m;
}

export interface SeedCycle {
  cycleId: string;
  index: string;
  period: number;
  methodology: LoadedMethodology;
  status: CycleStatus;
  publishAt?: string;
  runs: { runId: string; status: 'RUNNING' | 'PROVISIONAL' | 'FINAL' | 'FAILED'; startedAt: string }[];
}

export const CYCLES: readonly SeedCycle[] = [
  {
    cycleId: 'iid-2024',
    index: 'IID',
    period: 2024,
    methodology: IID,
    status: 'PUBLISHED',
    publishAt: '2024-12-10T10:00:00+07:00',
    runs: [{ runId: 'r-2024', status: 'FINAL', startedAt: '2024-11-01T01:00:00Z' }],
  },
  {
    cycleId: 'iid-2025',
    index: 'IID',
    period: 2025,
    methodology: IID,
    status: 'PUBLISHED',
    publishAt: '2025-12-10T10:00:00+07:00',
    runs: [
      { runId: 'r-2025', status: 'FINAL', startedAt: '2025-11-01T01:00:00Z' },
      { runId: 'r-2025-failed', status: 'FAILED', startedAt: '2025-11-02T01:00:00Z' },
      { runId: 'r-2025-running', status: 'RUNNING', startedAt: '2025-11-03T01:00:00Z' },
    ],
  },
  {
    cycleId: 'iid-2026',
    index: 'IID',
    period: 2026,
    methodology: IID,
    status: 'ASSESSED',
    runs: [{ runId: 'r-2026', status: 'PROVISIONAL', startedAt: '2026-11-01T01:00:00Z' }],
  },
  {
    cycleId: 'iid-2027',
    index: 'IID',
    period: 2027,
    methodology: IID,
    status: 'PUBLISHED',
    publishAt: '2099-01-01T10:00:00+07:00',
    runs: [{ runId: 'r-2027', status: 'FINAL', startedAt: '2027-11-01T01:00:00Z' }],
  },
  {
    cycleId: 'ikkd-2024',
    index: 'IKKD',
    period: 2024,
    methodology: IKKD,
    status: 'PUBLISHED',
    runs: [{ runId: 'r-ikkd-2024', status: 'FINAL', startedAt: '2024-10-01T01:00:00Z' }],
  },
];

const STATUS_PATH: CycleStatus[] = ['OPEN', 'CLOSED', 'ASSESSING', 'ASSESSED', 'PUBLISHED'];

const calendar = (period: number, publishAt?: string): CycleCalendar => ({
  timeZone: 'Asia/Jakarta',
  opensAt: `${period}-03-01T00:00:00+07:00`,
  closesAt: `${period}-03-31T23:59:00+07:00`,
  extensions: [],
  nationalRunAt: `${period}-04-02T01:00:00+07:00`,
  ...(publishAt ? { publishAt } : {}),
});

/** A deterministic index value 20..90 per region and run. */
export function indexOf(kode: string, runId: string): number {
  const h = createHash('sha256').update(`${kode}|${runId}`).digest();
  return 20 + (h.readUInt32BE(0) % 700_000) / 10_000;
}

export const clusterOf = (r: Region): string => r.jenis;

/** The example submission of Kabupaten Lampung Selatan (canonical JSON). */
export const lampungSelatanSubmission = (): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL('../../../examples/iid-2023-lampung-selatan.json', import.meta.url), 'utf8'),
  );

/** The example submission of Kabupaten Lampung Selatan scored by the engine: a real trace. */
export function lampungSelatanCard() {
  return score(IID, submissionSchema.parse(lampungSelatanSubmission()), { explain: false });
}

function predikatOf(m: LoadedMethodology, display: string, assessable: boolean) {
  if (!assessable) return { label: m.predikat.notAssessable.label, en: m.predikat.notAssessable.en };
  const v = Number(display);
  const band = m.predikat.bands.find((b) => v >= b.min && v <= b.max);
  return band
    ? { label: band.label, en: band.en }
    : { label: m.predikat.notAssessable.label, en: m.predikat.notAssessable.en };
}

export interface RunData {
  results: RegionResultRecord[];
  entries: RankingEntry[];
}

/** Every region's result and every cluster's ranking of one run. */
export function runData(cycle: SeedCycle, runId: string, card = lampungSelatanCard()): RunData {
  const m = cycle.methodology;
  const rows = WORLD.map((region) => {
    const notSubmitted = NOT_SUBMITTED.has(region.kode);
    const useCard = region.kode === '18.01' && runId === 'r-2025';
    const index = notSubmitted ? 0 : useCard ? card.index : indexOf(region.kode, runId);
    const display = formatDecimal(index, m.output.decimals);
    const predikat = predikatOf(m, display, !notSubmitted);
    const reason = INELIGIBLE[region.kode];
    return { region, index, display, predikat, notSubmitted, eligible: reason === undefined, reason };
  });
  const ranks = new Map<string, Record<string, number>>();
  const entries: RankingEntry[] = [];
  for (const cluster of ['provinsi', 'kabupaten', 'kota']) {
    const members = rows.filter((r) => clusterOf(r.region) === cluster);
    const order = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      b.index - a.index || a.region.kode.localeCompare(b.region.kode);
    const ranked = members.filter((r) => r.eligible && !r.notSubmitted).sort(order);
    const unranked = members.filter((r) => !(r.eligible && !r.notSubmitted)).sort(order);
    ranked.forEach((r, i) => {
      ranks.set(r.region.kode, { [cluster]: i + 1 });
    });
    for (const r of [...ranked, ...unranked]) {
      const rank = ranks.get(r.region.kode)?.[cluster];
      entries.push({
        cycleId: cycle.cycleId,
        runId,
        cluster,
        kode: r.region.kode,
        nama: r.region.nama,
        provinsi: r.region.provinsi,
        ...(rank !== undefined ? { rank } : {}),
        score: r.index,
        predikat: r.predikat.label,
        eligible: r.eligible,
        ...(r.reason ? { reason: r.reason } : {}),
        // Members aggregate-run adds (NationalRankingEntry).
        ...{
          display: r.display,
          outcome: r.notSubmitted ? 'not-submitted' : 'scored',
          ...(rank === undefined ? { unranked: r.notSubmitted ? 'not-submitted' : 'ineligible' } : {}),
        },
      });
    }
  }
  const results: RegionResultRecord[] = rows.map((r) => ({
    cycleId: cycle.cycleId,
    runId,
    kode: r.region.kode,
    nama: r.region.nama,
    provinsi: r.region.provinsi,
    score: r.index,
    predikat: r.predikat.label,
    eligible: r.eligible,
    ...(r.reason ? { reason: r.reason } : {}),
    ranks: ranks.get(r.region.kode) ?? {},
    clusters: [clusterOf(r.region)],
    methodology: { id: m.id, hash: m.hash },
    ...(CARD_REGIONS.includes(r.region.kode) || r.region.kode === MISSING_CARD
      ? { traceKey: `runs/${cycle.cycleId}/${runId}/cards/${r.region.kode}.json` }
      : {}),
    ...{
      display: r.display,
      predikatEn: r.predikat.en,
      outcome: r.notSubmitted ? 'not-submitted' : 'scored',
      reasons: r.reason
        ? [{ id: r.reason, en: r.reason }]
        : r.notSubmitted
          ? [{ id: 'Tidak ada pengajuan yang diterima.', en: 'No accepted submission.' }]
          : [],
      ...(r.notSubmitted ? {} : { submissionId: `s-${r.region.kode.replace('.', '')}-${runId}` }),
    },
  }));
  return { results, entries };
}

export async function seedWorld(h: ResultsHarness): Promise<void> {
  const { repos } = h.table;
  const card = lampungSelatanCard();
  for (const cycle of CYCLES) {
    const m = cycle.methodology;
    await repos.cycles.create({
      cycleId: cycle.cycleId,
      index: cycle.index,
      period: cycle.period,
      name: `${m.name.id} ${cycle.period}`,
      calendar: calendar(cycle.period, cycle.publishAt),
      methodology: { id: m.id, hash: m.hash },
    });
    for (const status of STATUS_PATH.slice(0, STATUS_PATH.indexOf(cycle.status) + 1)) {
      const out = await repos.cycles.transition(cycle.cycleId, status);
      if (out.outcome !== 'applied') throw new Error(`cycle ${cycle.cycleId} → ${status}: ${out.outcome}`);
    }
    for (const run of cycle.runs) {
      await repos.runs.create({
        cycleId: cycle.cycleId,
        runId: run.runId,
        methodology: { id: m.id, hash: m.hash },
        trigger: 'test',
        startedAt: run.startedAt,
        manifestKey: `runs/${cycle.cycleId}/${run.runId}/manifest.json`,
        regionCount: WORLD.length,
      });
      if (run.status === 'RUNNING') continue;
      if (run.status === 'FAILED') {
        await repos.runs.transition(cycle.cycleId, run.runId, 'FAILED', { failure: { error: 'Test' } });
        continue;
      }
      const data = runData(cycle, run.runId, card);
      await repos.rankings.putEntries(data.entries);
      await repos.rankings.putRegionResults(data.results);
      await repos.runs.recordResults(cycle.cycleId, run.runId, {
        resultKey: `runs/${cycle.cycleId}/${run.runId}/results.json`,
        counts: { regions: WORLD.length, scored: 52, failed: 0, ineligible: 2, ranked: 50 },
      });
      await repos.runs.transition(cycle.cycleId, run.runId, 'PROVISIONAL');
      if (run.status === 'FINAL')
        await repos.runs.transition(cycle.cycleId, run.runId, 'FINAL', { by: 'admin-1' });
      for (const kode of CARD_REGIONS) {
        const result = data.results.find((r) => r.kode === kode);
        // The submission as the run froze it (the advice route re-scores it).
        await h.objects.putJson(`runs/${cycle.cycleId}/${run.runId}/regions/${kode}.submission.json`, {
          ...lampungSelatanSubmission(),
          region: kode,
        });
        await h.objects.putJson(`runs/${cycle.cycleId}/${run.runId}/cards/${kode}.json`, {
          cycleId: cycle.cycleId,
          runId: run.runId,
          kode,
          submissionId: `s-${kode.replace('.', '')}-${run.runId}`,
          sourceKey: `reports/${cycle.cycleId}/${kode}/s-${kode.replace('.', '')}.json`,
          methodology: { id: m.id, hash: m.hash },
          outcome: 'scored',
          card:
            kode === '18.01' && run.runId === 'r-2025'
              ? card
              : {
                  ...card,
                  region: kode,
                  index: result?.score,
                  eligible: INELIGIBLE[kode] === undefined,
                  ineligibility: INELIGIBLE[kode]
                    ? [
                        {
                          rule: 'kepala-definitif',
                          field: 'statusKepala',
                          found: 'pj',
                          message_id: 'Kepala daerah bukan definitif (statusKepala: pj)',
                          message_en: 'The head is not definitive (statusKepala: pj)',
                        },
                      ]
                    : [],
                },
          problems: [],
        });
      }
      for (const kode of ['18.01', '35.01']) {
        const result = data.results.find((r) => r.kode === kode);
        if (!result) continue;
        const entry: RegionHistoryEntry = {
          kode,
          index: cycle.index,
          period: cycle.period,
          cycleId: cycle.cycleId,
          runId: run.runId,
          runStatus: run.status,
          runStartedAt: run.startedAt,
          ...(result.score !== undefined ? { score: result.score } : {}),
          ...(result.predikat ? { predikat: result.predikat } : {}),
          eligible: result.eligible,
          ranks: result.ranks,
          methodology: result.methodology,
          recordedAt: run.startedAt,
        };
        await repos.history.record(entry);
      }
    }
    if (cycle.cycleId === 'iid-2025')
      for (const region of WORLD) {
        if (NOT_SUBMITTED.has(region.kode) && region.kode !== REJECTED_UPLOAD) continue;
        const rejected = region.kode === REJECTED_UPLOAD;
        await repos.regionStatus.recordSubmission({
          cycleId: cycle.cycleId,
          kode: region.kode,
          submissionId: `s-${region.kode.replace('.', '')}`,
          status: rejected ? 'REJECTED' : 'SCORED',
          uploadedAt: '2025-03-20T03:00:00Z',
          updatedAt: '2025-03-20T03:05:00Z',
        });
      }
  }
}
