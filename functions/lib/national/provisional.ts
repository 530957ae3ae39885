import type { LedgerPort, Repositories } from '#adapters/dynamo/index';
import { InternalError } from '#domain/errors';
import type { PublishInput, PublishResult } from './contracts';
import { recordRegionHistory } from './history';
import { recordRunPublication } from './ledger';

export interface PublishDeps {
  repos: Pick<Repositories, 'cycles' | 'runs' | 'rankings' | 'history'>;
  now: () => Date;
  /** The cycle ledger: `run.published`, whose seq and hash are stored on the run as its ledger head. */
  ledger: LedgerPort;
  /** Writes the ledger up to a head to the export bucket (Object Lock), keyed by the head's seq. */
  exportLedger: (cycleId: string, head: { seq: number; hash: string }) => Promise<void>;
}

/**
 * Ends the run as PROVISIONAL with its counts and summary, records every region's history as
 * PROVISIONAL and moves the cycle to ASSESSED (when this run is the cycle's current one). Every
 * step is guarded and idempotent, so a retried invocation completes what the first one left.
 */
export async function markRunProvisional(input: PublishInput, deps: PublishDeps): Promise<PublishResult> {
  const { cycleId } = input;
  const { runId } = input.run;
  const run = await deps.repos.runs.get(cycleId, runId);
  if (!run) throw new InternalError('RunNotFound', `run ${runId} does not exist`);
  if (!run.counts || !run.summary || run.resultKey !== input.aggregate.resultKey)
    throw new InternalError('RunNotAggregated', `run ${runId} has no results from the aggregate step`);
  if (run.status !== 'RUNNING' && run.status !== 'PROVISIONAL')
    throw new InternalError('RunNotRunning', `run ${runId} cannot become PROVISIONAL (${run.status})`);
  const at = deps.now().toISOString();
  // The publication entry first (a replay returns the same entry), so the head lands with the status.
  const ledgerHead = await recordRunPublication(deps.ledger, {
    cycleId,
    runId,
    status: 'PROVISIONAL',
    at,
    resultKey: run.resultKey,
    counts: run.counts,
  });
  const moved = await deps.repos.runs.transition(cycleId, runId, 'PROVISIONAL', {
    at,
    reason: 'national run completed',
    summary: run.summary,
    ledgerHead,
  });
  if (moved.outcome === 'not-found' || moved.outcome === 'rejected')
    throw new InternalError('RunNotRunning', `run ${runId} cannot become PROVISIONAL (${moved.outcome})`);
  await deps.exportLedger(cycleId, ledgerHead);

  const cycle = await deps.repos.cycles.get(cycleId);
  if (!cycle) throw new InternalError('CycleNotFound', `cycle ${cycleId} does not exist`);
  const historyRecorded = await recordRegionHistory(deps.repos, cycle, moved.run, 'PROVISIONAL', at);

  let cycleStatus = cycle.status;
  if (cycle.currentRunId === runId) {
    const t = await deps.repos.cycles.transition(cycleId, 'ASSESSED', {
      from: ['ASSESSING'],
      at,
      reason: `run ${runId} PROVISIONAL`,
      nextTransitionAt: null,
    });
    if (t.outcome !== 'not-found') cycleStatus = t.cycle.status;
  }
  return { status: 'PROVISIONAL', cycleStatus, historyRecorded };
}
