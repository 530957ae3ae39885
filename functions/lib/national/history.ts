import type { CycleRecord, RegionHistoryEntry, Repositories, RunRecord } from '#adapters/dynamo/index';
import { mapLimit } from '#util/pool';
import type { NationalRegionResult } from './contracts';

/**
 * Records every region's result of the run in its history (the run that counts for the cycle: a
 * FINAL run beats a PROVISIONAL one, a newer run an older one). Idempotent: a replay rewrites the
 * same entries. Returns how many entries were applied (not stale).
 */
export async function recordRegionHistory(
  repos: Pick<Repositories, 'rankings' | 'history'>,
  cycle: CycleRecord,
  run: RunRecord,
  runStatus: 'PROVISIONAL' | 'FINAL',
  recordedAt: string,
): Promise<number> {
  let applied = 0;
  let cursor: string | undefined;
  do {
    const page = await repos.rankings.listRegionResults(run.runId, { limit: 500, cursor });
    const outcomes = await mapLimit(page.items, 16, (result) => {
      const extra = result as Partial<NationalRegionResult>;
      // Beyond the declared fields (the item keeps them): what a person reads in the history.
      const entry: RegionHistoryEntry & { display?: string; outcome?: string } = {
        kode: result.kode,
        index: cycle.index,
        period: cycle.period,
        cycleId: cycle.cycleId,
        runId: run.runId,
        runStatus,
        runStartedAt: run.startedAt,
        ...(result.score !== undefined ? { score: result.score } : {}),
        ...(result.predikat !== undefined ? { predikat: result.predikat } : {}),
        eligible: result.eligible,
        ranks: result.ranks,
        methodology: result.methodology,
        recordedAt,
        ...(extra.display !== undefined ? { display: extra.display } : {}),
        ...(extra.outcome !== undefined ? { outcome: extra.outcome } : {}),
      };
      return repos.history.record(entry);
    });
    applied += outcomes.filter((o) => o === 'applied').length;
    cursor = page.cursor;
  } while (cursor);
  return applied;
}
