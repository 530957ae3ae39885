import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { lambdaHandler, logger, observability, operatorMetrics, traced } from '#adapters/observability';
import { problemResponse } from '#http/api';
import { installEnvOverlay, withEnv } from '#local/env';
import { consoleJson, emfOf } from '../../support/console-json';

const context = {
  functionName: 'indeks-AggregateRun',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-3:000000000000:function:indeks-AggregateRun',
  memoryLimitInMB: '1024',
  awsRequestId: 'req-1',
} as Context;

describe('operator metrics (EMF)', () => {
  afterAll(() => vi.unstubAllEnvs());

  it('writes one EMF document per metric: namespace Indeks, dimensions service and cycle', async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'indeks-ValidateSubmission');
    const lines = await consoleJson(() => {
      operatorMetrics.submission('iid-2026', 'accepted');
      operatorMetrics.submission('iid-2026', 'rejected');
      operatorMetrics.submission('ikkd-2026', 'late');
      operatorMetrics.validationTime('iid-2026', 812.5);
      operatorMetrics.nationalRunDuration('iid-2026', 95_000);
      operatorMetrics.regionsFailed('iid-2026', 3);
    });
    const emf = emfOf(lines);
    expect(emf).toHaveLength(6);
    const expected: [string, string, string, number][] = [
      ['SubmissionsAccepted', 'Count', 'iid-2026', 1],
      ['SubmissionsRejected', 'Count', 'iid-2026', 1],
      ['SubmissionsLate', 'Count', 'ikkd-2026', 1],
      ['ValidationTime', 'Milliseconds', 'iid-2026', 812.5],
      ['NationalRunDuration', 'Milliseconds', 'iid-2026', 95_000],
      ['RegionsFailed', 'Count', 'iid-2026', 3],
    ];
    expected.forEach(([name, unit, cycle, value], i) => {
      expect(emf[i]).toEqual({
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Indeks',
              Dimensions: [['service', 'cycle']],
              Metrics: [{ Name: name, Unit: unit }],
            },
          ],
        },
        service: 'indeks-ValidateSubmission',
        cycle,
        [name]: value,
      });
    });
  });
});

describe('one logger per function, even in one process (local runtime)', () => {
  it('a shared module logs under the name of the function invoking it, not the first importer', async () => {
    const uninstall = installEnvOverlay();
    try {
      const asFunction = (service: string) =>
        withEnv({ POWERTOOLS_SERVICE_NAME: service, POWERTOOLS_LOG_LEVEL: 'INFO' }, () =>
          problemResponse(new Error('boom')),
        );
      const lines = await consoleJson(() => {
        asFunction('indeks-ApiCycles');
        asFunction('indeks-AggregateRun');
        asFunction('indeks-ApiCycles');
      });
      expect(lines.map((l) => [l.service, l.message])).toEqual([
        ['indeks-ApiCycles', 'unhandled error'],
        ['indeks-AggregateRun', 'unhandled error'],
        ['indeks-ApiCycles', 'unhandled error'],
      ]);
      // The same instances serve the same function again (on Lambda: one per container).
      const first = withEnv({ POWERTOOLS_SERVICE_NAME: 'indeks-ApiCycles' }, observability);
      const again = withEnv({ POWERTOOLS_SERVICE_NAME: 'indeks-ApiCycles' }, observability);
      expect(again).toBe(first);
    } finally {
      uninstall();
    }
  });

  it('a task handler logs with the Lambda context (request id, function name)', async () => {
    const uninstall = installEnvOverlay();
    try {
      const handler = lambdaHandler(async (event: { n: number }) => {
        logger().info('task ran', { n: event.n });
        return event.n + 1;
      });
      let result: number | undefined;
      const lines = await consoleJson(() =>
        withEnv({ POWERTOOLS_SERVICE_NAME: 'indeks-Task', POWERTOOLS_LOG_LEVEL: 'INFO' }, async () => {
          result = await handler({ n: 41 }, context);
        }),
      );
      expect(result).toBe(42);
      expect(lines).toEqual([
        expect.objectContaining({
          message: 'task ran',
          service: 'indeks-Task',
          function_name: 'indeks-AggregateRun',
          function_request_id: 'req-1',
          n: 41,
        }),
      ]);
      // Without a Lambda context (a direct call), it is the plain handler.
      expect(await handler({ n: 1 })).toBe(2);
    } finally {
      uninstall();
    }
  });
});

describe('tracer', () => {
  it('is off outside Lambda, and tracing a client leaves it as it was', () => {
    const client = new S3Client({ region: 'ap-southeast-3' });
    expect(observability().tracer.isTracingEnabled()).toBe(false);
    expect(traced(client)).toBe(client);
    expect(client.middlewareStack.identify().some((m) => m.includes('XRay'))).toBe(false);
  });
});
