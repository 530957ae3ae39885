import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataLayout } from '#local/config';
import { isJsonObject, type Json } from '#local/json';
import { startTestRuntime, type TestRuntime } from './support';

/** What the national machine's status-change rule delivered to cycle-transition. */
const received: Json[] = [];
let release: (() => void) | undefined;
const handlers = {
  'functions/cycle-transition.ts': (event: Json) => {
    received.push(event);
    return { results: [] };
  },
  // Holds the run in FreezeManifest until released (a run in progress).
  'functions/freeze-manifest.ts': () =>
    new Promise((resolve) => {
      release = () => resolve({ manifestKey: 'runs/x/manifest.json', regionCount: 0 });
    }),
  'functions/validate-submission.ts': () => ({ valid: false }),
};

const detailOf = (event: Json | undefined) => {
  if (!isJsonObject(event) || !isJsonObject(event.detail)) throw new Error('not an event');
  return event.detail;
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-sfn-events-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Step Functions execution status changes on the local event bus', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime(handlers, join(dir, 'a'));
  });
  afterAll(async () => {
    release?.();
    await t?.stop();
  });
  const arnOf = (prefix: string) =>
    t.runtime.template.stateMachines().find((m) => m.logicalId.startsWith(prefix))?.arn ?? '';

  it('delivers a stopped national execution (ABORTED) to cycle-transition, as the rule on AWS does', async () => {
    received.length = 0;
    const { executionArn } = t.runtime.stepFunctions.startExecution({
      stateMachineArn: arnOf('National'),
      name: 'iid-x-r1',
      input: '{"cycleId":"iid-x","trigger":"calendar"}',
    });
    await t.runtime.stepFunctions.stopExecution(executionArn);
    await t.runtime.idle();
    expect(received).toHaveLength(1);
    const event = received[0];
    expect(event).toMatchObject({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      resources: [executionArn],
    });
    expect(detailOf(event)).toMatchObject({
      executionArn,
      stateMachineArn: arnOf('National'),
      name: 'iid-x-r1',
      status: 'ABORTED',
      input: '{"cycleId":"iid-x","trigger":"calendar"}',
    });
  });

  it('delivers nothing for the submission machine nor for RUNNING or SUCCEEDED (the rule pattern)', async () => {
    received.length = 0;
    const submission = t.runtime.stepFunctions.startExecution({
      stateMachineArn: arnOf('Submissions'),
      name: 's-1',
      input: '{}',
    });
    await t.runtime.stepFunctions.stopExecution(submission.executionArn);
    await t.runtime.idle();
    expect(received).toEqual([]);
  });
});

describe('a runtime restarted after a kill settles the executions the previous one left running', () => {
  it('marks them ABORTED in its store and sends their status-change events once', async () => {
    const data = join(dir, 'b');
    const layout = dataLayout(data);
    // What a killed process leaves: the execution store says RUNNING (no stop, no event sent).
    const first = await startTestRuntime(handlers, data);
    const national = first.runtime.template.stateMachines().find((m) => m.logicalId.startsWith('National'));
    await first.stop();
    const running = {
      executionArn: `${national?.arn.replace(':stateMachine:', ':execution:')}:iid-y-r1`,
      stateMachineArn: national?.arn,
      name: 'iid-y-r1',
      status: 'RUNNING',
      startDate: Date.now() - 60_000,
      input: '{"cycleId":"iid-y","trigger":"calendar"}',
    };
    const stored = JSON.parse(await readFile(layout.executions, 'utf8').catch(() => '[]')) as unknown[];
    await mkdir(join(data, 'stepfunctions'), { recursive: true });
    await writeFile(layout.executions, JSON.stringify([...stored, running]));

    received.length = 0;
    const second = await startTestRuntime(handlers, data);
    try {
      await second.runtime.idle();
      expect(second.runtime.stepFunctions.describeExecution(running.executionArn)).toMatchObject({
        status: 'ABORTED',
        error: 'Local.RuntimeStopped',
        notified: true,
      });
      expect(received.map((e) => detailOf(e))).toEqual([
        expect.objectContaining({ name: 'iid-y-r1', status: 'ABORTED', error: 'Local.RuntimeStopped' }),
      ]);
    } finally {
      await second.stop();
    }
    // Delivered once: a third start sends nothing again.
    received.length = 0;
    const third = await startTestRuntime(handlers, data);
    await third.runtime.idle();
    await third.stop();
    expect(received).toEqual([]);
  });
});
