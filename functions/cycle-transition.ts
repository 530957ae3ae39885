import * as z from 'zod';
import { now } from '#adapters/clock';
import { lambdaHandler, logger } from '#adapters/observability';
import { getMethodology } from '#domain/methodology/registry';
import { settleEndedExecution } from './lib/cycles/assessment';
import { nationalStarterFromEnv } from './lib/cycles/runtime';
import { advanceCycle, type CycleAdvance, catchUp, type TransitionDeps } from './lib/cycles/transition';
import { parseState } from './lib/task-input';
import { phaseRunnerFromEnv } from './lib/verification/runtime';
import { advanceStages, type PhaseMoveDeps } from './lib/verification/stage';
import { ledgerFromEnv, once, ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

const cycleIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/)
  .max(200);

/** `{cycleId, transition, source: 'schedule'}` from a one-time schedule, `{source: 'safety-net'}` every 15 minutes. */
const scheduled = z.object({
  cycleId: cycleIdSchema.optional(),
  transition: z.string().max(20).optional(),
  source: z.string().max(50).optional(),
});

/** EventBridge: a national execution ended unfinished (the rule matches FAILED, TIMED_OUT, ABORTED). */
const executionStatusChange = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    name: cycleIdSchema,
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    input: z.string().max(262_144).nullish(),
    error: z.string().max(256).nullish(),
    cause: z.string().max(32_768).nullish(),
  }),
});
type ExecutionStatusChange = z.infer<typeof executionStatusChange>;

const fromStepFunctions = z.object({ source: z.literal('aws.states') });

const runInput = z.object({ cycleId: cycleIdSchema });

/** The cycle of a run: from the execution input, else from the run id `{cycleId}-r{n}`. */
function cycleOfRun(detail: ExecutionStatusChange['detail']): string | undefined {
  try {
    const parsed = runInput.safeParse(JSON.parse(detail.input ?? 'null'));
    if (parsed.success) return parsed.data.cycleId;
  } catch {
    // Step Functions leaves `input` null when it is too large; fall back to the name.
  }
  return /^(.+)-r\d+$/.exec(detail.name)?.[1];
}

async function onExecutionEnded(detail: ExecutionStatusChange['detail'], deps: TransitionDeps) {
  const cycleId = cycleOfRun(detail);
  if (!cycleId) {
    logger().warn('execution status change for an unknown run ignored', { name: detail.name });
    return { results: [] };
  }
  const settled = await settleEndedExecution(
    cycleId,
    detail.name,
    {
      status: detail.status,
      ...(detail.error ? { error: detail.error } : {}),
      ...(detail.cause ? { cause: detail.cause } : {}),
    },
    deps,
    deps.now().toISOString(),
  );
  logger().info('national execution ended unfinished', {
    cycleId,
    runId: detail.name,
    status: detail.status,
    run: settled.run,
    cycleStatus: settled.cycle?.status,
  });
  const result: CycleAdvance = {
    cycleId,
    outcome: settled.cycle?.status === 'CLOSED' ? 'advanced' : 'nothing-due',
    applied: [],
    ...(settled.cycle ? { status: settled.cycle.status } : {}),
    runId: detail.name,
  };
  return { results: [result] };
}

/**
 * Scheduler target (asynchronous): applies the cycle transitions that are due, idempotently. With
 * a cycle id, that cycle; without one, every cycle the due index lists and every ASSESSING one
 * (catch-up, and runs reconciled with their executions). A failure is thrown after the other
 * cycles were handled, so the invocation is retried (then dead-lettered). Also the target of the
 * national machine's status-change rule: a run whose execution ended unfinished is marked FAILED.
 */
export function createCycleTransition(
  given: Partial<TransitionDeps> & { stages?: () => PhaseMoveDeps } = {},
) {
  const deps = ports<TransitionDeps>(given, {
    cycles: () => repositoriesFromEnv().cycles,
    runs: () => repositoriesFromEnv().runs,
    starter: nationalStarterFromEnv,
    now: () => now,
  });
  // The verification stage's calendar: due phase moves (PROVISIONAL and FINAL start their state machine).
  const stages = once(
    given.stages ??
      ((): PhaseMoveDeps => ({
        repos: repositoriesFromEnv(),
        objects: uploadStoreFromEnv(),
        methodologyOf: getMethodology,
        now,
        ledger: ledgerFromEnv(),
        phases: phaseRunnerFromEnv(),
      })),
  );
  return async (input: unknown): Promise<{ results: CycleAdvance[] }> => {
    const statusChange = executionStatusChange.safeParse(input);
    if (statusChange.success) return onExecutionEnded(statusChange.data.detail, deps());
    if (fromStepFunctions.safeParse(input).success) {
      logger().warn('execution status change not handled', { input });
      return { results: [] };
    }
    const { cycleId, source } = parseState(scheduled, input ?? {}, 'cycle-transition');
    if (cycleId) {
      const result = await advanceCycle(cycleId, deps());
      logger().info('cycle transition', { source, ...result });
      return { results: [result] };
    }
    const { results, errors } = await catchUp(deps());
    for (const r of results)
      if (r.outcome !== 'nothing-due') logger().info('cycle transition', { source, ...r });
    for (const stage of await advanceStages(stages()))
      logger().info('verification stage', { source, ...stage });
    if (errors.length > 0) {
      for (const e of errors)
        logger().error('cycle transition failed', { cycleId: e.cycleId, error: e.error as Error });
      throw new Error(`cycle transitions failed for ${errors.map((e) => e.cycleId).join(', ')}`);
    }
    return { results };
  };
}

export const handler = lambdaHandler(createCycleTransition());
