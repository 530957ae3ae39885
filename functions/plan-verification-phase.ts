import { now } from '#adapters/clock';
import { lambdaHandler, logger } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { getMethodology } from '#domain/methodology/registry';
import { parseState } from './lib/task-input';
import type { StageDeps } from './lib/verification/deps';
import { phaseRunInput } from './lib/verification/phase-contract';
import { planPhaseRun } from './lib/verification/phase-run';
import { ports, repositoriesFromEnv } from './lib/wiring';

type PhaseStepDeps = Pick<StageDeps, 'repos' | 'methodologyOf' | 'now'>;

/** Verification state machine, state Plan: the covered regions in batches → `$.plan`. */
export function createPlanVerificationPhase(given: Partial<PhaseStepDeps> = {}) {
  const deps = ports<PhaseStepDeps>(given, {
    repos: repositoriesFromEnv,
    methodologyOf: () => getMethodology,
    now: () => now,
  });
  return (event: unknown) =>
    retryable(async () => {
      const input = parseState(phaseRunInput, event, 'Plan');
      const plan = await planPhaseRun(deps(), input);
      logger().info('verification phase planned', {
        cycleId: input.cycleId,
        phase: input.phase,
        regions: plan.regions,
        batches: plan.batches.length,
      });
      return plan;
    }, 'Plan');
}

export const handler = lambdaHandler(createPlanVerificationPhase());
