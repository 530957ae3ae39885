import { lambdaHandler, logger } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { type FreezeResult, freezeInput } from './lib/national/contracts';
import { type FreezeDeps, freezeManifest } from './lib/national/freeze';
import { parseState } from './lib/task-input';
import { ledgerFromEnv, ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

/** National run, state FreezeManifest: whole state → `$.manifest` (docs/architecture.md §3). */
export function createFreezeManifest(given: Partial<FreezeDeps> = {}) {
  const deps = ports<FreezeDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    methodologyOf: () => getMethodology,
    ledger: ledgerFromEnv,
  });
  return (event: unknown): Promise<FreezeResult> =>
    retryable(async () => {
      const input = parseState(freezeInput, event, 'FreezeManifest');
      const result = await freezeManifest(input, deps());
      logger().info('manifest frozen', { cycleId: input.cycleId, ...result });
      return result;
    }, 'FreezeManifest');
}

export const handler = lambdaHandler(createFreezeManifest());
