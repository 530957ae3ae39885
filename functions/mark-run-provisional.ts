import { now } from '#adapters/clock';
import { lambdaHandler, logger, type OperatorMetrics, operatorMetrics } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { type PublishResult, publishInput } from './lib/national/contracts';
import { markRunProvisional, type PublishDeps } from './lib/national/provisional';
import { parseState } from './lib/task-input';
import { ledgerExportFromEnv, ledgerFromEnv, ports, repositoriesFromEnv } from './lib/wiring';

/** National run, state Publish: whole state → `$.publish`; the run becomes PROVISIONAL. */
type MarkProvisionalDeps = PublishDeps & { metrics: Pick<OperatorMetrics, 'nationalRunDuration'> };

export function createMarkRunProvisional(given: Partial<MarkProvisionalDeps> = {}) {
  const deps = ports<MarkProvisionalDeps>(given, {
    repos: repositoriesFromEnv,
    now: () => now,
    metrics: () => operatorMetrics,
    ledger: ledgerFromEnv,
    exportLedger: ledgerExportFromEnv,
  });
  return (event: unknown): Promise<PublishResult> =>
    retryable(async () => {
      const input = parseState(publishInput, event, 'MarkProvisional');
      const result = await markRunProvisional(input, deps());
      logger().info('run provisional', { cycleId: input.cycleId, runId: input.run.runId, ...result });
      // From the run's start (recorded when the execution began) to its provisional results.
      const ms = deps().now().getTime() - Date.parse(input.run.startedAt);
      if (Number.isFinite(ms)) deps().metrics.nationalRunDuration(input.cycleId, ms);
      return result;
    }, 'MarkProvisional');
}

export const handler = lambdaHandler(createMarkRunProvisional());
