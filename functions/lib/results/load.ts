import type {
  CycleRecord,
  RankingEntry,
  RegionCycleRecord,
  RegionResultRecord,
  RunRecord,
} from '#adapters/dynamo/index';
import { isPublished, previousCycleOf } from '#domain/results';
import type { ResultsDeps } from './deps';

const frozen = (run: Pick<RunRecord, 'status'>): boolean =>
  run.status === 'PROVISIONAL' || run.status === 'FINAL';

async function all<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; cursor?: string }>) {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const out = await page(cursor);
    items.push(...out.items);
    cursor = out.cursor;
  } while (cursor);
  return items;
}

/** A cluster's whole ranking (≤ 552 entries): rank order, unranked last. Cached once frozen. */
export function clusterEntries(
  deps: ResultsDeps,
  run: Pick<RunRecord, 'runId' | 'status'>,
  cluster: string,
): Promise<RankingEntry[]> {
  const load = () =>
    all((cursor) => deps.repos.rankings.listByCluster(run.runId, cluster, { limit: 500, cursor }));
  return frozen(run) ? deps.caches.rankings.get(`${run.runId}#${cluster}`, load) : load();
}

export const cycleRecord = (deps: ResultsDeps, cycleId: string): Promise<CycleRecord | undefined> =>
  deps.caches.cycles.get(cycleId, () => deps.repos.cycles.get(cycleId));

export const runRecord = (
  deps: ResultsDeps,
  cycleId: string,
  runId: string,
): Promise<RunRecord | undefined> =>
  deps.caches.runs.get(`${cycleId}#${runId}`, () => deps.repos.runs.get(cycleId, runId));

export const latestRun = (
  deps: ResultsDeps,
  cycleId: string,
  status: 'FINAL' | 'PROVISIONAL',
): Promise<RunRecord | undefined> =>
  deps.caches.runs.get(`${cycleId}#latest:${status}`, () => deps.repos.runs.latest(cycleId, status));

/** A region's result in a run (cached once the run is frozen). */
export function regionResult(
  deps: ResultsDeps,
  run: Pick<RunRecord, 'runId' | 'status'>,
  kode: string,
): Promise<RegionResultRecord | undefined> {
  const load = () => deps.repos.rankings.getRegionResult(run.runId, kode);
  return frozen(run) ? deps.caches.regionResults.get(`${run.runId}#${kode}`, load) : load();
}

/** Every region result of a run, in code order. Cached once frozen. */
export function runResults(deps: ResultsDeps, run: RunRecord): Promise<RegionResultRecord[]> {
  const load = () =>
    all((cursor) => deps.repos.rankings.listRegionResults(run.runId, { limit: 500, cursor }));
  return frozen(run) ? deps.caches.results.get(run.runId, load) : load();
}

export function allCycles(deps: ResultsDeps): Promise<CycleRecord[]> {
  return all((cursor) => deps.repos.cycles.list({ limit: 100, cursor }));
}

/** Region statuses of a cycle (who uploaded, who has an accepted submission). */
export function regionStatuses(deps: ResultsDeps, cycleId: string): Promise<RegionCycleRecord[]> {
  return deps.caches.statuses.get(cycleId, () =>
    all((cursor) => deps.repos.regionStatus.listForCycle(cycleId, { limit: 500, cursor })),
  );
}

export interface PreviousRanking {
  ref: { cycleId: string; period: number; runId: string };
  ranks: Map<string, number>;
}

/**
 * Ranks of the previous cycle of the same index, from its latest FINAL run, if that is published:
 * rank changes are measured against what was published, the same for every reader.
 */
export async function previousRanking(
  deps: ResultsDeps,
  cycle: CycleRecord,
  cluster: string,
): Promise<PreviousRanking | null> {
  const ref = await deps.caches.previous.get(`${cycle.cycleId}`, async () => {
    const previous = previousCycleOf(cycle, await allCycles(deps));
    if (!previous) return null;
    const run = await latestRun(deps, previous.cycleId, 'FINAL');
    if (!run || !isPublished({ cycle: previous, run }, deps.now())) return null;
    return { cycleId: previous.cycleId, period: previous.period, runId: run.runId };
  });
  if (!ref) return null;
  const entries = await clusterEntries(deps, { runId: ref.runId, status: 'FINAL' }, cluster);
  const ranks = new Map<string, number>();
  for (const e of entries) if (typeof e.rank === 'number') ranks.set(e.kode, e.rank);
  return { ref, ranks };
}
