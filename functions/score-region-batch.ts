import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { scoreRegionBatch } from './lib/national/batch';
import { type BatchResult, batchInput } from './lib/national/contracts';
import { logger, parseState, uploads } from './lib/national/runtime';

/** National run, state ScoreBatch (Distributed Map child): `{Items, BatchInput}` → small counts. */
export const handler = (event: unknown): Promise<BatchResult> =>
  retryable(async () => {
    const input = parseState(batchInput, event, 'ScoreBatch');
    const result = await scoreRegionBatch(input, { objects: uploads(), methodologyOf: getMethodology });
    logger.info('batch loaded', { ...input.BatchInput, ...result });
    return result;
  }, 'ScoreBatch');
