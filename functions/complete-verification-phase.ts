import { now } from '#adapters/clock';
import { lambdaHandler, logger } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { parseState } from './lib/task-input';
import type { StageDeps } from './lib/verification/deps';
import { phaseRunInput } from './lib/verification/phase-contract';
import { completePhase, rankPhase } from './lib/verification/phase-run';
import { ledgerFromEnv, ports, repositoriesFromEnv } from './lib/wiring';

type PhaseStepDeps = Pick<StageDeps, 'repos' | 'methodologyOf' | 'now' | 'ledger'>;

/** Verification state machine, state Complete: every region ranked once, then the guarded phase move. */
export function createCompleteVerificationPhase(given: Partial<PhaseStepDeps> = {}) {
  const deps = ports<PhaseStepDeps>(given, {
    repos: repositoriesFromEnv,
    methodologyOf: () => getMethodology,
    now: () => now,
    ledger: ledgerFromEnv,
  });
  return (event: unknown) =>
    retryable(async () => {
      const input = parseState(phaseRunInput, event, 'Complete');
      const ranked = await rankPhase(deps(), input);
      const done = await completePhase(deps(), input);
      logger().info('verification phase complete', { cycleId: input.cycleId, ...ranked, ...done });
      return { ...ranked, ...done };
    }, 'Complete');
}

export const handler = lambdaHandler(createCompleteVerificationPhase());
