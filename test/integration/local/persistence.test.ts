import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime } from '#local/runtime';
import { localClient } from '#local/storage/dynamo';
import { localS3Client } from '#local/storage/s3';
import { recordingLogger } from './support';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-persist-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a restart keeps everything', () => {
  it('keeps DynamoDB items, S3 objects, execution names, the clock and the signing key', async () => {
    const logs: string[] = [];
    const handlers = { 'functions/validate-submission.ts': () => ({ valid: false }) };
    const first = await startRuntime({
      dataDir: dir,
      ports: { api: 0, s3: 0, dynamodb: 0 },
      logger: recordingLogger(logs),
      handlers,
    });
    // Restarted on the same ports: handler modules keep their SDK clients (and endpoints) in-process.
    const ports = {
      api: Number(new URL(first.urls.api).port),
      s3: Number(new URL(first.urls.s3).port),
      dynamodb: Number(new URL(first.urls.dynamodb).port),
      services: Number(new URL(first.urls.services).port),
    };
    const table = first.template.tables()[0]?.name ?? '';
    const bucket = first.template.buckets()[0]?.name ?? '';
    const region = first.template.region;
    let dynamo = localClient(ports.dynamodb, region);
    let s3 = localS3Client(ports.s3, region);
    await dynamo.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: 'P' }, sk: { S: 'S' }, v: { N: '1' } } }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept.txt', Body: 'tetap / kept' }));
    const machine = first.template.stateMachines().find((m) => m.logicalId.startsWith('Submissions'))?.arn;
    const { executionArn } = first.stepFunctions.startExecution({
      stateMachineArn: machine,
      name: 'before-restart',
      input: '{}',
    });
    await first.stepFunctions.waitFor(executionArn);
    await first.advanceClock('PT2H');
    const token = await first.mintToken({ role: 'admin' });
    dynamo.destroy();
    s3.destroy();
    await first.stop();

    const second = await startRuntime({ dataDir: dir, ports, logger: recordingLogger(logs), handlers });
    try {
      dynamo = localClient(ports.dynamodb, region);
      s3 = localS3Client(ports.s3, region);
      const { Item } = await dynamo.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: 'P' }, sk: { S: 'S' } } }),
      );
      expect(Item?.v?.N).toBe('1');
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kept.txt' }));
      expect(await object.Body?.transformToString()).toBe('tetap / kept');
      expect(second.stepFunctions.describeExecution(executionArn).status).toBe('SUCCEEDED');
      expect(() =>
        second.stepFunctions.startExecution({
          stateMachineArn: machine,
          name: 'before-restart',
          input: '{}',
        }),
      ).toThrow(/Execution Already Exists/);
      expect(second.clock.offsetMs).toBeGreaterThanOrEqual(2 * 3_600_000);
      const health = await fetch(`${second.urls.api}/cycles`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(health.status).toBe(200);
      dynamo.destroy();
      s3.destroy();
    } finally {
      await second.stop();
    }
  });
});
