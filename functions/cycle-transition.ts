import * as z from 'zod';
import { now } from '#adapters/clock';
import { logger, nationalStarterFromEnv } from './lib/cycles/runtime';
import { advanceCycle, type CycleAdvance, catchUp, type TransitionDeps } from './lib/cycles/transition';
import { parseState } from './lib/national/runtime';
import { ports, repositoriesFromEnv } from './lib/wiring';

/** `{cycleId, transition, source: 'schedule'}` from a one-time schedule, `{source: 'safety-net'}` every 15 minutes. */
const event = z.object({
  cycleId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/)
    .max(200)
    .optional(),
  transition: z.string().max(20).optional(),
  source: z.string().max(50).optional(),
});

/**
 * Scheduler target (asynchronous): applies the cycle transitions that are due, idempotently. With
 * a cycle id, that cycle; without one, every cycle the due index lists (catch-up). A failure is
 * thrown after the other cycles were handled, so the invocation is retried (then dead-lettered).
 */
export function createCycleTransition(given: Partial<TransitionDeps> = {}) {
  const deps = ports<TransitionDeps>(given, {
    cycles: () => repositoriesFromEnv().cycles,
    runs: () => repositoriesFromEnv().runs,
    starter: nationalStarterFromEnv,
    now: () => now,
  });
  return async (input: unknown): Promise<{ results: CycleAdvance[] }> => {
    const { cycleId, source } = parseState(event, input ?? {}, 'cycle-transition');
    if (cycleId) {
      const result = await advanceCycle(cycleId, deps());
      logger.info('cycle transition', { source, ...result });
      return { results: [result] };
    }
    const { results, errors } = await catchUp(deps());
    for (const r of results)
      if (r.outcome !== 'nothing-due') logger.info('cycle transition', { source, ...r });
    if (errors.length > 0) {
      for (const e of errors)
        logger.error('cycle transition failed', { cycleId: e.cycleId, error: e.error as Error });
      throw new Error(`cycle transitions failed for ${errors.map((e) => e.cycleId).join(', ')}`);
    }
    return { results };
  };
}

export const handler = createCycleTransition();
