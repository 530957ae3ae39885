import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { type BatchDeps, scoreRegionBatch } from './lib/national/batch';
import { type BatchResult, batchInput } from './lib/national/contracts';
import { logger, parseState } from './lib/national/runtime';
import { ports, uploadStoreFromEnv } from './lib/wiring';

/** National run, state ScoreBatch (Distributed Map child): `{Items, BatchInput}` → small counts. */
export function createScoreRegionBatch(given: Partial<BatchDeps> = {}) {
  const deps = ports<BatchDeps>(given, { objects: uploadStoreFromEnv, methodologyOf: () => getMethodology });
  return (event: unknown): Promise<BatchResult> =>
    retryable(async () => {
      const input = parseState(batchInput, event, 'ScoreBatch');
      const result = await scoreRegionBatch(input, deps());
      logger.info('batch loaded', { ...input.BatchInput, ...result });
      return result;
    }, 'ScoreBatch');
}

export const handler = createScoreRegionBatch();
