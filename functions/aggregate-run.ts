import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { REGIONS } from '#domain/regions';
import { aggregateRun } from './lib/national/aggregate';
import { type AggregateResult, aggregateInput } from './lib/national/contracts';
import { logger, parseState, repositories, uploads } from './lib/national/runtime';

/** National run, state Aggregate: whole state → `$.aggregate` (pointers and counts only). */
export const handler = (event: unknown): Promise<AggregateResult> =>
  retryable(async () => {
    const input = parseState(aggregateInput, event, 'Aggregate');
    const result = await aggregateRun(input, {
      repos: repositories(),
      objects: uploads(),
      methodologyOf: getMethodology,
      regions: REGIONS,
    });
    logger.info('run aggregated', { cycleId: input.cycleId, runId: input.run.runId, ...result.counts });
    return result;
  }, 'Aggregate');
