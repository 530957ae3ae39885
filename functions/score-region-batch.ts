import { getMethodology } from '#domain/methodology/registry';
import { scoreRegionBatch } from './lib/national/batch';
import { type BatchResult, batchInput } from './lib/national/contracts';
import { logger, parseState, repositories, uploads } from './lib/national/runtime';

/** National run, state ScoreBatch (Distributed Map child): `{Items, BatchInput}` → small counts. */
export const handler = async (event: unknown): Promise<BatchResult> => {
  const input = parseState(batchInput, event, 'ScoreBatch');
  const result = await scoreRegionBatch(input, {
    objects: uploads(),
    methodologyOf: getMethodology,
    channelAnswers: (cycleId, kode) => repositories().survey.listAnswers(cycleId, kode),
  });
  logger.info('batch loaded', { ...input.BatchInput, ...result });
  return result;
};
