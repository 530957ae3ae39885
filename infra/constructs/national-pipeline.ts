import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RUN_KEY_FORMAT } from '#adapters/dynamo/keys';
import { GSI2 } from '#adapters/dynamo/table-definition';
import { FUNCTIONS } from '../functions';
import { acknowledge, acknowledgeWildcardResources, acknowledgeWildcardsInPolicy } from '../nag';
import { HouseFunction } from './house-function';
import type { Monitoring } from './monitoring';
import { invokeTask } from './retry';
import { PREFIX, type Storage } from './storage';

export interface NationalPipelineProps {
  storage: Storage;
  monitoring: Monitoring;
  functionLogRetention: logs.RetentionDays;
  auditLogRetention: logs.RetentionDays;
}

/** State names are a contract: the local runtime overrides each Task by its name. */
export const NATIONAL_STATES = {
  init: 'Init',
  freezeManifest: 'FreezeManifest',
  revalidateRegions: 'RevalidateRegions',
  revalidateBatch: 'RevalidateBatch',
  aggregate: 'Aggregate',
  markProvisional: 'MarkProvisional',
  summary: 'Summary',
  markRunFailed: 'MarkRunFailed',
  runFailed: 'RunFailed',
} as const;

/** Distributed Map settings (552 regions → 23 batches of 24–25). */
export const NATIONAL_MAP = {
  maxItemsPerBatch: 25,
  maxConcurrency: 10,
  toleratedFailurePercentage: 5,
  resultPrefix: `${PREFIX.runs}map-results`,
} as const;

/** Reads the manifest, granted on runs/* only (the stock reader grants GetObject on the whole bucket). */
class ManifestReader extends sfn.S3JsonItemReader {
  constructor(
    private readonly uploads: s3.IBucket,
    key: string,
  ) {
    super({ bucket: uploads, key });
  }
  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.uploads.arnForObjects(`${PREFIX.runs}*`)],
      }),
    ];
  }
}

/** Writes Map results under runs/ only (the stock writer grants on the whole bucket). */
class RunResultWriter extends sfn.ResultWriterV2 {
  constructor(private readonly uploads: s3.IBucket) {
    super({ bucket: uploads, prefix: NATIONAL_MAP.resultPrefix });
  }
  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.uploads.arnForObjects(`${PREFIX.runs}*`)],
      }),
    ];
  }
}

/**
 * Init → FreezeManifest (accepted submissions → manifest JSON in S3) → RevalidateRegions (Distributed
 * Map over the manifest, batched) → Aggregate (normalisation, predikat, ranks) → MarkProvisional
 * (PROVISIONAL) → Summary. The run id is the execution name: a re-run is a new execution, hence a
 * new run; nothing is overwritten. Any failure marks the run FAILED. Payloads are S3 pointers.
 */
export class NationalPipeline extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly freezeManifest: HouseFunction;
  readonly revalidateRegionBatch: HouseFunction;
  readonly aggregateRun: HouseFunction;
  readonly markRunProvisional: HouseFunction;

  constructor(scope: Construct, id: string, props: NationalPipelineProps) {
    super(scope, id);
    const { uploads, table } = props.storage;
    const logRetention = props.functionLogRetention;
    const runs = `${PREFIX.runs}*`;

    // Creates the run (RUNNING) up front so that a failed run is recorded, not lost.
    this.freezeManifest = new HouseFunction(this, 'FreezeManifest', {
      ...FUNCTIONS.freezeManifest,
      logRetention,
    })
      .useTable('TABLE_NAME', table, 'readWrite')
      .useBucket('UPLOAD_BUCKET', uploads, 'readWrite', runs);
    this.revalidateRegionBatch = new HouseFunction(this, 'RevalidateRegionBatch', {
      ...FUNCTIONS.revalidateRegionBatch,
      logRetention,
    })
      // The canonical submission JSON that validation stored beside its report.
      .useBucket('UPLOAD_BUCKET', uploads, 'read', `${PREFIX.reports}*`)
      .useBucket('UPLOAD_BUCKET', uploads, 'readWrite', runs)
      // IKKD survey-channel answers; write only to settle an answer a crash left parked (survey.ts).
      .useTable('TABLE_NAME', table, 'readWrite');
    this.aggregateRun = new HouseFunction(this, 'AggregateRun', { ...FUNCTIONS.aggregateRun, logRetention })
      .useTable('TABLE_NAME', table, 'readWrite')
      .useBucket('UPLOAD_BUCKET', uploads, 'readWrite', runs);
    this.markRunProvisional = new HouseFunction(this, 'MarkRunProvisional', {
      ...FUNCTIONS.markRunProvisional,
      logRetention,
    })
      .useTable('TABLE_NAME', table, 'readWrite')
      .useLockedBucket('LEDGER_BUCKET', props.storage.ledger, 'ledger/*');

    this.stateMachine = this.buildStateMachine(props);
    props.monitoring.watchStateMachine('NationalPipeline', this.stateMachine, 'National assessment pipeline');
  }

  private buildStateMachine(props: NationalPipelineProps): sfn.StateMachine {
    const S = NATIONAL_STATES;
    const { uploads, table } = props.storage;

    const runFailed = new sfn.Fail(this, `${S.runFailed}State`, {
      stateName: S.runFailed,
      error: 'NationalRunFailed',
      cause: 'The national run failed; the run is recorded as FAILED with the error.',
    });
    const str = (path: string) => tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt(path));
    const markRunFailed = new tasks.DynamoUpdateItem(this, `${S.markRunFailed}State`, {
      stateName: S.markRunFailed,
      comment: 'RUNNING -> FAILED on the run record (guarded; a run that never started is left alone)',
      table,
      key: {
        pk: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format(RUN_KEY_FORMAT.pk, sfn.JsonPath.stringAt('$.cycleId')),
        ),
        sk: tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format(RUN_KEY_FORMAT.sk, sfn.JsonPath.stringAt('$.run.runId')),
        ),
      },
      updateExpression:
        'SET #status = :failed, #byStatus = :byStatus, completedAt = :at, failure = :failure, #history = list_append(#history, :entry)',
      conditionExpression: '#status = :running',
      expressionAttributeNames: {
        '#status': 'status',
        '#history': 'history',
        '#byStatus': GSI2.partitionKey,
      },
      expressionAttributeValues: {
        ':failed': tasks.DynamoAttributeValue.fromString('FAILED'),
        ':running': tasks.DynamoAttributeValue.fromString('RUNNING'),
        ':byStatus': tasks.DynamoAttributeValue.fromString(
          sfn.JsonPath.format(RUN_KEY_FORMAT.byStatusPk, sfn.JsonPath.stringAt('$.cycleId'), 'FAILED'),
        ),
        ':at': str('$$.State.EnteredTime'),
        ':failure': tasks.DynamoAttributeValue.fromMap({
          error: str('$.error.Error'),
          cause: str('$.error.Cause'),
        }),
        ':entry': tasks.DynamoAttributeValue.fromList([
          tasks.DynamoAttributeValue.fromMap({
            status: tasks.DynamoAttributeValue.fromString('FAILED'),
            at: str('$$.State.EnteredTime'),
            reason: str('$.error.Error'),
          }),
        ]),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    markRunFailed.addRetry({
      errors: [
        'DynamoDB.InternalServerErrorException',
        'DynamoDB.ThrottlingException',
        'DynamoDB.SdkClientException',
      ],
      interval: Duration.seconds(1),
      maxAttempts: 4,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    markRunFailed.addCatch(runFailed, { errors: [sfn.Errors.ALL], resultPath: '$.markError' });
    markRunFailed.next(runFailed);
    const catchAll = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

    const init = new sfn.Pass(this, `${S.init}State`, {
      stateName: S.init,
      comment: 'The run id is the execution name: a re-run is a new execution and a new run',
      parameters: {
        runId: sfn.JsonPath.executionName,
        startedAt: sfn.JsonPath.executionStartTime,
      },
      resultPath: '$.run',
    });

    const freeze = invokeTask(
      this,
      S.freezeManifest,
      this.freezeManifest,
      '$.manifest',
      'Accepted submissions -> runs/.../manifest.json',
    );
    freeze.addCatch(markRunFailed, catchAll);

    const scoreBatch = invokeTask(
      this,
      S.revalidateBatch,
      this.revalidateRegionBatch,
      '$',
      'Scores one batch of regions ({Items, BatchInput})',
    );
    const revalidateRegions = new sfn.DistributedMap(this, `${S.revalidateRegions}State`, {
      stateName: S.revalidateRegions,
      comment: 'One child execution per batch of regions from the manifest',
      itemReader: new ManifestReader(uploads, sfn.JsonPath.stringAt('$.manifest.manifestKey')),
      itemBatcher: new sfn.ItemBatcher({
        maxItemsPerBatch: NATIONAL_MAP.maxItemsPerBatch,
        // ItemBatcher renders BatchInput verbatim: the `.$` suffix makes these JSONPath references.
        batchInput: {
          'cycleId.$': '$.cycleId',
          'runId.$': '$.run.runId',
          'manifestKey.$': '$.manifest.manifestKey',
        },
      }),
      maxConcurrency: NATIONAL_MAP.maxConcurrency,
      toleratedFailurePercentage: NATIONAL_MAP.toleratedFailurePercentage,
      resultWriterV2: new RunResultWriter(uploads),
      mapExecutionType: sfn.StateMachineType.STANDARD,
      resultPath: '$.map',
    });
    revalidateRegions.itemProcessor(scoreBatch);
    revalidateRegions.addCatch(markRunFailed, catchAll);

    const aggregate = invokeTask(
      this,
      S.aggregate,
      this.aggregateRun,
      '$.aggregate',
      'Normalisation, predikat, ranks per cluster',
    );
    aggregate.addCatch(markRunFailed, catchAll);
    const publish = invokeTask(
      this,
      S.markProvisional,
      this.markRunProvisional,
      '$.publish',
      'Run summary, status PROVISIONAL',
    );
    publish.addCatch(markRunFailed, catchAll);

    const summary = new sfn.Pass(this, `${S.summary}State`, {
      stateName: S.summary,
      comment: 'Small output: pointers only',
      parameters: {
        cycleId: sfn.JsonPath.stringAt('$.cycleId'),
        runId: sfn.JsonPath.stringAt('$.run.runId'),
        status: 'PROVISIONAL',
        manifest: sfn.JsonPath.objectAt('$.manifest'),
        publish: sfn.JsonPath.objectAt('$.publish'),
      },
    });

    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      retention: props.auditLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Indeks national assessment: manifest -> revalidate regions -> aggregate -> mark provisional',
      stateMachineType: sfn.StateMachineType.STANDARD,
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      definitionBody: sfn.DefinitionBody.fromChainable(
        init.next(freeze).next(revalidateRegions).next(aggregate).next(publish).next(summary),
      ),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    for (const fn of [
      this.freezeManifest,
      this.revalidateRegionBatch,
      this.aggregateRun,
      this.markRunProvisional,
    ]) {
      acknowledgeWildcardResources(
        stateMachine,
        [`${fn.fn.functionArn}:*`],
        'Invoke permission on the versions/aliases of a function this state machine calls (added by LambdaInvoke).',
      );
    }
    acknowledgeWildcardResources(
      stateMachine,
      [uploads.arnForObjects(`${PREFIX.runs}*`)],
      'Distributed Map reads the manifest and writes its results under runs/ only; keys are per run.',
    );
    const mapPolicy = stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (!(mapPolicy instanceof iam.Policy))
      throw new Error('expected the Distributed Map policy CDK generates');
    acknowledgeWildcardsInPolicy(
      mapPolicy,
      'Distributed Map describes/stops/redrives its own child executions, whose names exist only at run time; scoped to this state machine.',
    );
    acknowledge(
      stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs vended-log delivery and X-Ray actions used by Step Functions do not support resource-level permissions.',
    );
    return stateMachine;
  }
}
