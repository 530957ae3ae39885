import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { REGIONS } from '#domain/regions';
import { type AggregateDeps, aggregateRun } from './lib/national/aggregate';
import { type AggregateResult, aggregateInput } from './lib/national/contracts';
import { logger, parseState } from './lib/national/runtime';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

/** National run, state Aggregate: whole state → `$.aggregate` (pointers and counts only). */
export function createAggregateRun(given: Partial<AggregateDeps> = {}) {
  const deps = ports<AggregateDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    methodologyOf: () => getMethodology,
    regions: () => REGIONS,
  });
  return (event: unknown): Promise<AggregateResult> =>
    retryable(async () => {
      const input = parseState(aggregateInput, event, 'Aggregate');
      const result = await aggregateRun(input, deps());
      logger.info('run aggregated', { cycleId: input.cycleId, runId: input.run.runId, ...result.counts });
      return result;
    }, 'Aggregate');
}

export const handler = createAggregateRun();
