import { lambdaHandler, logger, type OperatorMetrics, operatorMetrics } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { REGIONS } from '#domain/regions';
import { type AggregateDeps, aggregateRun } from './lib/national/aggregate';
import { type AggregateResult, aggregateInput } from './lib/national/contracts';
import { parseState } from './lib/task-input';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

/** National run, state Aggregate: whole state → `$.aggregate` (pointers and counts only). */
type AggregateRunDeps = AggregateDeps & { metrics: Pick<OperatorMetrics, 'regionsFailed'> };

export function createAggregateRun(given: Partial<AggregateRunDeps> = {}) {
  const deps = ports<AggregateRunDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    methodologyOf: () => getMethodology,
    regions: () => REGIONS,
    metrics: () => operatorMetrics,
  });
  return (event: unknown): Promise<AggregateResult> =>
    retryable(async () => {
      const input = parseState(aggregateInput, event, 'Aggregate');
      const result = await aggregateRun(input, deps());
      logger().info('run aggregated', { cycleId: input.cycleId, runId: input.run.runId, ...result.counts });
      deps().metrics.regionsFailed(input.cycleId, result.counts.failed);
      return result;
    }, 'Aggregate');
}

export const handler = lambdaHandler(createAggregateRun());
