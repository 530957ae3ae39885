import type { CycleRecord, CycleRepository, RunRepository } from '#adapters/dynamo/index';
import type { ExecutionState, NationalRunInput, NationalRunStarter } from '#adapters/executions';

export interface AssessmentDeps {
  cycles: Pick<CycleRepository, 'get' | 'transition'>;
  runs: Pick<RunRepository, 'get' | 'transition'>;
  starter: NationalRunStarter;
}

/**
 * The run id of the cycle's next entry into ASSESSING: `{cycleId}-r{n}`, n = how many times the
 * cycle has entered ASSESSING, plus one. Deterministic, so every caller racing for the same
 * transition derives the same execution name; a re-run (after a failure or to re-assess) gets
 * the next number, hence a new run. Valid as a Step Functions execution name and a key segment.
 */
export function nextRunId(cycle: Pick<CycleRecord, 'cycleId' | 'statusHistory'>): string {
  const entered = cycle.statusHistory.filter((h) => h.status === 'ASSESSING').length;
  return `${cycle.cycleId}-r${entered + 1}`;
}

export type AssessmentOutcome =
  | { outcome: 'started'; cycle: CycleRecord; runId: string; execution: 'started' | 'already-started' }
  | { outcome: 'in-progress'; cycle: CycleRecord; runId: string }
  | { outcome: 'rejected'; cycle: CycleRecord };

/**
 * Moves the cycle into ASSESSING with a new run id (one guarded update: only the caller that wins
 * it starts the run) and starts the national state machine under that name. A caller that finds
 * the cycle already ASSESSING makes sure that run was started (a crash between the two steps).
 */
export async function startAssessment(
  cycle: CycleRecord,
  options: { trigger: string; by?: string; reason?: string; at: string },
  deps: AssessmentDeps,
): Promise<AssessmentOutcome> {
  const runId = nextRunId(cycle);
  const moved = await deps.cycles.transition(cycle.cycleId, 'ASSESSING', {
    from: [cycle.status],
    at: options.at,
    currentRunId: runId,
    nextTransitionAt: null,
    ...(options.by ? { by: options.by } : {}),
    reason: options.reason ?? `national run ${runId} (${options.trigger})`,
  });
  if (moved.outcome === 'not-found') throw new Error(`cycle ${cycle.cycleId} vanished`);
  if (moved.outcome === 'applied') {
    const execution = await deps.starter.start(runId, runInput(cycle.cycleId, options));
    return { outcome: 'started', cycle: moved.cycle, runId, execution };
  }
  if (moved.cycle.status === 'ASSESSING' && moved.cycle.currentRunId) {
    await ensureRunStarted(moved.cycle, options, deps);
    return { outcome: 'in-progress', cycle: moved.cycle, runId: moved.cycle.currentRunId };
  }
  return { outcome: 'rejected', cycle: moved.cycle };
}

const runInput = (cycleId: string, options: { trigger: string; by?: string }): NationalRunInput => ({
  cycleId,
  trigger: options.trigger,
  ...(options.by ? { requestedBy: options.by } : {}),
});

/** An ASSESSING cycle whose run record does not exist yet gets its execution started (idempotent by name). */
export async function ensureRunStarted(
  cycle: CycleRecord,
  options: { trigger: string; by?: string },
  deps: AssessmentDeps,
): Promise<'started' | 'already-started' | 'exists'> {
  if (cycle.status !== 'ASSESSING' || !cycle.currentRunId) return 'exists';
  const run = await deps.runs.get(cycle.cycleId, cycle.currentRunId);
  if (run) return 'exists';
  return deps.starter.start(cycle.currentRunId, runInput(cycle.cycleId, options));
}

/** Execution statuses after which the run can never complete. */
const ENDED_UNFINISHED: ReadonlySet<ExecutionState['status']> = new Set([
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
]);

export const executionEndedUnfinished = (status: ExecutionState['status']): boolean =>
  ENDED_UNFINISHED.has(status);

const CAUSE_LIMIT = 2000;

/**
 * The run `runId` of the cycle lost its execution (FAILED, TIMED_OUT or ABORTED: an event, or the
 * safety net's DescribeExecution): the run becomes FAILED with that cause (guarded RUNNING → FAILED,
 * so a replay or a late event changes nothing) and, if it is still the cycle's current run, the
 * cycle goes back to CLOSED for an admin's re-run.
 */
export async function settleEndedExecution(
  cycleId: string,
  runId: string,
  execution: ExecutionState,
  deps: Pick<AssessmentDeps, 'cycles' | 'runs'>,
  at: string,
): Promise<{ run: 'failed' | 'already-failed' | 'finished' | 'not-recorded'; cycle?: CycleRecord }> {
  const failure = {
    error: execution.error ?? `States.${execution.status}`,
    cause: (execution.cause ?? `The execution ended ${execution.status}.`).slice(0, CAUSE_LIMIT),
  };
  const marked = await deps.runs.transition(cycleId, runId, 'FAILED', {
    at,
    reason: `eksekusi berakhir ${execution.status} | execution ended ${execution.status}`,
    failure,
  });
  // PROVISIONAL or FINAL: the run completed; an execution status about it changes nothing.
  if (marked.outcome === 'rejected') return { run: 'finished' };
  const run =
    marked.outcome === 'applied'
      ? 'failed'
      : marked.outcome === 'unchanged'
        ? 'already-failed'
        : 'not-recorded';
  const cycle = await deps.cycles.get(cycleId);
  if (!cycle) return { run };
  return { run, cycle: await closeAfterFailedRun(cycle, runId, deps, at) };
}

/** ASSESSING → CLOSED, only while `runId` is still the current run; no next transition (an admin re-runs). */
async function closeAfterFailedRun(
  cycle: CycleRecord,
  runId: string,
  deps: Pick<AssessmentDeps, 'cycles'>,
  at: string,
): Promise<CycleRecord> {
  if (cycle.status !== 'ASSESSING' || cycle.currentRunId !== runId) return cycle;
  const moved = await deps.cycles.transition(cycle.cycleId, 'CLOSED', {
    from: ['ASSESSING'],
    whileCurrentRunId: runId,
    at,
    reason: `national run ${runId} failed`,
    nextTransitionAt: null,
  });
  return moved.outcome === 'not-found' ? cycle : moved.cycle;
}

/**
 * Makes an ASSESSING cycle follow its current run: a FAILED run sends the cycle back to CLOSED; a run
 * still RUNNING (or never recorded) whose execution ended unfinished (a stop, a timeout, a runtime
 * killed mid-run) is marked FAILED with the execution's cause first. A failed run is not retried
 * on its own (an alarm fired); an admin starts a re-run.
 */
export async function reconcileRun(
  cycle: CycleRecord,
  deps: AssessmentDeps,
  at: string,
): Promise<CycleRecord> {
  if (cycle.status !== 'ASSESSING' || !cycle.currentRunId) return cycle;
  const runId = cycle.currentRunId;
  const run = await deps.runs.get(cycle.cycleId, runId);
  if (run?.status === 'FAILED') return closeAfterFailedRun(cycle, runId, deps, at);
  if (run && run.status !== 'RUNNING') return cycle;
  const execution = await deps.starter.describe(runId);
  if (!execution || !executionEndedUnfinished(execution.status)) return cycle;
  const settled = await settleEndedExecution(cycle.cycleId, runId, execution, deps, at);
  return settled.cycle ?? cycle;
}
