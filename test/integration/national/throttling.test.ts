import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUploads } from '#cli/demo/generate';
import type { NationalRegionResult } from '#functions/lib/national/contracts';
import { TRANSIENT_ERRORS, TRANSIENT_MAX_RETRIES } from '#infra/constructs/retry';
import {
  type NationalHarness,
  regionResultsOf,
  runPipeline,
  seedAccepted,
  seedCycle,
  startNationalHarness,
} from './harness';

/**
 * Issue 9 §5: DynamoDB throttles with HTTP 400 and S3 with 503 `SlowDown`. Every national task
 * must turn either into `TransientError`, which the state machine's Retry matches, so a throttled
 * run completes with exactly the results of an unthrottled one.
 */
const CYCLE = 'ikkd-2020';
const lampung = demoUploads({ methodology: 'ikkd-2020', period: 2020, seed: 11, allValid: true }).filter(
  (u) => u.region.provinsi === '18',
);

let h: NationalHarness;
beforeAll(async () => {
  h = await startNationalHarness({}, 'indeks-throttled');
  await seedCycle(h, CYCLE, 'ikkd-2020');
  for (const u of lampung) await seedAccepted(h, CYCLE, u.region.kode, JSON.parse(u.body));
  await h.table.repos.cycles.transition(CYCLE, 'OPEN');
  await h.table.repos.cycles.transition(CYCLE, 'CLOSED');
  await h.table.repos.cycles.transition(CYCLE, 'ASSESSING', { currentRunId: `${CYCLE}-r1` });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const comparable = ({ runId: _r, traceKey: _t, ...rest }: NationalRegionResult) => rest;

const dynamoThrottled = () =>
  new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded.',
    $metadata: { httpStatusCode: 400 },
  });
const s3SlowDown = () =>
  new S3ServiceException({
    name: 'SlowDown',
    $fault: 'server',
    message: 'Please reduce your request rate.',
    $metadata: { httpStatusCode: 503 },
  });

/**
 * Passes every call through to the emulators, except that the 1st and the 25th call of each
 * command (GetCommand, BatchWriteCommand, PutObjectCommand, …) are throttled: each kind of call
 * the national tasks make is throttled once at its start and once in the middle of a loop.
 */
function injectThrottling(
  client: typeof DynamoDBDocumentClient | typeof S3Client,
  error: () => Error,
  injected: string[],
): { restore(): void } {
  type Send = (this: unknown, command: { constructor: { name: string } }) => Promise<unknown>;
  const realSend = client.prototype.send as unknown as Send;
  const stub = client === S3Client ? mockClient(S3Client) : mockClient(DynamoDBDocumentClient);
  const seen = new Map<string, number>();
  const fake: Send = function (command) {
    const name = command.constructor.name;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n === 1 || n === 25) {
      injected.push(name);
      return Promise.reject(error());
    }
    return realSend.call(this, command);
  };
  // The sinon stub behind mockClient, so the real `send` runs with the client it was called on.
  (stub.send as unknown as { callsFake(fn: Send): unknown }).callsFake(fake);
  return stub;
}

describe('a national run under throttling', () => {
  it('completes, retried by the Retry the state machine declares, with the unthrottled results', async () => {
    const calm = await runPipeline(h, {
      cycleId: CYCLE,
      runId: `${CYCLE}-r1`,
      startedAt: '2026-04-02T01:00:05+07:00',
    });
    expect(calm.publish.status).toBe('PROVISIONAL');

    const runId = `${CYCLE}-r2`;
    await h.table.repos.cycles.transition(CYCLE, 'ASSESSING', { from: ['ASSESSED'], currentRunId: runId });
    const injected: string[] = [];
    const retried: string[] = [];
    const stubs = [
      injectThrottling(DynamoDBDocumentClient, dynamoThrottled, injected),
      injectThrottling(S3Client, s3SlowDown, injected),
    ];
    let throttled: Awaited<ReturnType<typeof runPipeline>>;
    try {
      throttled = await runPipeline(
        h,
        { cycleId: CYCLE, runId, startedAt: '2026-04-04T09:00:00+07:00', trigger: 'manual' },
        {
          retry: {
            errors: TRANSIENT_ERRORS,
            maxAttempts: 1 + TRANSIENT_MAX_RETRIES,
            onRetry: (e) => retried.push(`${e.name}: ${e.message}`),
          },
        },
      );
    } finally {
      for (const s of stubs) s.restore();
    }

    // Throttling was injected into both DynamoDB and S3, and every one was retried as TransientError.
    expect(injected).toEqual(expect.arrayContaining(['GetCommand', 'GetObjectCommand', 'PutObjectCommand']));
    expect(injected.length).toBeGreaterThanOrEqual(6);
    // Each retry re-runs a whole task; regions of a batch load five at a time, so two errors injected
    // into one attempt of a batch are one retry. Never more retries than injected errors.
    expect(retried.length).toBeGreaterThanOrEqual(6);
    expect(retried.length).toBeLessThanOrEqual(injected.length);
    expect(retried.every((r) => r.startsWith('TransientError: '))).toBe(true);
    expect(retried.some((r) => r.includes('ProvisionedThroughputExceededException'))).toBe(true);
    expect(retried.some((r) => r.includes('SlowDown'))).toBe(true);

    expect(throttled.publish.status).toBe('PROVISIONAL');
    expect(throttled.aggregate.counts).toEqual(calm.aggregate.counts);
    const [first, second] = await Promise.all([regionResultsOf(h, `${CYCLE}-r1`), regionResultsOf(h, runId)]);
    expect(second.map(comparable)).toEqual(first.map(comparable));
  }, 120_000);
});
