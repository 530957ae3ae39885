import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowMs } from '#adapters/clock';
import type { Json } from '#local/json';
import { localClient } from '#local/storage/dynamo';
import { startTestRuntime, type TestRuntime } from './support';

type Probe = (event: Json) => unknown;
const probes: Record<string, Probe> = {};
const calls: Record<string, Json[]> = {};
/** Each entry's handler is whatever the current test puts in `probes`. */
const entry = (name: string) => (event: Json) => {
  const key = `functions/${name}.ts`;
  calls[key] = [...(calls[key] ?? []), event];
  const probe = probes[key];
  if (!probe) throw new Error(`no probe for ${key}`);
  return probe(event);
};
const ENTRIES = [
  'validate-submission',
  'score-submission',
  'record-submission-failure',
  'freeze-manifest',
  'revalidate-region-batch',
  'aggregate-run',
  'mark-run-provisional',
];

let t: TestRuntime;
let sfn: SFNClient;
const arnOf = (prefix: string) => {
  const machine = t.runtime.template.stateMachines().find((m) => m.logicalId.startsWith(prefix));
  if (!machine) throw new Error(`no ${prefix} state machine`);
  return machine.arn;
};
const fail = (name: string, message: string) => Object.assign(new Error(message), { name });

beforeAll(async () => {
  t = await startTestRuntime(Object.fromEntries(ENTRIES.map((e) => [`functions/${e}.ts`, entry(e)])));
  // The real SDK client, configured only by the endpoint variables the runtime set.
  sfn = new SFNClient({});
});
afterAll(async () => {
  sfn?.destroy();
  await t?.stop();
});

describe('local Step Functions API', () => {
  it('StartExecution is idempotent by name while running, refuses another input or a closed name', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    probes['functions/validate-submission.ts'] = async () => {
      await gate;
      return { valid: true };
    };
    probes['functions/score-submission.ts'] = () => ({ index: 42 });
    const stateMachineArn = arnOf('Submissions');
    const input = JSON.stringify({ submissionId: 's-1' });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'upload-1', input }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'upload-1', input }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn,
          name: 'upload-1',
          input: JSON.stringify({ submissionId: 'other' }),
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    release();
    const done = await t.runtime.stepFunctions.waitFor(first.executionArn ?? '');
    expect(done.status).toBe('SUCCEEDED');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({
      submissionId: 's-1',
      validation: { valid: true },
      score: { index: 42 },
    });
    // AWS: once closed, the name stays taken whatever the input.
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'upload-1', input })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(listed.executions?.map((e) => e.name)).toContain('upload-1');
  });

  it('rejects an unknown state machine and invalid input like AWS', async () => {
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${arnOf('Submissions')}-nope`, input: '{}' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Submissions'), input: '{oops' })),
    ).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
  });
});

describe('submission pipeline with probe handlers', () => {
  it('retries a TransientError (the Lambda error name) and follows the Choice', async () => {
    let attempts = 0;
    probes['functions/validate-submission.ts'] = () => {
      attempts += 1;
      if (attempts === 1) throw fail('TransientError', 'dependency hiccup');
      return { valid: false };
    };
    const { executionArn } = t.runtime.stepFunctions.startExecution({
      stateMachineArn: arnOf('Submissions'),
      name: 'retry-1',
      input: '{}',
    });
    const done = await t.runtime.stepFunctions.waitFor(executionArn);
    expect(attempts).toBe(2);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({ validation: { valid: false } });
  });

  it('catches a handler error by name, with Lambda’s error payload as Cause, and records the failure', async () => {
    probes['functions/validate-submission.ts'] = () => {
      throw fail('UnreadableFile', 'berkas rusak / corrupt file');
    };
    let recorded: Json = null;
    probes['functions/record-submission-failure.ts'] = (event) => {
      recorded = event;
      return { recorded: true };
    };
    const { executionArn } = t.runtime.stepFunctions.startExecution({
      stateMachineArn: arnOf('Submissions'),
      name: 'catch-1',
      input: JSON.stringify({ submissionId: 's-2' }),
    });
    const done = await t.runtime.stepFunctions.waitFor(executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('SubmissionFailed');
    expect(recorded).toMatchObject({ submissionId: 's-2', error: { Error: 'UnreadableFile' } });
    const cause = JSON.parse((recorded as unknown as { error: { Cause: string } }).error.Cause);
    expect(cause).toMatchObject({ errorType: 'UnreadableFile', errorMessage: 'berkas rusak / corrupt file' });
    expect(Array.isArray(cause.trace)).toBe(true);
  });
});

describe('national pipeline: Distributed Map rewritten for local runs', () => {
  it('reads the manifest from S3, batches 25 per child, runs every child and continues', async () => {
    const manifestKey = 'runs/c1/run-1/manifest.json';
    const regions = Array.from({ length: 60 }, (_, i) => ({ kode: `18.${String(i + 1).padStart(2, '0')}` }));
    probes['functions/freeze-manifest.ts'] = async () => {
      // Inside the handler: its own UPLOAD_BUCKET and the SDK's standard endpoint variables.
      const s3 = new S3Client({});
      await s3.send(
        new PutObjectCommand({
          Bucket: process.env.UPLOAD_BUCKET,
          Key: manifestKey,
          Body: JSON.stringify(regions),
        }),
      );
      s3.destroy();
      return { manifestKey, regions: regions.length };
    };
    probes['functions/revalidate-region-batch.ts'] = (event) => {
      const items = (event as { Items: Json[] }).Items;
      return { scored: items.length };
    };
    probes['functions/aggregate-run.ts'] = () => ({ ranked: 60 });
    probes['functions/mark-run-provisional.ts'] = () => ({ status: 'PROVISIONAL' });
    calls['functions/revalidate-region-batch.ts'] = [];

    const { executionArn } = t.runtime.stepFunctions.startExecution({
      stateMachineArn: arnOf('National'),
      name: 'run-1',
      input: '{"cycleId":"c1"}',
    });
    const done = await t.runtime.stepFunctions.waitFor(executionArn);
    expect(done.status, done.cause).toBe('SUCCEEDED');
    const batches = (calls['functions/revalidate-region-batch.ts'] ?? []) as {
      Items: { kode: string }[];
      BatchInput?: Json;
    }[];
    expect(batches.map((b) => b.Items.length).sort()).toEqual([10, 25, 25]);
    expect(batches.flatMap((b) => b.Items.map((i) => i.kode)).sort()).toEqual(regions.map((r) => r.kode));
    for (const batch of batches)
      expect(batch.BatchInput).toEqual({ cycleId: 'c1', runId: 'run-1', manifestKey });
    // ResultWriter: the map run's results land under the template's prefix, not in the state.
    const s3 = new S3Client({});
    const written = await s3.send(
      new ListObjectsV2Command({
        Bucket: t.runtime.template.buckets().find((b) => b.logicalId.includes('Uploads'))?.name,
        Prefix: 'runs/map-results/',
      }),
    );
    s3.destroy();
    expect(written.Contents?.map((o) => o.Key?.split('/').pop()).sort()).toEqual([
      'SUCCEEDED_0.json',
      'manifest.json',
    ]);
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({
      cycleId: 'c1',
      runId: 'run-1',
      status: 'PROVISIONAL',
    });
  });

  it('gives $$.Execution.StartTime on the product clock, also after the clock moved days ahead', async () => {
    await t.runtime.advanceClock('P3D');
    let seen: { run?: { startedAt?: string } } | undefined;
    probes['functions/freeze-manifest.ts'] = (event) => {
      seen = event as typeof seen;
      throw fail('ManifestUnavailable', 'only the start time is looked at');
    };
    const before = nowMs();
    const { executionArn } = t.runtime.stepFunctions.startExecution({
      stateMachineArn: arnOf('National'),
      name: 'run-start-time',
      input: '{"cycleId":"c-start"}',
    });
    await t.runtime.stepFunctions.waitFor(executionArn);
    const started = Date.parse(seen?.run?.startedAt ?? '');
    // The library itself stamps the real time; the run record must carry the product's.
    expect(started).toBeGreaterThanOrEqual(before - 1000);
    expect(started).toBeLessThanOrEqual(nowMs());
    expect(started - Date.now()).toBeGreaterThan(2 * 86_400_000);
  });

  it('marks the run FAILED through the DynamoDB updateItem task when a step fails', async () => {
    const table = t.runtime.template.tables()[0]?.name ?? '';
    const dynamo = localClient(Number(new URL(t.runtime.urls.dynamodb).port), t.runtime.template.region);
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: 'CYCLE#c2' }, sk: { S: 'RUN#run-2' }, status: { S: 'RUNNING' }, history: { L: [] } },
      }),
    );
    probes['functions/freeze-manifest.ts'] = () => {
      throw fail('ManifestError', 'no accepted submissions');
    };
    const { executionArn } = t.runtime.stepFunctions.startExecution({
      stateMachineArn: arnOf('National'),
      name: 'run-2',
      input: '{"cycleId":"c2"}',
    });
    const done = await t.runtime.stepFunctions.waitFor(executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('NationalRunFailed');
    const { Item } = await dynamo.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'CYCLE#c2' }, sk: { S: 'RUN#run-2' } } }),
    );
    expect(Item?.status?.S).toBe('FAILED');
    expect(Item?.gsi2pk?.S).toBe('CYCLE#c2#RUNS#FAILED');
    expect(Item?.failure?.M?.error?.S).toBe('ManifestError');
    expect(Item?.history?.L?.[0]?.M?.reason?.S).toBe('ManifestError');
    expect(Date.parse(Item?.completedAt?.S ?? '')).not.toBeNaN();
    dynamo.destroy();
  });
});
