import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getMethodology } from '#domain/methodology/registry';
import { handler } from '#functions/cycle-transition';
import { CALENDAR, type NationalHarness, startNationalHarness } from './harness';

const MACHINE = 'arn:aws:states:ap-southeast-3:000000000000:stateMachine:National';
const sfn = mockClient(SFNClient);
/** Execution names started; a second start of a name fails as Step Functions does. */
let started: { name: string; input: unknown }[] = [];
let refuse = new Set<string>();
/** Every execution name Step Functions knows (across tests: names stay taken, as in AWS). */
const executions = new Set<string>();
/** How executions ended (DescribeExecution); a started one is RUNNING until set here. */
let ended = new Map<string, { status: 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'SUCCEEDED'; cause?: string }>();

let h: NationalHarness;
beforeAll(async () => {
  h = await startNationalHarness({ NATIONAL_STATE_MACHINE_ARN: MACHINE }, 'indeks-transitions');
});
afterAll(async () => {
  vi.useRealTimers();
  sfn.restore();
  await h?.close();
});
beforeEach(() => {
  started = [];
  refuse = new Set();
  ended = new Map();
  sfn.reset();
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn?: string }) => {
    const name = input.executionArn?.split(':').at(-1) ?? '';
    if (!executions.has(name))
      throw new ExecutionDoesNotExist({ message: `Execution ${name} does not exist`, $metadata: {} });
    const end = ended.get(name);
    return { executionArn: input.executionArn, name, status: end?.status ?? 'RUNNING', cause: end?.cause };
  });
  sfn.on(StartExecutionCommand).callsFake((input: { name?: string; input?: string }) => {
    const name = input.name ?? '';
    if (refuse.has(name)) throw new Error('Step Functions is unavailable');
    if (executions.has(name))
      throw new ExecutionAlreadyExists({ message: `Execution ${name} already exists`, $metadata: {} });
    executions.add(name);
    started.push({ name, input: JSON.parse(input.input ?? '{}') });
    return { executionArn: `${MACHINE.replace('stateMachine', 'execution')}:${name}`, startDate: new Date() };
  });
  vi.useFakeTimers({ toFake: ['Date'] });
});

const m = getMethodology('iid-2023');
async function seed(cycleId: string) {
  if (!m) throw new Error('iid-2023 is not shipped');
  await h.table.repos.cycles.create({
    cycleId,
    index: 'IID',
    period: 2023,
    name: cycleId,
    calendar: CALENDAR,
    methodology: { id: m.id, hash: m.hash },
    nextTransitionAt: CALENDAR.opensAt,
  });
}
const at = (iso: string) => vi.setSystemTime(new Date(iso));
const cycle = async (cycleId: string) => {
  const c = await h.table.repos.cycles.get(cycleId);
  if (!c) throw new Error(`no cycle ${cycleId}`);
  return c;
};

describe('cycle-transition', () => {
  it('does nothing before the window opens, then opens it once however often it fires', async () => {
    await seed('iid-a');
    at('2026-02-28T16:59:00Z');
    expect((await handler({ cycleId: 'iid-a', transition: 'open', source: 'schedule' })).results).toEqual([
      { cycleId: 'iid-a', outcome: 'nothing-due', applied: [], status: 'DRAFT' },
    ]);
    at('2026-02-28T17:00:00Z'); // 2026-03-01 00:00 WIB
    const first = await handler({ cycleId: 'iid-a', transition: 'open', source: 'schedule' });
    expect(first.results[0]).toMatchObject({ outcome: 'advanced', applied: ['OPEN'], status: 'OPEN' });
    const opened = await cycle('iid-a');
    // The next transition (the deadline minute is still open) is indexed for the safety net.
    expect(opened.nextTransitionAt).toBe('2026-03-31T17:00:00.000Z');
    const again = await handler({ source: 'safety-net' });
    expect(again.results).toEqual([]);
    expect((await handler({ cycleId: 'iid-a' })).results[0]?.outcome).toBe('nothing-due');
    expect(await cycle('iid-a')).toEqual(opened);
  });

  it('catches up every due transition and starts the national run once', async () => {
    at('2026-04-01T18:30:00Z'); // after the deadline and the national run time
    const caughtUp = await handler({ source: 'safety-net' });
    expect(caughtUp.results).toEqual([
      {
        cycleId: 'iid-a',
        outcome: 'advanced',
        applied: ['CLOSED', 'ASSESSING'],
        status: 'ASSESSING',
        runId: 'iid-a-r1',
      },
    ]);
    expect(started).toEqual([{ name: 'iid-a-r1', input: { cycleId: 'iid-a', trigger: 'calendar' } }]);
    const c = await cycle('iid-a');
    expect(c.currentRunId).toBe('iid-a-r1');
    expect(c.nextTransitionAt).toBeUndefined();
    expect(c.statusHistory.map((s) => s.status)).toEqual(['DRAFT', 'OPEN', 'CLOSED', 'ASSESSING']);

    // The late one-time schedule and the next safety-net tick change nothing and start nothing.
    await handler({ cycleId: 'iid-a', transition: 'assess', source: 'schedule' });
    await handler({ source: 'safety-net' });
    expect(started).toHaveLength(1);
    expect(sfn.commandCalls(StartExecutionCommand).every((c) => c.args[0].input.name === 'iid-a-r1')).toBe(
      true,
    );
    expect((await cycle('iid-a')).version).toBe(c.version);
  });

  it('two firings at the same moment: one transition, one run', async () => {
    await seed('iid-b');
    at('2026-04-01T18:30:00Z');
    const [a, b] = await Promise.all([
      handler({ cycleId: 'iid-b', transition: 'assess', source: 'schedule' }),
      handler({ source: 'safety-net' }),
    ]);
    expect(started.map((s) => s.name)).toEqual(['iid-b-r1']);
    const c = await cycle('iid-b');
    expect(c.statusHistory.map((s) => s.status)).toEqual(['DRAFT', 'OPEN', 'CLOSED', 'ASSESSING']);
    expect([...(a.results[0]?.applied ?? []), ...(b.results.flatMap((r) => r.applied) ?? [])].sort()).toEqual(
      ['ASSESSING', 'CLOSED', 'OPEN'],
    );
  });

  it('completes a start lost after the status change (the execution name is deterministic)', async () => {
    await seed('iid-c');
    at('2026-04-01T18:30:00Z');
    refuse.add('iid-c-r1');
    await expect(handler({ cycleId: 'iid-c' })).rejects.toThrow('unavailable');
    expect((await cycle('iid-c')).status).toBe('ASSESSING');
    refuse.clear();
    // The Lambda retry (asynchronous invocation) finds ASSESSING without a run, and starts it.
    await handler({ cycleId: 'iid-c' });
    expect(started.map((s) => s.name)).toEqual(['iid-c-r1']);
  });

  it('a failed run moves the cycle back to CLOSED and is not retried on its own', async () => {
    at('2026-04-01T19:00:00Z');
    const runId = 'iid-a-r1';
    await h.table.repos.runs.create({
      cycleId: 'iid-a',
      runId,
      methodology: { id: 'iid-2023', hash: m?.hash ?? '' },
      trigger: 'calendar',
      startedAt: '2026-04-01T18:30:00Z',
      manifestKey: `runs/iid-a/${runId}/manifest.json`,
      regionCount: 0,
    });
    await h.table.repos.runs.transition('iid-a', runId, 'FAILED', { failure: { error: 'States.Timeout' } });
    const out = await handler({ cycleId: 'iid-a' });
    expect(out.results[0]).toMatchObject({ outcome: 'advanced', applied: ['CLOSED'], status: 'CLOSED' });
    const c = await cycle('iid-a');
    expect(c.statusHistory.at(-1)).toMatchObject({
      status: 'CLOSED',
      reason: `national run ${runId} failed`,
    });
    expect(c.nextTransitionAt).toBeUndefined();
    await handler({ cycleId: 'iid-a' });
    await handler({ source: 'safety-net' });
    expect(started).toEqual([]);
  });

  it('one cycle failing does not stop the catch-up of the others; the invocation then fails', async () => {
    await seed('iid-d');
    await seed('iid-e');
    at('2026-04-01T18:30:00Z');
    refuse.add('iid-d-r1');
    await expect(handler({ source: 'safety-net' })).rejects.toThrow('iid-d');
    expect(started.map((s) => s.name)).toEqual(['iid-e-r1']);
    expect((await cycle('iid-e')).status).toBe('ASSESSING');
  });

  it('refuses an event that breaks the contract', async () => {
    await expect(handler({ cycleId: 'bad#id' })).rejects.toMatchObject({ name: 'InvalidStateInput' });
  });
});

/** The EventBridge event Step Functions sends when an execution changes status. */
const statusChange = (
  name: string,
  status: string,
  cycleId: string,
  extra: Record<string, unknown> = {},
) => ({
  version: '0',
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  detail: {
    executionArn: `${MACHINE.replace('stateMachine', 'execution')}:${name}`,
    stateMachineArn: MACHINE,
    name,
    status,
    input: JSON.stringify({ cycleId, trigger: 'calendar' }),
    error: null,
    cause: null,
    ...extra,
  },
});

describe('the run follows its execution', () => {
  async function assessing(cycleId: string, recorded = true) {
    await seed(cycleId);
    at('2026-04-01T18:30:00Z');
    await handler({ cycleId });
    const runId = `${cycleId}-r1`;
    if (recorded)
      await h.table.repos.runs.create({
        cycleId,
        runId,
        methodology: { id: 'iid-2023', hash: m?.hash ?? '' },
        trigger: 'calendar',
        startedAt: '2026-04-01T18:30:00Z',
        manifestKey: `runs/${cycleId}/${runId}/manifest.json`,
        regionCount: 0,
      });
    expect((await cycle(cycleId)).status).toBe('ASSESSING');
    return runId;
  }

  it('an ABORTED event marks the run FAILED with the cause and reopens the cycle for a re-run, once', async () => {
    const runId = await assessing('iid-f');
    at('2026-04-01T19:00:00Z');
    const event = statusChange(runId, 'ABORTED', 'iid-f', {
      error: 'States.Aborted',
      cause: 'stopped by an operator',
    });
    const out = await handler(event);
    expect(out.results).toEqual([
      { cycleId: 'iid-f', outcome: 'advanced', applied: [], status: 'CLOSED', runId },
    ]);
    const run = await h.table.repos.runs.get('iid-f', runId);
    expect(run).toMatchObject({
      status: 'FAILED',
      failure: { error: 'States.Aborted', cause: 'stopped by an operator' },
      completedAt: '2026-04-01T19:00:00.000Z',
    });
    expect(run?.history.at(-1)).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('ABORTED'),
    });
    const c = await cycle('iid-f');
    expect(c.statusHistory.at(-1)).toMatchObject({
      status: 'CLOSED',
      reason: `national run ${runId} failed`,
    });
    expect(c.nextTransitionAt).toBeUndefined();

    // Delivered again (EventBridge is at-least-once): nothing changes.
    await handler(event);
    expect(await h.table.repos.runs.get('iid-f', runId)).toEqual(run);
    expect((await cycle('iid-f')).version).toBe(c.version);
    // No run of this cycle is started on its own.
    await handler({ source: 'safety-net' });
    expect(started.map((s) => s.name).filter((n) => n.startsWith('iid-f'))).toEqual([runId]);
  });

  it('a TIMED_OUT event with no cause records the status as the failure', async () => {
    const runId = await assessing('iid-g');
    await handler(statusChange(runId, 'TIMED_OUT', 'iid-g'));
    expect((await h.table.repos.runs.get('iid-g', runId))?.failure).toEqual({
      error: 'States.TIMED_OUT',
      cause: 'The execution ended TIMED_OUT.',
    });
    expect((await cycle('iid-g')).status).toBe('CLOSED');
  });

  it('a late event about an older run, or about a run that completed, changes nothing', async () => {
    const runId = await assessing('iid-h');
    await h.table.repos.runs.transition('iid-h', runId, 'PROVISIONAL');
    const before = await cycle('iid-h');
    const out = await handler(statusChange(runId, 'FAILED', 'iid-h', { error: 'X', cause: 'late' }));
    expect(out.results[0]).toMatchObject({ outcome: 'nothing-due' });
    expect((await h.table.repos.runs.get('iid-h', runId))?.status).toBe('PROVISIONAL');
    expect(await cycle('iid-h')).toEqual(before);
    // An older run of the same cycle, still RUNNING in its record: the run is settled, the cycle untouched.
    await h.table.repos.runs.create({
      cycleId: 'iid-h',
      runId: 'iid-h-r0',
      methodology: { id: 'iid-2023', hash: m?.hash ?? '' },
      trigger: 'manual',
      startedAt: '2026-04-01T10:00:00Z',
      manifestKey: 'runs/iid-h/iid-h-r0/manifest.json',
      regionCount: 0,
    });
    await handler(statusChange('iid-h-r0', 'ABORTED', 'iid-h'));
    expect((await h.table.repos.runs.get('iid-h', 'iid-h-r0'))?.status).toBe('FAILED');
    expect(await cycle('iid-h')).toEqual(before);
  });

  it('the safety net reconciles a RUNNING run whose execution is no longer running (event lost)', async () => {
    const runId = await assessing('iid-i');
    // Still running: the safety net leaves it alone.
    await handler({ source: 'safety-net' });
    expect((await h.table.repos.runs.get('iid-i', runId))?.status).toBe('RUNNING');
    ended.set(runId, {
      status: 'ABORTED',
      cause: 'The local runtime stopped while this execution was running.',
    });
    at('2026-04-01T19:15:00Z');
    const out = await handler({ source: 'safety-net' });
    expect(out.results).toContainEqual(
      expect.objectContaining({
        cycleId: 'iid-i',
        outcome: 'advanced',
        applied: ['CLOSED'],
        status: 'CLOSED',
      }),
    );
    expect(await h.table.repos.runs.get('iid-i', runId)).toMatchObject({
      status: 'FAILED',
      failure: {
        error: 'States.ABORTED',
        cause: 'The local runtime stopped while this execution was running.',
      },
    });
  });

  it('an execution that ended before it recorded its run reopens the cycle (no run is invented)', async () => {
    const runId = await assessing('iid-j', false);
    ended.set(runId, { status: 'ABORTED' });
    await handler({ cycleId: 'iid-j' });
    expect((await cycle('iid-j')).status).toBe('CLOSED');
    expect(await h.table.repos.runs.get('iid-j', runId)).toBeUndefined();
    expect(started.map((s) => s.name)).toEqual([runId]);
  });

  it('ignores other Step Functions events and SUCCEEDED (not matched by the rule anyway)', async () => {
    expect(await handler(statusChange('iid-z-r1', 'SUCCEEDED', 'iid-z'))).toEqual({ results: [] });
  });
});
