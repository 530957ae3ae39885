import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DEFINITION } from '#adapters/dynamo/table-definition';
import { API_THROTTLE, ROUTES, SURVEY_FORM_THROTTLE } from '#infra/constructs/api';
import { REGION_CLAIM, USER_GROUPS } from '#infra/constructs/auth';
import { type Synthesized, synthesize } from './template-helpers';

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
});

describe('upload bucket', () => {
  it('blocks public access, enforces bucket-owner ownership, encrypts, versions, logs access', () => {
    const bucket = s.at('Storage/Uploads/Resource').Properties ?? {};
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration).toMatchObject({
      DestinationBucketName: { Ref: s.idOf('Storage/AccessLogs/Resource') },
    });
  });

  it('turns EventBridge notifications on natively (no custom resource)', () => {
    expect(s.at('Storage/Uploads/Resource').Properties?.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    s.template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  it('aborts incomplete multipart uploads and expires nothing that is evidence', () => {
    const lifecycle = s.at('Storage/Uploads/Resource').Properties?.LifecycleConfiguration as
      | { Rules: Record<string, unknown>[] }
      | undefined;
    const rules = lifecycle?.Rules ?? [];
    expect(rules).toEqual([
      {
        Id: 'abort-incomplete-multipart',
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
      },
    ]);
    for (const rule of rules) {
      expect(Object.keys(rule).filter((k) => /Expiration|Transition/.test(k))).toEqual([]);
    }
  });

  it('allows browser uploads (CORS: POST for presigned POST, PUT for multipart parts, ETag exposed)', () => {
    const cors = s.at('Storage/Uploads/Resource').Properties?.CorsConfiguration as {
      CorsRules: Record<string, unknown>[];
    };
    expect(cors.CorsRules[0]).toMatchObject({
      AllowedMethods: expect.arrayContaining(['POST', 'PUT']),
      ExposedHeaders: expect.arrayContaining(['ETag']),
    });
  });

  it('denies any request without TLS and below TLS 1.2', () => {
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: s.idOf('Storage/Uploads/Resource') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });
});

describe('table', () => {
  it('is a GlobalTable built from the shared key definition, PITR on, TTL for disposable records', () => {
    const table = s.at('Storage/Table/Resource').Properties ?? {};
    expect(s.at('Storage/Table/Resource').Type).toBe('AWS::DynamoDB::GlobalTable');
    expect(table.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes).toEqual(
      TABLE_DEFINITION.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Replicas).toEqual([
      expect.objectContaining({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    ]);
    expect(s.resources[s.idOf('Storage/Table/Resource')]).toMatchObject({ DeletionPolicy: 'Retain' });
  });
});

describe('HTTP API', () => {
  const routeKeys = () =>
    Object.values(s.resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => ({ key: String(r.Properties?.RouteKey), auth: r.Properties?.AuthorizationType }));

  it('has exactly the documented routes; all but /health, /openapi.json and the survey form behind the JWT authorizer', () => {
    const routes = routeKeys();
    expect(routes.map((r) => r.key).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const publicKeys = [
      'GET /health',
      'GET /openapi.json',
      'GET /survey/forms/{code}',
      'POST /survey/forms/{code}/answers',
    ];
    expect(
      ROUTES.filter((r) => r.public)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual([...publicKeys].sort());
    for (const route of routes)
      expect(route.auth, route.key).toBe(publicKeys.includes(route.key) ? 'NONE' : 'JWT');
  });

  it('throttles the public survey form routes on their own, below the stage default', () => {
    const stage = s.at('Api/DefaultStage/Resource').Properties ?? {};
    expect(stage.RouteSettings).toEqual({
      'GET /survey/forms/{code}': {
        ThrottlingRateLimit: SURVEY_FORM_THROTTLE.rateLimit,
        ThrottlingBurstLimit: SURVEY_FORM_THROTTLE.burstLimit,
      },
      'POST /survey/forms/{code}/answers': {
        ThrottlingRateLimit: SURVEY_FORM_THROTTLE.rateLimit,
        ThrottlingBurstLimit: SURVEY_FORM_THROTTLE.burstLimit,
      },
    });
    expect(SURVEY_FORM_THROTTLE.rateLimit).toBeLessThan(API_THROTTLE.rateLimit);
  });

  it('uses a Cognito JWT authorizer (issuer = the user pool, audience = the web client)', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: s.idOf('Auth/UserPool/WebClient/Resource') }],
        Issuer: Match.objectLike({
          'Fn::Join': [
            '',
            Match.arrayWith([
              Match.stringLikeRegexp('cognito-idp'),
              { Ref: s.idOf('Auth/UserPool/Resource') },
            ]),
          ],
        }),
      },
    });
  });

  it('throttles the default stage and writes JSON access logs', () => {
    const stage = s.at('Api/DefaultStage/Resource').Properties ?? {};
    expect(stage.StageName).toBe('$default');
    expect(stage.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: API_THROTTLE.rateLimit,
      ThrottlingBurstLimit: API_THROTTLE.burstLimit,
    });
    const logs = stage.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(logs.DestinationArn).toEqual({ 'Fn::GetAtt': [s.idOf('Api/AccessLogs/Resource'), 'Arn'] });
    expect(JSON.parse(logs.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
  });

  it('has the four groups, MFA, a region claim users cannot write themselves', () => {
    const groups = Object.values(s.resources)
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
      .map((r) => r.Properties?.GroupName);
    expect(groups.sort()).toEqual([...USER_GROUPS].sort());
    const pool = s.at('Auth/UserPool/Resource').Properties ?? {};
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.Schema).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: REGION_CLAIM.replace('custom:', ''), Mutable: true }),
      ]),
    );
    const client = s.at('Auth/UserPool/WebClient/Resource').Properties ?? {};
    expect(client.ReadAttributes).toContain(REGION_CLAIM);
    expect(client.WriteAttributes).not.toContain(REGION_CLAIM);
    expect(client.GenerateSecret).toBe(false);
  });
});

describe('cycle schedules', () => {
  it('runs the safety net every 15 minutes in Asia/Jakarta, invoking cycle-transition with a DLQ', () => {
    const schedule = s.at('Schedules/SafetyNet/Resource').Properties ?? {};
    expect(schedule.ScheduleExpression).toBe('cron(0/15 * * * ? *)');
    expect(schedule.ScheduleExpressionTimezone).toBe('Asia/Jakarta');
    expect(schedule.Target).toMatchObject({
      Arn: { 'Fn::GetAtt': [s.idOf('Schedules/CycleTransition/Function/Resource'), 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [s.idOf('Schedules/SchedulerRole/Resource'), 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [s.idOf('Monitoring/DeadLetters/Resource'), 'Arn'] } },
    });
    s.template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
  });

  it('runs the submission sweeper every 15 minutes (offset from the safety net) with a DLQ', () => {
    const schedule = s.at('Schedules/SubmissionSweeper/Resource').Properties ?? {};
    expect(schedule.ScheduleExpression).toBe('cron(7/15 * * * ? *)');
    expect(schedule.ScheduleExpressionTimezone).toBe('Asia/Jakarta');
    expect(schedule.Target).toMatchObject({
      Arn: { 'Fn::GetAtt': [s.idOf('Submissions/SweepSubmissions/Function/Resource'), 'Arn'] },
      Input: JSON.stringify({ source: 'sweeper' }),
      RoleArn: { 'Fn::GetAtt': [s.idOf('Schedules/SchedulerRole/Resource'), 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [s.idOf('Monitoring/DeadLetters/Resource'), 'Arn'] } },
    });
  });

  it('sends national executions that end FAILED, TIMED_OUT or ABORTED to cycle-transition (retries, DLQ)', () => {
    const rule = s.at('Schedules/NationalExecutionEnded/Resource').Properties ?? {};
    expect(rule.State).toBe('ENABLED');
    expect(rule.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        stateMachineArn: [{ Ref: s.idOf('National/StateMachine/Resource') }],
      },
    });
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [s.idOf('Schedules/CycleTransition/Function/Resource'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [s.idOf('Monitoring/DeadLetters/Resource'), 'Arn'] } },
      }),
    ]);
  });

  it('lets only EventBridge Scheduler of this account assume the scheduler role', () => {
    expect(s.at('Schedules/SchedulerRole/Resource').Properties?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(s.resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');

  it('alarm on failed executions of both state machines and on dead letters, to an encrypted topic', () => {
    const topic = { Ref: s.idOf('Monitoring/Alarms/Resource') };
    const watched = alarms().map((a) => ({
      metric: a.Properties?.MetricName,
      dimension: JSON.stringify(a.Properties?.Dimensions),
      actions: a.Properties?.AlarmActions,
    }));
    for (const machine of ['Submissions/StateMachine/Resource', 'National/StateMachine/Resource']) {
      const failed = watched.find(
        (w) => w.metric === 'ExecutionsFailed' && w.dimension.includes(s.idOf(machine)),
      );
      expect(failed?.actions, machine).toEqual([topic]);
    }
    const dlq = watched.find((w) => w.metric === 'ApproximateNumberOfMessagesVisible');
    expect(dlq?.dimension).toContain(s.idOf('Monitoring/DeadLetters/Resource'));
    expect(s.at('Monitoring/Alarms/Resource').Properties?.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [s.idOf('Monitoring/AlarmTopicKey/Resource'), 'Arn'],
    });
    expect(s.at('Monitoring/AlarmTopicKey/Resource').Properties?.EnableKeyRotation).toBe(true);
  });

  it('alarm on 5xx answers of the HTTP API, to the alarm topic', () => {
    const api5xx = s.at('Monitoring/Api5xx/Resource').Properties ?? {};
    expect(api5xx).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: s.idOf('Api/HttpApi/Resource') } }],
      AlarmActions: [{ Ref: s.idOf('Monitoring/Alarms/Resource') }],
    });
  });

  it('alarm on the errors of every function, each its own alarm to the alarm topic', () => {
    const functions = Object.entries(s.resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['indeks:entry'])
      .map(([id]) => id);
    expect(functions.length).toBeGreaterThanOrEqual(15);
    const errors = alarms().filter((a) => a.Properties?.MetricName === 'Errors');
    const watched = errors.map((a) => {
      const dimensions = a.Properties?.Dimensions as { Name: string; Value: { Ref: string } }[];
      expect(a.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [{ Ref: s.idOf('Monitoring/Alarms/Resource') }],
      });
      expect(dimensions.map((d) => d.Name)).toEqual(['FunctionName']);
      return dimensions[0]?.Value.Ref;
    });
    expect(watched.sort()).toEqual(functions.sort());
  });

  it('encrypts the dead-letter queue and requires TLS on it', () => {
    expect(s.at('Monitoring/DeadLetters/Resource').Properties?.SqsManagedSseEnabled).toBe(true);
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});
