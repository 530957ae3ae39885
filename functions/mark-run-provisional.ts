import { now } from '#adapters/clock';
import { retryable } from '#adapters/transient';
import { type PublishResult, publishInput } from './lib/national/contracts';
import { markRunProvisional, type PublishDeps } from './lib/national/provisional';
import { logger, parseState } from './lib/national/runtime';
import { ledgerExportFromEnv, ledgerFromEnv, ports, repositoriesFromEnv } from './lib/wiring';

/** National run, state Publish: whole state → `$.publish`; the run becomes PROVISIONAL. */
export function createMarkRunProvisional(given: Partial<PublishDeps> = {}) {
  const deps = ports<PublishDeps>(given, {
    repos: repositoriesFromEnv,
    now: () => now,
    ledger: ledgerFromEnv,
    exportLedger: ledgerExportFromEnv,
  });
  return (event: unknown): Promise<PublishResult> =>
    retryable(async () => {
      const input = parseState(publishInput, event, 'MarkProvisional');
      const result = await markRunProvisional(input, deps());
      logger.info('run provisional', { cycleId: input.cycleId, runId: input.run.runId, ...result });
      return result;
    }, 'MarkProvisional');
}

export const handler = createMarkRunProvisional();
