import type {
  CycleRecord,
  RankingEntry,
  RegionCycleRecord,
  RegionResultRecord,
  Repositories,
  RunRecord,
} from '#adapters/dynamo/index';
import { Lru } from '#util/cache';
import type { RegionCard } from './region';

/** Reads a run's trace document (JSON) from the upload bucket. */
export interface TraceReader {
  read(key: string): Promise<unknown>;
}

export interface ResultsCaches {
  /** `runId#cluster` → the whole cluster ranking of a frozen run. */
  rankings: Lru<RankingEntry[]>;
  /** `runId` → every region result of a frozen run. */
  results: Lru<RegionResultRecord[]>;
  /** `traceKey#kode` → the region's card from the trace, parsed and summarised (written once per run). */
  cards: Lru<RegionCard>;
  /** `cycleId#cluster` → the previous published run to compare ranks with (short-lived). */
  previous: Lru<{ cycleId: string; period: number; runId: string } | null>;
  /** `cycleId` → region statuses (participation; short-lived). */
  statuses: Lru<RegionCycleRecord[]>;
  /** `runId#kode` → a region's result in a frozen run. */
  regionResults: Lru<RegionResultRecord | undefined>;
  /**
   * Short-lived (seconds) reads of what can still change: cycles (status, embargo) and runs (status,
   * the latest FINAL). Publication only moves towards public, so a few seconds late is harmless,
   * and it spares two table reads per request under load.
   */
  cycles: Lru<CycleRecord | undefined>;
  runs: Lru<RunRecord | undefined>;
}

/** How long a cycle or run record is reused (a warm container serving bursts of reads). */
export const RECORD_TTL_MS = 5_000;

export interface ResultsDeps {
  repos: Pick<Repositories, 'cycles' | 'runs' | 'rankings' | 'history' | 'regionStatus' | 'verification'>;
  traces: TraceReader;
  now: () => Date;
  caches: ResultsCaches;
}

export function createCaches(): ResultsCaches {
  return {
    rankings: new Lru(48),
    results: new Lru(8),
    cards: new Lru(128),
    previous: new Lru(64, 30_000),
    statuses: new Lru(8, 15_000),
    regionResults: new Lru(4096),
    cycles: new Lru(64, RECORD_TTL_MS),
    runs: new Lru(256, RECORD_TTL_MS),
  };
}
