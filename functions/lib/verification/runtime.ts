import { requiredEnv, sfnClient } from '#adapters/aws-clients';
import { StepFunctionsStarter } from '#adapters/executions';
import { once } from '../wiring';
import type { PhaseRunInput, PhaseRunner } from './deps';
import { phaseExecutionName } from './phase-run';

/**
 * The verification state machine (env VERIFICATION_STATE_MACHINE_ARN), one execution per cycle and
 * phase. Built on first use: only the phase route needs it.
 */
export const phaseRunnerFromEnv = (): PhaseRunner => {
  const starter = once(
    () => new StepFunctionsStarter<PhaseRunInput>(sfnClient(), requiredEnv('VERIFICATION_STATE_MACHINE_ARN')),
  );
  return {
    async start(input) {
      const execution = phaseExecutionName(input.cycleId, input.phase);
      return { execution, outcome: await starter().start(execution, input) };
    },
  };
};
