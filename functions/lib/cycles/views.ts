import type { CycleRecord, RunRecord } from '#adapters/dynamo/index';
import { effectiveDeadline, formatWib, windowState } from '#domain/cycle';

/** A cycle as the API shows it: the calendar with its effective deadline and the window state now. */
export function cycleSummary(cycle: CycleRecord, now: Date) {
  const deadline = effectiveDeadline(cycle.calendar);
  return {
    cycleId: cycle.cycleId,
    index: cycle.index,
    period: cycle.period,
    name: cycle.name,
    status: cycle.status,
    version: cycle.version,
    methodology: cycle.methodology,
    calendar: {
      ...cycle.calendar,
      effectiveDeadline: deadline,
      effectiveDeadlineWib: formatWib(deadline),
      window: windowState(cycle.calendar, now),
    },
    ...(cycle.nextTransitionAt ? { nextTransitionAt: cycle.nextTransitionAt } : {}),
  };
}

export function runView(run: RunRecord) {
  return {
    runId: run.runId,
    status: run.status,
    trigger: run.trigger,
    startedAt: run.startedAt,
    ...(run.completedAt ? { completedAt: run.completedAt } : {}),
    ...(run.finalizedAt ? { finalizedAt: run.finalizedAt } : {}),
    ...(run.finalizedBy ? { finalizedBy: run.finalizedBy } : {}),
    regionCount: run.regionCount,
    methodology: run.methodology,
    ...(run.counts ? { counts: run.counts } : {}),
    history: run.history,
    ...(run.failure ? { failure: run.failure } : {}),
  };
}

/**
 * The cycle with its history and runs. `ministry` (assessor, leadership, admin) sees every run;
 * operators only FINAL ones (provisional results may be under embargo).
 */
export function cycleDetail(cycle: CycleRecord, runs: readonly RunRecord[], now: Date, ministry: boolean) {
  return {
    ...cycleSummary(cycle, now),
    statusHistory: cycle.statusHistory,
    ...(ministry && cycle.currentRunId ? { currentRunId: cycle.currentRunId } : {}),
    runs: runs.filter((r) => ministry || r.status === 'FINAL').map(runView),
    createdAt: cycle.createdAt,
    updatedAt: cycle.updatedAt,
  };
}
