import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../functions';
import { acknowledge, acknowledgeWildcardResources } from '../nag';
import { HouseFunction } from './house-function';
import type { Monitoring } from './monitoring';
import { invokeTask } from './retry';
import { PREFIX, type Storage } from './storage';

export interface SubmissionPipelineProps {
  storage: Storage;
  monitoring: Monitoring;
  functionLogRetention: logs.RetentionDays;
  auditLogRetention: logs.RetentionDays;
}

/** State names are a contract: the local runtime overrides each Task by its name. */
export const SUBMISSION_STATES = {
  validate: 'Validate',
  isValid: 'IsValid',
  score: 'Score',
  scored: 'Scored',
  rejected: 'Rejected',
  badResult: 'BadValidationResult',
  recordFailure: 'RecordFailure',
  failed: 'Failed',
} as const;

/**
 * S3 Object Created (submissions/) → EventBridge rule → ingest-upload (records the submission once,
 * starts an execution named after the object) → Validate → IsValid → Score, with transient
 * retries and a catch-all that records FAILED on the submission, so none stays VALIDATING.
 */
export class SubmissionPipeline extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly rule: events.Rule;
  readonly ingestUpload: HouseFunction;
  readonly validateSubmission: HouseFunction;
  readonly scoreSubmission: HouseFunction;
  readonly recordSubmissionFailure: HouseFunction;
  readonly sweepSubmissions: HouseFunction;

  constructor(scope: Construct, id: string, props: SubmissionPipelineProps) {
    super(scope, id);
    const { uploads, table } = props.storage;
    const logRetention = props.functionLogRetention;

    this.validateSubmission = new HouseFunction(this, 'ValidateSubmission', {
      ...FUNCTIONS.validateSubmission,
      logRetention,
    })
      .useTable('TABLE_NAME', table, 'readWrite')
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.submissions}*`)
      .useBucket('UPLOAD_BUCKET', uploads, 'write', `${PREFIX.reports}*`);

    this.scoreSubmission = new HouseFunction(this, 'ScoreSubmission', {
      ...FUNCTIONS.scoreSubmission,
      logRetention,
    })
      .useTable('TABLE_NAME', table, 'readWrite')
      // Scoring reads the upload it scores (and the normalized copy validation wrote under reports/).
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.submissions}*`)
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.reports}*`)
      .useBucket('UPLOAD_BUCKET', uploads, 'write', `${PREFIX.scorecards}*`);

    this.recordSubmissionFailure = new HouseFunction(this, 'RecordSubmissionFailure', {
      ...FUNCTIONS.recordSubmissionFailure,
      logRetention,
    }).useTable('TABLE_NAME', table, 'readWrite');

    this.stateMachine = this.buildStateMachine(props.auditLogRetention);

    this.ingestUpload = new HouseFunction(this, 'IngestUpload', {
      ...FUNCTIONS.ingestUpload,
      logRetention,
      asyncFailureQueue: props.monitoring.deadLetters,
    })
      .useTable('TABLE_NAME', table, 'readWrite')
      .useStateMachine('SUBMISSION_STATE_MACHINE_ARN', this.stateMachine, { describe: true })
      .useValue('UPLOAD_BUCKET', uploads.bucketName);

    // Drives what a crash left in flight (schedule in CycleSchedules, admin route in Api).
    this.sweepSubmissions = new HouseFunction(this, 'SweepSubmissions', {
      ...FUNCTIONS.sweepSubmissions,
      logRetention,
      asyncFailureQueue: props.monitoring.deadLetters,
    })
      .useTable('TABLE_NAME', table, 'readWrite')
      .useStateMachine('SUBMISSION_STATE_MACHINE_ARN', this.stateMachine, { describe: true })
      // Objects without a submission: listed and read (HeadObject) under submissions/ only.
      .useBucketListing('UPLOAD_BUCKET', uploads, PREFIX.submissions)
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.submissions}*`);

    this.rule = new events.Rule(this, 'ObjectCreated', {
      description: 'Upload bucket: Object Created under submissions/ -> ingest-upload',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [uploads.bucketName] },
          object: { key: events.Match.prefix(PREFIX.submissions) },
        },
      },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(this.ingestUpload.fn, {
        deadLetterQueue: props.monitoring.deadLetters,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
      }),
    );

    props.monitoring.watchStateMachine('SubmissionPipeline', this.stateMachine, 'Submission pipeline');
  }

  private buildStateMachine(logRetention: logs.RetentionDays): sfn.StateMachine {
    const S = SUBMISSION_STATES;

    const failed = new sfn.Fail(this, `${S.failed}State`, {
      stateName: S.failed,
      error: 'SubmissionFailed',
      cause: 'The submission could not be processed; it is recorded as FAILED with the reason.',
    });
    const recordFailure = invokeTask(
      this,
      S.recordFailure,
      this.recordSubmissionFailure,
      '$.failure',
      'Marks the submission FAILED with the error in $.error',
    ).next(failed);
    const catchAll = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

    const validate = invokeTask(
      this,
      S.validate,
      this.validateSubmission,
      '$.validation',
      'Validates the upload, writes the report',
    );
    validate.addCatch(recordFailure, catchAll);
    const score = invokeTask(
      this,
      S.score,
      this.scoreSubmission,
      '$.score',
      'Provisional score card (trace to S3)',
    );
    score.addCatch(recordFailure, catchAll);

    const badResult = new sfn.Pass(this, `${S.badResult}State`, {
      stateName: S.badResult,
      comment: 'Validate returned no boolean "valid": treat as a failure, never leave it VALIDATING',
      parameters: {
        Error: 'Indeks.BadValidationResult',
        Cause: 'validate-submission must return {"valid": true|false, ...}',
      },
      resultPath: '$.error',
    }).next(recordFailure);

    // IsPresent first: a missing path in a comparison would be an uncatchable States.Runtime error.
    const validIs = (value: boolean) =>
      sfn.Condition.and(
        sfn.Condition.isPresent('$.validation.valid'),
        sfn.Condition.isBoolean('$.validation.valid'),
        sfn.Condition.booleanEquals('$.validation.valid', value),
      );
    const isValid = new sfn.Choice(this, `${S.isValid}State`, { stateName: S.isValid })
      .when(validIs(true), score.next(new sfn.Succeed(this, `${S.scored}State`, { stateName: S.scored })))
      .when(
        validIs(false),
        new sfn.Succeed(this, `${S.rejected}State`, {
          stateName: S.rejected,
          comment: 'Validation problems are in the report',
        }),
      )
      .otherwise(badResult);

    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Indeks submission pipeline: validate -> score (provisional), failures recorded',
      stateMachineType: sfn.StateMachineType.STANDARD,
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      definitionBody: sfn.DefinitionBody.fromChainable(validate.next(isValid)),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    for (const fn of [this.validateSubmission, this.scoreSubmission, this.recordSubmissionFailure]) {
      acknowledgeWildcardResources(
        stateMachine,
        [`${fn.fn.functionArn}:*`],
        'Invoke permission on the versions/aliases of a function this state machine calls (added by LambdaInvoke).',
      );
    }
    acknowledge(
      stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs vended-log delivery and X-Ray actions used by Step Functions do not support resource-level permissions.',
    );
    return stateMachine;
  }
}
