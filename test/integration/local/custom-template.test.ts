import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '#local/json';
import { startTestRuntime, type TestRuntime } from './support';

/** A CloudFormation `Fn::Sub` variable reference. */
const sub = (name: string) => ['$', '{', name, '}'].join('');

// A template of our own (placeholder-independent): a Distributed Map with every part the local
// rewrite handles: ItemReader from S3, ItemBatcher with a path in BatchInput, ResultWriter, and a
// tolerated failure percentage.
const definition = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: sub('Bucket'), 'Key.$': '$.key' },
      },
      ItemBatcher: { MaxItemsPerBatch: 4, BatchInput: { 'cycle.$': '$.cycleId', fixed: 'x' } },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Work',
        States: { Work: { Type: 'Task', Resource: sub('WorkerArn'), End: true } },
      },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: sub('Bucket'), Prefix: 'results' },
      },
      ToleratedFailurePercentage: 50,
      MaxConcurrency: 2,
      ResultPath: '$.map',
      End: true,
    },
  },
};
// The optimized Lambda integration: the state gets Invoke's response, selected from $.Payload.
const invokeDefinition = {
  StartAt: 'Sum',
  States: {
    Sum: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: sub('WorkerArn'), Payload: { 'Items.$': '$.items', BatchInput: {} } },
      ResultSelector: { 'sum.$': '$.Payload.sum', 'status.$': '$.StatusCode' },
      ResultPath: '$.result',
      Next: 'Slow',
    },
    Slow: {
      Type: 'Task',
      Resource: sub('SlowArn'),
      Catch: [{ ErrorEquals: ['Sandbox.Timedout'], ResultPath: '$.timeout', Next: 'Done' }],
      End: true,
    },
    Done: { Type: 'Succeed' },
  },
};
const arns = { WorkerArn: { 'Fn::GetAtt': ['Worker', 'Arn'] }, SlowArn: { 'Fn::GetAtt': ['Slow', 'Arn'] } };

const template = {
  Resources: {
    Slow: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'indeks:entry': 'functions/test-slow.ts' },
      Properties: { Timeout: 1 },
    },
    InvokeMachine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { DefinitionString: { 'Fn::Sub': [JSON.stringify(invokeDefinition), arns] } },
    },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    Worker: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'indeks:entry': 'functions/test-worker.ts' },
      Properties: { Timeout: 5, Environment: { Variables: { BUCKET: { Ref: 'Bucket' } } } },
    },
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Sub': [
            JSON.stringify(definition),
            { Bucket: { Ref: 'Bucket' }, WorkerArn: { 'Fn::GetAtt': ['Worker', 'Arn'] } },
          ],
        },
      },
    },
  },
};

let t: TestRuntime;
let s3: S3Client;
const batches: JsonObject[] = [];
let failOn = new Set<number>();

beforeAll(async () => {
  t = await startTestRuntime(
    {
      'functions/test-worker.ts': (event) => {
        const batch = event as { Items: number[]; BatchInput: Json };
        batches.push(event as JsonObject);
        if (batch.Items.some((i) => failOn.has(i)))
          throw Object.assign(new Error('bad item'), { name: 'BadItem' });
        return { sum: batch.Items.reduce((a, b) => a + b, 0), bucket: process.env.BUCKET ?? null };
      },
      'functions/test-slow.ts': () => new Promise((resolve) => setTimeout(resolve, 1500)),
    },
    undefined,
    { stackName: 'MapTest', template },
  );
  s3 = new S3Client({});
});
afterAll(async () => {
  s3?.destroy();
  await t?.stop();
});

async function run(name: string, items: number[]) {
  const bucket = t.runtime.template.buckets()[0]?.name ?? '';
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: `items/${name}.json`, Body: JSON.stringify(items) }),
  );
  const machine = t.runtime.template.stateMachines().find((m) => m.logicalId === 'Machine');
  const { executionArn } = t.runtime.stepFunctions.startExecution({
    stateMachineArn: machine?.arn,
    name,
    input: JSON.stringify({ key: `items/${name}.json`, cycleId: 'c9' }),
  });
  return { bucket, done: await t.runtime.stepFunctions.waitFor(executionArn) };
}

const read = async (bucket: string, key: string) =>
  JSON.parse(
    (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ??
      'null',
  );

describe('Distributed Map (local rewrite)', () => {
  it('batches like ItemBatcher, evaluates BatchInput paths, tolerates failures and writes results like ResultWriter', async () => {
    batches.length = 0;
    failOn = new Set([9]);
    const { bucket, done } = await run('ok', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(done.status, done.cause).toBe('SUCCEEDED');
    expect(batches.map((b) => (b.Items as number[]).length).sort()).toEqual([2, 4, 4]);
    for (const b of batches) expect(b.BatchInput).toEqual({ cycle: 'c9', fixed: 'x' });

    const output = JSON.parse(done.output ?? '{}');
    expect(output.map.MapRunArn).toMatch(/:mapRun:Machine\/Fan:/);
    expect(output.map.ResultWriterDetails).toMatchObject({
      Bucket: bucket,
      Key: expect.stringMatching(/^results\/.+\/manifest\.json$/),
    });
    const manifest = await read(bucket, output.map.ResultWriterDetails.Key);
    expect(manifest.ResultFiles.SUCCEEDED).toHaveLength(1);
    expect(manifest.ResultFiles.FAILED).toHaveLength(1);
    const succeeded = await read(bucket, manifest.ResultFiles.SUCCEEDED[0].Key);
    expect(
      succeeded
        .map((r: { Output: string }) => JSON.parse(r.Output).sum)
        .sort((a: number, b: number) => a - b),
    ).toEqual([10, 26]);
    expect(succeeded[0]).toMatchObject({ Status: 'SUCCEEDED', InputDetails: { Included: true } });
    expect(JSON.parse(succeeded[0].Output).bucket).toBe(bucket);
    const failed = await read(bucket, manifest.ResultFiles.FAILED[0].Key);
    expect(failed[0]).toMatchObject({ Status: 'FAILED', Error: 'BadItem' });
  });

  it('fails the state with States.ExceedToleratedFailureThreshold beyond the tolerated percentage', async () => {
    failOn = new Set([1, 5]);
    const { done } = await run('too-many', [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('States.ExceedToleratedFailureThreshold');
  });
});

describe('Lambda task styles', () => {
  it('mimics the lambda:invoke response (Payload, StatusCode) and surfaces a function timeout as Sandbox.Timedout', async () => {
    failOn = new Set();
    const machine = t.runtime.template.stateMachines().find((m) => m.logicalId === 'InvokeMachine');
    const { executionArn } = t.runtime.stepFunctions.startExecution({
      stateMachineArn: machine?.arn,
      name: 'invoke-1',
      input: '{"items":[1,2,3]}',
    });
    const done = await t.runtime.stepFunctions.waitFor(executionArn);
    expect(done.status, done.cause).toBe('SUCCEEDED');
    const output = JSON.parse(done.output ?? '{}');
    expect(output.result).toEqual({ sum: 6, status: 200 });
    expect(output.timeout.Error).toBe('Sandbox.Timedout');
    expect(JSON.parse(output.timeout.Cause)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 1.00 seconds',
    });
  });
});
