import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../functions';
import { acknowledgeWildcardResources } from '../nag';
import { HouseFunction } from './house-function';
import type { Monitoring } from './monitoring';
import { PREFIX, type Storage } from './storage';

/** Every cycle date is decided and scheduled in Western Indonesian Time (deadlines 23:59 WIB). */
export const CYCLE_TIME_ZONE = TimeZone.ASIA_JAKARTA;

/** What the API's cycles function may do with the one-time schedules of the cycle group. */
export const CYCLE_SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:GetSchedule',
  'scheduler:DeleteSchedule',
] as const;

export interface CycleSchedulesProps {
  storage: Storage;
  monitoring: Monitoring;
  nationalStateMachine: IStateMachine;
  /** Verification phase results, started when the stage calendar makes PROVISIONAL or FINAL due. */
  verificationStateMachine: IStateMachine;
  /** Target of the 15-minute submission sweeper. */
  submissionSweeper: HouseFunction;
  functionLogRetention: logs.RetentionDays;
}

/**
 * Cycle calendars on EventBridge Scheduler. The API creates one-time schedules (`at(...)`,
 * timezone Asia/Jakarta) in the cycle group at runtime, so extending a deadline is a data change;
 * each fires cycle-transition, which is idempotent. A recurring safety schedule (every 15 minutes)
 * catches up anything missed by querying the cycles that are due.
 */
export class CycleSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly cycleTransition: HouseFunction;
  readonly safetyNet: scheduler.Schedule;
  readonly runEnded: events.Rule;
  readonly submissionSweeper: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: CycleSchedulesProps) {
    super(scope, id);
    const deadLetters = props.monitoring.deadLetters;

    this.cycleTransition = new HouseFunction(this, 'CycleTransition', {
      ...FUNCTIONS.cycleTransition,
      logRetention: props.functionLogRetention,
      asyncFailureQueue: deadLetters,
    })
      .useTable('TABLE_NAME', props.storage.table, 'readWrite')
      .useStateMachine('NATIONAL_STATE_MACHINE_ARN', props.nationalStateMachine, { describe: true })
      // The stage calendar's due moves: leaving VERIFICATION reads every region's canonical submission.
      .useStateMachine('VERIFICATION_STATE_MACHINE_ARN', props.verificationStateMachine)
      .useBucket('UPLOAD_BUCKET', props.storage.uploads, 'read', `${PREFIX.reports}*`);

    this.group = new scheduler.ScheduleGroup(this, 'Group', { removalPolicy: RemovalPolicy.DESTROY });

    // The role EventBridge Scheduler assumes for every cycle schedule (passed by the API at runtime).
    this.role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler to cycle-transition',
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.cycleTransition.fn.functionArn, props.submissionSweeper.fn.functionArn],
      }),
    );
    deadLetters.grantSendMessages(this.role);

    // Kept out of the cycle group, so that the API (which may delete cycle schedules) cannot touch it.
    // Every 15 minutes from `minute`, through the scheduler role, to the dead-letter queue when
    // retries fail; an invocation older than the next one is dropped (the next does the same work).
    const every15Minutes = (
      id: string,
      description: string,
      minute: string,
      fn: HouseFunction,
      source: string,
    ) =>
      new scheduler.Schedule(this, id, {
        description,
        schedule: scheduler.ScheduleExpression.cron({ minute, timeZone: CYCLE_TIME_ZONE }),
        target: new schedulerTargets.LambdaInvoke(fn.fn, {
          role: this.role,
          input: scheduler.ScheduleTargetInput.fromObject({ source }),
          deadLetterQueue: deadLetters,
          retryAttempts: 3,
          maxEventAge: Duration.minutes(15),
        }),
      });
    this.safetyNet = every15Minutes(
      'SafetyNet',
      'Every 15 minutes (WIB): run any cycle transition that is due but was missed',
      '0/15',
      this.cycleTransition,
      'safety-net',
    );

    // Nothing stuck: submissions a crash left in flight, and objects whose event was lost.
    this.submissionSweeper = every15Minutes(
      'SubmissionSweeper',
      'Every 15 minutes: drive submissions stuck in flight to a terminal status',
      '7/15',
      props.submissionSweeper,
      'sweeper',
    );

    // The run record follows its execution: a national execution that ends unfinished (stopped,
    // timed out, failed outside the machine's own catch) marks the run FAILED and reopens the cycle
    // for a re-run. The safety net above reconciles the same with DescribeExecution if this is lost.
    this.runEnded = new events.Rule(this, 'NationalExecutionEnded', {
      description:
        'National run execution FAILED / TIMED_OUT / ABORTED -> cycle-transition marks the run FAILED',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [props.nationalStateMachine.stateMachineArn],
        },
      },
    });
    this.runEnded.addTarget(
      new targets.LambdaFunction(this.cycleTransition.fn, {
        deadLetterQueue: deadLetters,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
      }),
    );

    acknowledgeWildcardResources(
      this.role,
      [`${this.cycleTransition.fn.functionArn}:*`, `${props.submissionSweeper.fn.functionArn}:*`],
      'Invoke on the versions/aliases of cycle-transition and the sweeper only (added by the Scheduler Lambda target).',
    );
  }
}
