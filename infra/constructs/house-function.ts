import { join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TABLE_DEFINITION } from '#adapters/dynamo/table-definition';
import { BUNDLE } from '../bundle-options';
import type { FunctionSpec } from '../functions';
import { acknowledge, acknowledgeWildcardResources } from '../nag';
import { LOCK_FILE, PROJECT_ROOT, TSCONFIG } from '../paths';

export type Access = 'read' | 'write' | 'readWrite';

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const OBJECT_READ = ['s3:GetObject', 's3:GetObjectVersion'];
const OBJECT_WRITE = ['s3:PutObject', 's3:AbortMultipartUpload'];

const includes = (access: Access, what: 'read' | 'write') => access === what || access === 'readWrite';

/** CloudFormation metadata key naming a function's entry file (the local runtime reads it). */
export const ENTRY_METADATA_KEY = 'indeks:entry';

export interface HouseFunctionProps extends FunctionSpec {
  logRetention: logs.RetentionDays;
  /** For asynchronously invoked functions: where events that still fail after retries go. */
  asyncFailureQueue?: IQueue;
}

/**
 * Every Lambda of the app: newest managed Node runtime, ARM64, ESM bundle with the SDK inside,
 * explicit memory/timeout, own log group with retention, active tracing, and a role that starts
 * empty. Permissions come only through the `use*` helpers, each of which sets one environment
 * variable together with the narrowest grant that variable needs.
 */
export class HouseFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  private readonly env = new Map<string, string>();

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Indeks ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: Duration.seconds(props.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE.target,
        minify: BUNDLE.minify,
        sourceMap: BUNDLE.sourcemap,
        sourceMapMode: SourceMapMode.DEFAULT,
        mainFields: [...BUNDLE.mainFields],
        banner: BUNDLE.banner,
        bundleAwsSDK: true,
        externalModules: [...BUNDLE.external],
        tsconfig: TSCONFIG,
      },
      environment: {
        POWERTOOLS_SERVICE_NAME: `indeks-${id}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Indeks',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Stack traces point into the TypeScript sources (the bundle ships its .map file).
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    (this.fn.node.defaultChild as lambda.CfnFunction).addMetadata(ENTRY_METADATA_KEY, props.entry);

    if (props.asyncFailureQueue) {
      this.fn.configureAsyncInvoke({
        onFailure: new SqsDestination(props.asyncFailureQueue),
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });
    }
    acknowledge(
      this,
      'Serverless-LambdaDLQ',
      'No function here consumes a queue; asynchronous ones use an on-failure destination (SQS), which supersedes a DLQ.',
    );
    acknowledge(
      this,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (added by active tracing).',
    );
  }

  get functionName(): string {
    return this.fn.functionName;
  }

  /** Plain configuration with no permission attached. */
  useValue(name: string, value: string): this {
    this.setEnv(name, value);
    return this;
  }

  /** `name` = table name; grants item-level actions (never Scan) on the table and its indexes. */
  useTable(name: string, table: ITableV2, access: Access): this {
    this.setEnv(name, table.tableName);
    if (includes(access, 'read')) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: TABLE_READ, resources: [table.tableArn] }),
      );
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: TABLE_DEFINITION.globalSecondaryIndexes.map(
            (i) => `${table.tableArn}/index/${i.indexName}`,
          ),
        }),
      );
    }
    if (includes(access, 'write')) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: TABLE_WRITE, resources: [table.tableArn] }),
      );
    }
    return this;
  }

  /** `name` = bucket name; grants object actions under one key prefix (e.g. `submissions/*`). */
  useBucket(name: string, bucket: IBucket, access: Access, prefix: string): this {
    if (!prefix.endsWith('/*') || prefix.startsWith('/') || prefix === '/*') {
      throw new Error(`bucket grants are per prefix ("submissions/*"), got "${prefix}"`);
    }
    this.setEnv(name, bucket.bucketName);
    const resource = bucket.arnForObjects(prefix);
    const actions = [
      ...(includes(access, 'read') ? OBJECT_READ : []),
      ...(includes(access, 'write') ? OBJECT_WRITE : []),
    ];
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [resource] }));
    acknowledgeWildcardResources(
      this,
      [resource],
      `Object-level ${access} access limited to the ${prefix.slice(0, -1)} prefix: keys are created at runtime.`,
    );
    return this;
  }

  /**
   * `name` = bucket name of an Object Lock bucket; grants only PutObject and PutObjectRetention
   * under one prefix: a write that sets its own retain-until date. Never read, delete, or
   * BypassGovernanceRetention.
   */
  useLockedBucket(name: string, bucket: IBucket, prefix: string): this {
    if (!prefix.endsWith('/*') || prefix.startsWith('/') || prefix === '/*') {
      throw new Error(`bucket grants are per prefix ("ledger/*"), got "${prefix}"`);
    }
    this.setEnv(name, bucket.bucketName);
    const resource = bucket.arnForObjects(prefix);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:PutObjectRetention'], resources: [resource] }),
    );
    acknowledgeWildcardResources(
      this,
      [resource],
      `Locked writes limited to the ${prefix.slice(0, -1)} prefix: one object per exported ledger head, keyed at runtime.`,
    );
    return this;
  }

  /**
   * `name` = bucket name; grants ListBucket on the bucket limited (condition `s3:prefix`) to keys
   * under `prefix` (e.g. `submissions/`), for finding objects that have no record.
   */
  useBucketListing(name: string, bucket: IBucket, prefix: string): this {
    if (!prefix.endsWith('/') || prefix.startsWith('/'))
      throw new Error(`bucket listings are per prefix ("submissions/"), got "${prefix}"`);
    this.setEnv(name, bucket.bucketName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
    return this;
  }

  /**
   * `name` = state machine ARN; grants StartExecution on that one machine and, with `describe`,
   * DescribeExecution on its executions (to tell a running execution from a closed one).
   */
  useStateMachine(name: string, stateMachine: IStateMachine, options: { describe?: boolean } = {}): this {
    this.setEnv(name, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this.role);
    if (options.describe) {
      const executions = Stack.of(this).formatArn({
        service: 'states',
        resource: 'execution',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: `${Stack.of(this).splitArn(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}:*`,
      });
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
      );
      acknowledgeWildcardResources(
        this,
        [executions],
        'Executions are named at runtime (run or submission ids); DescribeExecution on the one machine only.',
      );
    }
    return this;
  }

  /** `name` = schedule group name; grants the given scheduler actions on that group's schedules only. */
  useScheduleGroup(name: string, group: IScheduleGroup, actions: readonly string[]): this {
    this.setEnv(name, group.scheduleGroupName);
    const schedules = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${group.scheduleGroupName}/*`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: [schedules] }),
    );
    acknowledgeWildcardResources(
      this,
      [schedules],
      'Schedules are created per cycle at runtime; access is limited to the schedules of the one cycle schedule group.',
    );
    return this;
  }

  /** `name` = role ARN; grants iam:PassRole on that role, only towards `service`. */
  usePassRole(name: string, role: iam.IRole, service: string): this {
    this.setEnv(name, role.roleArn);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': service } },
      }),
    );
    return this;
  }

  private setEnv(name: string, value: string): void {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name))
      throw new Error(`environment variable "${name}" is not UPPER_SNAKE_CASE`);
    const existing = this.env.get(name);
    if (existing !== undefined && existing !== value) {
      throw new Error(`${this.node.path}: ${name} is already set to a different value`);
    }
    this.env.set(name, value);
    this.fn.addEnvironment(name, value);
  }
}
