import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { type FreezeResult, freezeInput } from './lib/national/contracts';
import { freezeManifest } from './lib/national/freeze';
import { logger, parseState, repositories, uploads } from './lib/national/runtime';

/** National run, state FreezeManifest: whole state → `$.manifest` (docs/architecture.md §3). */
export const handler = (event: unknown): Promise<FreezeResult> =>
  retryable(async () => {
    const input = parseState(freezeInput, event, 'FreezeManifest');
    const result = await freezeManifest(input, {
      repos: repositories(),
      objects: uploads(),
      methodologyOf: getMethodology,
    });
    logger.info('manifest frozen', { cycleId: input.cycleId, ...result });
    return result;
  }, 'FreezeManifest');
