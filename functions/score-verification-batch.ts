import { now } from '#adapters/clock';
import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { logger, parseState } from './lib/national/runtime';
import type { StageDeps } from './lib/verification/deps';
import { phaseBatchInput } from './lib/verification/phase-contract';
import { scorePhaseBatch } from './lib/verification/phase-run';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

/** Verification state machine, state ScoreBatch (Map iteration): one batch's rows → a count. */
export function createScoreVerificationBatch(given: Partial<StageDeps> = {}) {
  const deps = ports<StageDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    methodologyOf: () => getMethodology,
    now: () => now,
  });
  return (event: unknown) =>
    retryable(async () => {
      const input = parseState(phaseBatchInput, event, 'ScoreBatch');
      const result = await scorePhaseBatch(deps(), input);
      logger.info('verification batch scored', { cycleId: input.cycleId, phase: input.phase, ...result });
      return result;
    }, 'ScoreBatch');
}

export const handler = createScoreVerificationBatch();
