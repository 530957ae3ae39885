import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { HouseFunction } from './house-function';

export interface MonitoringProps {
  /** Optional address subscribed to the alarm topic. */
  alarmEmail?: string;
}

/**
 * The alarm topic (KMS-encrypted, TLS only), the dead-letter queue every asynchronous hop ends in
 * (EventBridge rule, Scheduler, Lambda on-failure), and the alarms on them.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly deadLetters: sqs.Queue;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Indeks alarm topic encryption',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to an encrypted topic only if they may use its key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: 'Indeks alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.action = new SnsAction(this.topic);

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetters,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue (EventBridge rule, Scheduler and Lambda on-failure targets).',
    );
    acknowledge(
      this.deadLetters,
      'Serverless-SQSRedrivePolicy',
      'This queue is itself the dead-letter queue; nothing consumes it automatically, an operator redrives it.',
    );

    if (props.alarmEmail) {
      this.topic.addSubscription(
        new EmailSubscription(props.alarmEmail, { deadLetterQueue: this.deadLetters }),
      );
    }

    this.alarm(
      'DeadLettersNotEmpty',
      this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      'Events or invocations failed after all retries and wait in the dead-letter queue.',
    );
  }

  /** Failed and timed-out executions of a state machine. */
  watchStateMachine(id: string, stateMachine: IStateMachine, what: string): void {
    const period = Duration.minutes(5);
    this.alarm(
      `${id}ExecutionsFailed`,
      stateMachine.metricFailed({ period, statistic: 'Sum' }),
      `${what}: execution failed.`,
    );
    this.alarm(
      `${id}ExecutionsTimedOut`,
      stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
      `${what}: execution timed out.`,
    );
  }

  /** Answers the HTTP API gave with a 5xx status (an unhandled error, a timeout, an integration failure). */
  watchApi(api: IHttpApi): void {
    this.alarm(
      'Api5xx',
      api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      'HTTP API: answers with a 5xx status (see the function logs for "unhandled error").',
    );
  }

  /**
   * Errors of every function built under `scope` (each HouseFunction), one alarm each: the alarm
   * names the function that failed, and metric math over all of them would exceed the ten metrics
   * an alarm may reference. Called once the stack has all its functions.
   */
  watchFunctions(scope: Construct): void {
    const functions = scope.node.findAll().filter((c): c is HouseFunction => c instanceof HouseFunction);
    for (const f of functions) {
      const name = f.node.path.split('/').slice(1).join('');
      this.alarm(
        `${name}Errors`,
        f.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        `Function ${f.node.path}: invocations failed (see its log group).`,
      );
    }
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
