import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { CycleRecord, CycleRepository, RunRepository } from '#adapters/dynamo/index';

/** What the national state machine's execution input carries (`$.cycleId` is read by every state). */
export interface NationalRunInput {
  cycleId: string;
  trigger: string;
  requestedBy?: string;
}

export interface NationalRunStarter {
  /** Starts the execution named `runId`; a second start of the same name is not an error. */
  start(runId: string, input: NationalRunInput): Promise<'started' | 'already-started'>;
}

export class StepFunctionsStarter implements NationalRunStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(runId: string, input: NationalRunInput): Promise<'started' | 'already-started'> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: runId,
          input: JSON.stringify(input),
        }),
      );
      return 'started';
    } catch (error) {
      // Same name, other input (another trigger won), or a closed execution: it exists.
      if (error instanceof ExecutionAlreadyExists) return 'already-started';
      throw error;
    }
  }
}

export interface AssessmentDeps {
  cycles: Pick<CycleRepository, 'get' | 'transition'>;
  runs: Pick<RunRepository, 'get'>;
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

/**
 * An ASSESSING cycle whose current run FAILED goes back to CLOSED, without a next transition: a
 * failed run is not retried on its own (an alarm fired); an admin starts a re-run.
 */
export async function settleFailedRun(
  cycle: CycleRecord,
  deps: AssessmentDeps,
  at: string,
): Promise<CycleRecord> {
  if (cycle.status !== 'ASSESSING' || !cycle.currentRunId) return cycle;
  const run = await deps.runs.get(cycle.cycleId, cycle.currentRunId);
  if (run?.status !== 'FAILED') return cycle;
  const moved = await deps.cycles.transition(cycle.cycleId, 'CLOSED', {
    from: ['ASSESSING'],
    at,
    reason: `national run ${run.runId} failed`,
    nextTransitionAt: null,
  });
  return moved.outcome === 'not-found' ? cycle : moved.cycle;
}
