import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';

/**
 * EventBridge Scheduler, the adapter: one-time schedules in the cycle group, each targeting
 * cycle-transition through the scheduler role. What to schedule (names, due times, expressions)
 * is decided in functions/lib/cycles/schedules.ts.
 */
export interface PlannedSchedule {
  name: string;
  to: 'OPEN' | 'CLOSED' | 'ASSESSING';
  /** When the transition is due (UTC). */
  dueAt: string;
  /** The schedule expression: the due time, or the next minute when it is already past. */
  expression: string;
  input: { cycleId: string; transition: string; source: 'schedule' };
}

export interface SchedulePort {
  upsert(schedule: PlannedSchedule): Promise<void>;
  remove(name: string): Promise<void>;
}

export interface SchedulerConfig {
  group: string;
  targetArn: string;
  roleArn: string;
  deadLetterArn: string;
  timeZone: string;
}

/** The schedules in the cycle group, targeting cycle-transition through the scheduler role. */
export class EventBridgeSchedules implements SchedulePort {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: SchedulerConfig,
  ) {}

  async upsert(schedule: PlannedSchedule): Promise<void> {
    const input: CreateScheduleCommandInput = {
      Name: schedule.name,
      GroupName: this.config.group,
      Description: `Indeks: ${schedule.input.cycleId} → ${schedule.to} (due ${schedule.dueAt})`,
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: this.config.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: this.config.targetArn,
        RoleArn: this.config.roleArn,
        Input: JSON.stringify(schedule.input),
        DeadLetterConfig: { Arn: this.config.deadLetterArn },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.config.group }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
