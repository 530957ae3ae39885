import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../functions';
import { acknowledge, acknowledgeWildcardResources } from '../nag';
import { HouseFunction } from './house-function';
import type { Monitoring } from './monitoring';
import { invokeTask } from './retry';
import { PREFIX, type Storage } from './storage';

export interface VerificationPipelineProps {
  storage: Storage;
  monitoring: Monitoring;
  functionLogRetention: logs.RetentionDays;
  auditLogRetention: logs.RetentionDays;
}

/** State names are a contract: the local runtime overrides each Task by its name. */
export const VERIFICATION_STATES = {
  plan: 'Plan',
  scoreBatches: 'ScoreBatches',
  scoreBatch: 'ScoreBatch',
  complete: 'Complete',
  done: 'Done',
} as const;

/** 552 regions → 23 batches of 25 (phase-run.ts PHASE_BATCH_SIZE), ten at a time. */
export const VERIFICATION_MAP = { maxConcurrency: 10 } as const;

/**
 * The results of a verification stage phase (PROVISIONAL, FINAL), started by the phase move (admin
 * route or schedule) under the execution name `{cycleId}-{phase}`: a second start finds the first,
 * a failed one is redriven. Plan (covered regions in batches of 25) → ScoreBatches (Map: each
 * batch's self, verified and final scores and changes, written per region) → Complete (every
 * region ranked once, rank notices after the sanggah, then the guarded phase move) → Done.
 * Every step is idempotent; the state carries region codes only (552 × 5 bytes).
 */
export class VerificationPipeline extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly plan: HouseFunction;
  readonly scoreBatch: HouseFunction;
  readonly complete: HouseFunction;

  constructor(scope: Construct, id: string, props: VerificationPipelineProps) {
    super(scope, id);
    const { uploads, table } = props.storage;
    const logRetention = props.functionLogRetention;
    this.plan = new HouseFunction(this, 'Plan', {
      ...FUNCTIONS.planVerificationPhase,
      logRetention,
    }).useTable('TABLE_NAME', table, 'read');
    this.scoreBatch = new HouseFunction(this, 'ScoreBatch', {
      ...FUNCTIONS.scoreVerificationBatch,
      logRetention,
    })
      .useTable('TABLE_NAME', table, 'readWrite')
      // The canonical submission JSON beside its validation report.
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.reports}*`);
    this.complete = new HouseFunction(this, 'Complete', {
      ...FUNCTIONS.completeVerificationPhase,
      logRetention,
    }).useTable('TABLE_NAME', table, 'readWrite');

    const S = VERIFICATION_STATES;
    const plan = invokeTask(this, S.plan, this.plan, '$.plan', 'Covered regions in batches -> $.plan');
    const scoreBatch = invokeTask(
      this,
      S.scoreBatch,
      this.scoreBatch,
      '$',
      'One batch: rows of every region',
    );
    const scoreBatches = new sfn.Map(this, `${S.scoreBatches}State`, {
      stateName: S.scoreBatches,
      comment: 'One iteration per batch of regions',
      itemsPath: '$.plan.batches',
      itemSelector: {
        cycleId: sfn.JsonPath.stringAt('$.cycleId'),
        phase: sfn.JsonPath.stringAt('$.phase'),
        kodes: sfn.JsonPath.listAt('$$.Map.Item.Value.kodes'),
      },
      maxConcurrency: VERIFICATION_MAP.maxConcurrency,
      resultPath: sfn.JsonPath.DISCARD,
    });
    scoreBatches.itemProcessor(scoreBatch);
    const complete = invokeTask(
      this,
      S.complete,
      this.complete,
      '$.result',
      'Rank every region once, rank notices, move the phase',
    );
    const done = new sfn.Pass(this, `${S.done}State`, {
      stateName: S.done,
      comment: 'Small output: counts only',
      parameters: {
        cycleId: sfn.JsonPath.stringAt('$.cycleId'),
        phase: sfn.JsonPath.stringAt('$.phase'),
        result: sfn.JsonPath.objectAt('$.result'),
      },
    });

    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      retention: props.auditLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Indeks verification phase results: plan -> score batches -> rank and move the phase',
      stateMachineType: sfn.StateMachineType.STANDARD,
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(scoreBatches).next(complete).next(done)),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    for (const fn of [this.plan, this.scoreBatch, this.complete])
      acknowledgeWildcardResources(
        this.stateMachine,
        [`${fn.fn.functionArn}:*`],
        'Invoke permission on the versions/aliases of a function this state machine calls (added by LambdaInvoke).',
      );
    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs vended-log delivery and X-Ray actions used by Step Functions do not support resource-level permissions.',
    );
    props.monitoring.watchStateMachine(
      'VerificationPipeline',
      this.stateMachine,
      'Verification phase results',
    );
  }
}
