import { describe, expect, it } from 'vitest';
import { LambdaRuntime } from '#local/lambda/invoke';
import { FunctionRegistry } from '#local/lambda/registry';
import type { FunctionSpec } from '#local/template/model';

const spec = (name: string): FunctionSpec => ({
  logicalId: name,
  name,
  arn: `arn:aws:lambda:ap-southeast-3:000000000000:function:${name}`,
  entry: `functions/${name}.ts`,
  path: undefined,
  environment: {},
  timeoutSeconds: 10,
  memorySize: 1024,
  logFormat: undefined,
  logLevel: undefined,
  logGroup: undefined,
  async: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60, onFailure: undefined },
});

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('local Lambda concurrency', () => {
  it('runs at most N invocations of one function at once and queues the rest; other functions are not held up', async () => {
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const slow = async (event: unknown) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
      return event;
    };
    const [validate, other] = [spec('validate'), spec('other')];
    const lambda = new LambdaRuntime({
      projectRoot: process.cwd(),
      registry: new FunctionRegistry([validate, other]),
      region: 'ap-southeast-3',
      logger: quiet,
      overrides: { validate: slow, other: () => 'ok' },
      concurrencyPerFunction: 2,
    });
    const calls = Array.from({ length: 7 }, (_, i) => lambda.invoke(validate, { i }, 'test'));
    const release = async () => {
      // Let queued invocations reach their handler, then open every gate waiting so far.
      await new Promise((r) => setTimeout(r, 20));
      for (const open of gates.splice(0)) open();
    };
    await new Promise((r) => setTimeout(r, 20));
    expect(running).toBe(2);
    // A burst of one function does not block another.
    expect(await lambda.invoke(other, {}, 'test')).toEqual({ ok: true, payload: 'ok' });
    while (
      (await Promise.race([Promise.all(calls).then(() => 'done'), release().then(() => 'more')])) !== 'done'
    );
    expect(most).toBe(2);
    expect((await Promise.all(calls)).map((r) => (r.ok ? r.payload : undefined))).toEqual(
      Array.from({ length: 7 }, (_, i) => ({ i })),
    );
    await lambda.idle();
  });
});
