import { now } from '#adapters/clock';
import { lambdaHandler, logger } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { parseState } from './lib/task-input';
import type { StageDeps } from './lib/verification/deps';
import { phaseBatchInput } from './lib/verification/phase-contract';
import { scorePhaseBatch } from './lib/verification/phase-run';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

type BatchDeps = Omit<StageDeps, 'ledger'>;

/** Verification state machine, state ScoreBatch (Map iteration): one batch's rows → a count. */
export function createScoreVerificationBatch(given: Partial<BatchDeps> = {}) {
  const deps = ports<BatchDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    methodologyOf: () => getMethodology,
    now: () => now,
  });
  return (event: unknown) =>
    retryable(async () => {
      const input = parseState(phaseBatchInput, event, 'ScoreBatch');
      const result = await scorePhaseBatch(deps(), input);
      logger().info('verification batch scored', { cycleId: input.cycleId, phase: input.phase, ...result });
      return result;
    }, 'ScoreBatch');
}

export const handler = lambdaHandler(createScoreVerificationBatch());
