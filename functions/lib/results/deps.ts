import type {
  RankingEntry,
  RegionCycleRecord,
  RegionResultRecord,
  Repositories,
} from '../../../shared/adapters/dynamo';
import { Lru } from './cache';

/** Reads a run's trace document (JSON) from the upload bucket. */
export interface TraceReader {
  read(key: string): Promise<unknown>;
}

export interface ResultsCaches {
  /** `runId#cluster` → the whole cluster ranking of a frozen run. */
  rankings: Lru<RankingEntry[]>;
  /** `runId` → every region result of a frozen run. */
  results: Lru<RegionResultRecord[]>;
  /** trace key → parsed trace document (written once per run). */
  traces: Lru<unknown>;
  /** `cycleId#cluster` → the previous published run to compare ranks with (short-lived). */
  previous: Lru<{ cycleId: string; period: number; runId: string } | null>;
  /** `cycleId` → region statuses (participation; short-lived). */
  statuses: Lru<RegionCycleRecord[]>;
}

export interface ResultsDeps {
  repos: Pick<Repositories, 'cycles' | 'runs' | 'rankings' | 'history' | 'regionStatus'>;
  traces: TraceReader;
  now: () => Date;
  caches: ResultsCaches;
}

export function createCaches(): ResultsCaches {
  return {
    rankings: new Lru(48),
    results: new Lru(8),
    traces: new Lru(64),
    previous: new Lru(64, 30_000),
    statuses: new Lru(8, 15_000),
  };
}
