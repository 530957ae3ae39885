import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Json } from '#local/json';
import { eventually, startTestRuntime, type TestRuntime } from './support';

interface ObjectCreated {
  source: string;
  'detail-type': string;
  account: string;
  region: string;
  resources: string[];
  detail: { bucket: { name: string }; object: { key: string; size: number; etag?: string }; reason: string };
}

let t: TestRuntime;
let s3: S3Client;
let uploads = '';
let accessLogs = '';
const received: ObjectCreated[] = [];
let failuresLeft = 0;
let alwaysFail = false;

beforeAll(async () => {
  t = await startTestRuntime({
    'functions/ingest-upload.ts': async (event: Json) => {
      received.push(event as unknown as ObjectCreated);
      if (alwaysFail || failuresLeft > 0) {
        failuresLeft -= 1;
        throw Object.assign(new Error('DynamoDB sedang sibuk / busy'), { name: 'TransientError' });
      }
      // What the real ingest does next: start the pipeline through the SDK, configured only by
      // the endpoint variables and the function's own SUBMISSION_STATE_MACHINE_ARN.
      const key = (event as unknown as ObjectCreated).detail.object.key;
      const sfn = new SFNClient({});
      const started = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: process.env.SUBMISSION_STATE_MACHINE_ARN,
          name: key.replace(/[^A-Za-z0-9-_]/g, '_').slice(-80),
          input: JSON.stringify({ key }),
        }),
      );
      sfn.destroy();
      return { executionArn: started.executionArn };
    },
    'functions/validate-submission.ts': () => ({ valid: false }),
  });
  s3 = new S3Client({});
  uploads = t.runtime.template.buckets().find((b) => b.logicalId.includes('Uploads'))?.name ?? '';
  accessLogs = t.runtime.template.buckets().find((b) => b.logicalId.includes('AccessLogs'))?.name ?? '';
});
afterAll(async () => {
  s3?.destroy();
  await t?.stop();
});
beforeEach(() => {
  received.length = 0;
  failuresLeft = 0;
  alwaysFail = false;
});

describe('S3 Object Created → EventBridge rule → ingest-upload', () => {
  it('delivers an EventBridge-shaped event for a key under the rule prefix, and the handler starts the pipeline', async () => {
    const key = 'submissions/c1/18.01/u-1/data.json';
    await s3.send(
      new PutObjectCommand({ Bucket: uploads, Key: key, Body: '{"a":1}', ContentType: 'application/json' }),
    );
    const event = await eventually(() => received[0]);
    expect(event).toMatchObject({
      source: 'aws.s3',
      'detail-type': 'Object Created',
      account: t.runtime.template.accountId,
      region: t.runtime.template.region,
      resources: [`arn:aws:s3:::${uploads}`],
      detail: { bucket: { name: uploads }, object: { key, size: 7 }, reason: 'PutObject' },
    });
    expect(event.detail.object.etag).toMatch(/^[0-9a-f]{32}$/);
    await t.runtime.idle();
    const [execution] = t.runtime.stepFunctions.listExecutions(
      t.runtime.template.stateMachines().find((m) => m.logicalId.startsWith('Submissions'))?.arn,
    );
    expect(execution?.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution?.input ?? '{}')).toEqual({ key });
  });

  it('filters by the rule pattern: other prefixes and buckets without EventBridge are not delivered', async () => {
    await s3.send(new PutObjectCommand({ Bucket: uploads, Key: 'reports/c1/report.json', Body: '{}' }));
    await s3.send(
      new PutObjectCommand({ Bucket: accessLogs, Key: 'submissions/not-an-upload.log', Body: 'x' }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: uploads, Key: 'submissions/c1/18.01/u-2/data.csv', Body: 'a,b' }),
    );
    await eventually(() => received[0]);
    await t.runtime.idle();
    expect(received.map((e) => e.detail.object.key)).toEqual(['submissions/c1/18.01/u-2/data.csv']);
  });

  it('delivers browser uploads made with a presigned POST (reason POST Object)', async () => {
    const key = 'submissions/c1/18.01/u-3/data.json';
    const post = await createPresignedPost(s3, {
      Bucket: uploads,
      Key: key,
      Fields: { 'Content-Type': 'application/json' },
      Expires: 60,
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob(['{"b":2}'], { type: 'application/json' }));
    const response = await fetch(post.url, { method: 'POST', body: form });
    expect(response.status).toBeLessThan(300);
    const event = await eventually(() => received[0]);
    expect(event.detail).toMatchObject({ object: { key }, reason: 'POST Object' });
  });

  it('retries a failing target (the function’s async retries) and dead-letters after the last one', async () => {
    failuresLeft = 1;
    await s3.send(
      new PutObjectCommand({ Bucket: uploads, Key: 'submissions/c1/18.01/u-4/data.json', Body: '{}' }),
    );
    await eventually(() => received[1]);
    await t.runtime.idle();
    expect(received).toHaveLength(2);
    expect(t.runtime.lambda.deadLetters).toHaveLength(0);

    alwaysFail = true;
    received.length = 0;
    await s3.send(
      new PutObjectCommand({ Bucket: uploads, Key: 'submissions/c1/18.01/u-5/data.json', Body: '{}' }),
    );
    await eventually(() => received[0]);
    await t.runtime.idle();
    const ingest = t.runtime.template.functions().find((f) => f.entry === 'functions/ingest-upload.ts');
    expect(received).toHaveLength(1 + (ingest?.async.maximumRetryAttempts ?? 0));
    expect(t.runtime.lambda.deadLetters).toHaveLength(1);
    expect(t.runtime.lambda.deadLetters[0]).toMatchObject({
      destination: ingest?.async.onFailure,
      error: { errorType: 'TransientError' },
      event: { detail: { object: { key: 'submissions/c1/18.01/u-5/data.json' } } },
    });
    const file = await readFile(join(t.dataDir, 'dead-letters.jsonl'), 'utf8');
    expect(file.trim().split('\n')).toHaveLength(1);
  });
});
