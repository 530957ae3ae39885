import { beforeAll, describe, expect, it } from 'vitest';
import { NATIONAL_MAP, NATIONAL_STATES } from '#infra/constructs/national-pipeline';
import { SUBMISSION_STATES } from '#infra/constructs/submission-pipeline';
import { VERIFICATION_MAP, VERIFICATION_STATES } from '#infra/constructs/verification-pipeline';
import {
  type AslState,
  type AslStateMachine,
  allKeys,
  definitionOf,
  type Synthesized,
  state,
  synthesize,
} from './template-helpers';

let s: Synthesized;
let submission: AslStateMachine;
let national: AslStateMachine;
let verification: AslStateMachine;
beforeAll(() => {
  s = synthesize();
  submission = definitionOf(s.at('Submissions/StateMachine/Resource'));
  national = definitionOf(s.at('National/StateMachine/Resource'));
  verification = definitionOf(s.at('Verification/StateMachine/Resource'));
});

const JSONATA_ONLY = ['Assign', 'Arguments', 'Output', 'Items', 'Variables'];

function expectJsonPathOnly(machine: AslStateMachine) {
  expect(machine.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  const keys = allKeys(machine);
  for (const key of JSONATA_ONLY) expect(keys.has(key), `${key} present`).toBe(false);
  expect(JSON.stringify(machine)).not.toMatch(/JSONata|\{%/);
}

function expectTransientRetry(task: AslState) {
  const retry = task.Retry?.[0];
  expect(retry?.ErrorEquals).toEqual(
    expect.arrayContaining([
      'Lambda.ServiceException',
      'Lambda.TooManyRequestsException',
      'Lambda.SdkClientException',
    ]),
  );
  expect(retry?.ErrorEquals).not.toContain('States.ALL');
  expect(retry).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL', MaxAttempts: 6 });
  expect(retry?.MaxDelaySeconds).toBeGreaterThan(0);
}

describe('submission pipeline', () => {
  it('is a Standard state machine written in JSONPath only', () => {
    expect(s.at('Submissions/StateMachine/Resource').Properties?.StateMachineType).toBe('STANDARD');
    expectJsonPathOnly(submission);
  });

  it('Validate -> IsValid -> Score, with Rejected and failure paths', () => {
    const S = SUBMISSION_STATES;
    expect(submission.StartAt).toBe(S.validate);
    expect(Object.keys(submission.States).sort()).toEqual(Object.values(S).sort());
    expect(state(submission, S.validate)).toMatchObject({
      Type: 'Task',
      Next: S.isValid,
      ResultPath: '$.validation',
    });
    const choice = state(submission, S.isValid);
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices?.map((c) => c.Next)).toEqual([S.score, S.rejected]);
    expect(choice.Default).toBe(S.badResult);
    expect(JSON.stringify(choice.Choices?.[0])).toContain('"IsPresent":true');
    expect(state(submission, S.score)).toMatchObject({ Type: 'Task', Next: S.scored });
    expect(state(submission, S.scored).Type).toBe('Succeed');
    expect(state(submission, S.rejected).Type).toBe('Succeed');
    expect(state(submission, S.badResult)).toMatchObject({
      Type: 'Pass',
      Next: S.recordFailure,
      ResultPath: '$.error',
    });
    expect(state(submission, S.recordFailure)).toMatchObject({ Type: 'Task', Next: S.failed });
    expect(state(submission, S.failed).Type).toBe('Fail');
  });

  it('retries transient errors with backoff and jitter, and catches everything into RecordFailure', () => {
    const S = SUBMISSION_STATES;
    for (const name of [S.validate, S.score, S.recordFailure]) expectTransientRetry(state(submission, name));
    for (const name of [S.validate, S.score]) {
      expect(state(submission, name).Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: S.recordFailure },
      ]);
    }
  });

  it('invokes the house functions directly (payload = state, no service wrapper to unwrap)', () => {
    expect(state(submission, SUBMISSION_STATES.validate).Resource).toBe(
      `@GetAtt(${s.idOf('Submissions/ValidateSubmission/Function/Resource')}.Arn)`,
    );
  });

  it('logs ALL events and traces', () => {
    expect(s.at('Submissions/StateMachine/Resource').Properties).toMatchObject({
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
  });
});

describe('S3 Object Created rule', () => {
  it('matches Object Created under submissions/ of the upload bucket only', () => {
    const rule = s.at('Submissions/ObjectCreated/Resource').Properties ?? {};
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ Ref: s.idOf('Storage/Uploads/Resource') }] },
        object: { key: [{ prefix: 'submissions/' }] },
      },
    });
  });

  it('targets ingest-upload with a dead-letter queue and a retry policy', () => {
    const rule = s.at('Submissions/ObjectCreated/Resource').Properties ?? {};
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [s.idOf('Submissions/IngestUpload/Function/Resource'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [s.idOf('Monitoring/DeadLetters/Resource'), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 8 },
      }),
    ]);
  });

  it('sends ingest-upload invocations that still fail to the same dead-letter queue', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: s.idOf('Submissions/IngestUpload/Function/Resource') },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [s.idOf('Monitoring/DeadLetters/Resource'), 'Arn'] } },
      },
    });
  });
});

describe('national assessment pipeline', () => {
  const S = NATIONAL_STATES;

  it('is a Standard state machine written in JSONPath only', () => {
    expect(s.at('National/StateMachine/Resource').Properties?.StateMachineType).toBe('STANDARD');
    expectJsonPathOnly(national);
  });

  it('Init -> FreezeManifest -> RevalidateRegions -> Aggregate -> Publish -> Summary', () => {
    expect(national.StartAt).toBe(S.init);
    const order: string[] = [];
    let current: string | undefined = national.StartAt;
    while (current) {
      order.push(current);
      current = state(national, current).Next;
    }
    expect(order).toEqual([
      S.init,
      S.freezeManifest,
      S.revalidateRegions,
      S.aggregate,
      S.markProvisional,
      S.summary,
    ]);
    expect(state(national, S.init).Parameters).toEqual({
      'runId.$': '$$.Execution.Name',
      'startedAt.$': '$$.Execution.StartTime',
    });
    expect(state(national, S.summary)).toMatchObject({ Type: 'Pass', End: true });
  });

  it('maps over the manifest in S3 as a Distributed Map: batched, bounded, tolerant, results to runs/', () => {
    const map = state(national, S.revalidateRegions);
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor).toMatchObject({
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
    });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:@Ref(AWS::Partition):states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: {
        Bucket: `@Ref(${s.idOf('Storage/Uploads/Resource')})`,
        'Key.$': '$.manifest.manifestKey',
      },
    });
    expect(map.ItemBatcher).toEqual({
      MaxItemsPerBatch: NATIONAL_MAP.maxItemsPerBatch,
      BatchInput: {
        'cycleId.$': '$.cycleId',
        'runId.$': '$.run.runId',
        'manifestKey.$': '$.manifest.manifestKey',
      },
    });
    expect(map.MaxConcurrency).toBe(NATIONAL_MAP.maxConcurrency);
    expect(map.ToleratedFailurePercentage).toBe(NATIONAL_MAP.toleratedFailurePercentage);
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:@Ref(AWS::Partition):states:::s3:putObject',
      Parameters: { Bucket: `@Ref(${s.idOf('Storage/Uploads/Resource')})`, Prefix: 'runs/map-results' },
    });
    expect(map.ResultPath).toBe('$.map');
    const processor = map.ItemProcessor as { StartAt: string; States: Record<string, AslState> };
    expect(processor.StartAt).toBe(S.revalidateBatch);
    expectTransientRetry(state(processor, S.revalidateBatch));
  });

  it('retries transient errors and marks the run FAILED on any error', () => {
    for (const name of [S.freezeManifest, S.aggregate, S.markProvisional])
      expectTransientRetry(state(national, name));
    for (const name of [S.freezeManifest, S.revalidateRegions, S.aggregate, S.markProvisional]) {
      expect(state(national, name).Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: S.markRunFailed },
      ]);
    }
    const mark = state(national, S.markRunFailed);
    expect(mark).toMatchObject({
      Type: 'Task',
      Resource: 'arn:@Ref(AWS::Partition):states:::dynamodb:updateItem',
      Next: S.runFailed,
      ResultPath: null,
    });
    expect(mark.Parameters).toMatchObject({
      Key: {
        pk: { 'S.$': "States.Format('CYCLE#{}', $.cycleId)" },
        sk: { 'S.$': "States.Format('RUN#{}', $.run.runId)" },
      },
      ConditionExpression: '#status = :running',
    });
    expect(mark.Catch?.[0]?.Next).toBe(S.runFailed);
    expect(state(national, S.runFailed).Type).toBe('Fail');
  });

  it('keeps payloads small: every task result lands under its own key, no state carries item lists', () => {
    for (const name of [S.freezeManifest, S.aggregate, S.markProvisional]) {
      expect(state(national, name).ResultPath).toMatch(/^\$\.\w+$/);
    }
    expect(JSON.stringify(national)).not.toContain('ItemsPath');
  });
});

describe('verification phase results', () => {
  const S = VERIFICATION_STATES;

  it('is a Standard state machine written in JSONPath only, logged and traced', () => {
    const props = s.at('Verification/StateMachine/Resource').Properties;
    expect(props?.StateMachineType).toBe('STANDARD');
    expect(props?.TracingConfiguration).toEqual({ Enabled: true });
    expect(props?.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    expectJsonPathOnly(verification);
  });

  it('Plan -> ScoreBatches -> Complete -> Done', () => {
    const order: string[] = [];
    let current: string | undefined = verification.StartAt;
    while (current) {
      order.push(current);
      current = state(verification, current).Next;
    }
    expect(order).toEqual([S.plan, S.scoreBatches, S.complete, S.done]);
    expect(state(verification, S.plan).ResultPath).toBe('$.plan');
    expect(state(verification, S.complete).ResultPath).toBe('$.result');
    expect(state(verification, S.done)).toMatchObject({ Type: 'Pass', End: true });
  });

  it('maps over the planned batches, bounded, passing each batch its region codes only', () => {
    const map = state(verification, S.scoreBatches);
    expect(map.Type).toBe('Map');
    expect(map.ItemsPath).toBe('$.plan.batches');
    expect(map.MaxConcurrency).toBe(VERIFICATION_MAP.maxConcurrency);
    expect(map.ItemSelector).toEqual({
      'cycleId.$': '$.cycleId',
      'phase.$': '$.phase',
      'kodes.$': '$$.Map.Item.Value.kodes',
    });
    expect(map.ResultPath).toBeNull();
    const processor = map.ItemProcessor as { StartAt: string; States: Record<string, AslState> };
    expect(processor.StartAt).toBe(S.scoreBatch);
    expectTransientRetry(state(processor, S.scoreBatch));
  });

  it('retries transient errors on every task and invokes the house functions directly', () => {
    for (const name of [S.plan, S.complete]) {
      expectTransientRetry(state(verification, name));
      expect(state(verification, name).Resource).toMatch(
        /^@GetAtt\(VerificationPlan|^@GetAtt\(VerificationComplete/,
      );
    }
  });
});
