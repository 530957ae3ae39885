import { requiredEnv, schedulerClient, sfnClient } from '#adapters/aws-clients';
import { EventBridgeSchedules } from '#adapters/cycle-schedules';
import { StepFunctionsStarter } from '#adapters/executions';
import { CYCLE_TIME_ZONE } from '#domain/cycle';

/** The national state machine, started under the run id (env NATIONAL_STATE_MACHINE_ARN). */
export const nationalStarterFromEnv = (): StepFunctionsStarter =>
  new StepFunctionsStarter(sfnClient(), requiredEnv('NATIONAL_STATE_MACHINE_ARN'));

/** The cycle schedule group and its target (env per infra/README.md, api-cycles). */
export const cycleSchedulesFromEnv = (): EventBridgeSchedules =>
  new EventBridgeSchedules(schedulerClient(), {
    group: requiredEnv('SCHEDULE_GROUP'),
    targetArn: requiredEnv('CYCLE_TRANSITION_FUNCTION_ARN'),
    roleArn: requiredEnv('SCHEDULER_ROLE_ARN'),
    deadLetterArn: requiredEnv('SCHEDULER_DLQ_ARN'),
    timeZone: CYCLE_TIME_ZONE,
  });
