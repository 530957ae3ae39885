import { lambdaHandler, logger } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { type BatchResult, batchInput } from './lib/national/contracts';
import { type BatchDeps, revalidateRegionBatch } from './lib/national/revalidate';
import { parseState } from './lib/task-input';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

/** National run, state RevalidateBatch (Distributed Map child): `{Items, BatchInput}` → small counts. */
export function createRevalidateRegionBatch(given: Partial<BatchDeps> = {}) {
  const deps = ports<BatchDeps>(given, {
    objects: uploadStoreFromEnv,
    methodologyOf: () => getMethodology,
    channelAnswers: () => (cycleId, kode) => repositoriesFromEnv().survey.listAnswers(cycleId, kode),
  });
  return (event: unknown): Promise<BatchResult> =>
    retryable(async () => {
      const input = parseState(batchInput, event, 'RevalidateBatch');
      const result = await revalidateRegionBatch(input, deps());
      logger().info('batch loaded', { ...input.BatchInput, ...result });
      return result;
    }, 'RevalidateBatch');
}

export const handler = lambdaHandler(createRevalidateRegionBatch());
