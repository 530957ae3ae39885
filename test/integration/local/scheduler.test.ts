import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nowMs } from '#adapters/clock';
import type { Json } from '#local/json';
import { startTestRuntime, type TestRuntime } from './support';

let t: TestRuntime;
let scheduler: SchedulerClient;
let group = '';
let target = { Arn: '', RoleArn: '' };
const fired: { event: Json; at: number }[] = [];

/** `at(...)` in Asia/Jakarta wall-clock time (UTC+7, no DST), like the cycle calendars use. */
const atWib = (epochMs: number) => `at(${new Date(epochMs + 7 * 3_600_000).toISOString().slice(0, 19)})`;

beforeAll(async () => {
  t = await startTestRuntime({
    'functions/cycle-transition.ts': (event) => {
      // The product's clock inside the handler is the runtime's: the window is due "now" for it too.
      fired.push({ event, at: nowMs() });
      return { ok: true };
    },
  });
  scheduler = new SchedulerClient({});
  group = t.runtime.template.scheduleGroups()[0] ?? '';
  const transition = t.runtime.template.functions().find((f) => f.entry === 'functions/cycle-transition.ts');
  target = { Arn: transition?.arn ?? '', RoleArn: 'arn:aws:iam::000000000000:role/scheduler' };
});
afterAll(async () => {
  scheduler?.destroy();
  await t?.stop();
});
beforeEach(() => {
  fired.length = 0;
});

const ofCycle = () => fired.filter((f) => (f.event as { source?: string }).source !== 'safety-net');

describe('local EventBridge Scheduler', () => {
  it('fires a one-time at() schedule in Asia/Jakarta when the clock reaches it, with its Input, then deletes it', async () => {
    const due = t.runtime.clock.now() + 2 * 3_600_000;
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'c1.open',
        GroupName: group,
        ScheduleExpression: atWib(due),
        ScheduleExpressionTimezone: 'Asia/Jakarta',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          ...target,
          Input: JSON.stringify({ cycleId: 'c1', transition: 'open', source: 'schedule' }),
        },
      }),
    );
    expect((await t.runtime.advanceClock('PT1H')).filter((f) => f.name === 'c1.open')).toEqual([]);
    expect(ofCycle()).toEqual([]);
    const result = await t.runtime.advanceClock('PT1H1M');
    expect(result.filter((f) => f.name === 'c1.open')).toMatchObject([{ group, ok: true }]);
    expect(ofCycle().map((f) => f.event)).toEqual([
      { cycleId: 'c1', transition: 'open', source: 'schedule' },
    ]);
    expect(ofCycle()[0]?.at).toBeGreaterThanOrEqual(due);
    await expect(
      scheduler.send(new GetScheduleCommand({ Name: 'c1.open', GroupName: group })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('speaks the Scheduler API: conflict, get, list, update (a moved deadline), delete, validation', async () => {
    const base = {
      Name: 'c2.close',
      GroupName: group,
      ScheduleExpressionTimezone: 'Asia/Jakarta',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: { ...target, Input: JSON.stringify({ cycleId: 'c2', transition: 'close' }) },
    };
    const first = atWib(t.runtime.clock.now() + 3_600_000);
    const created = await scheduler.send(new CreateScheduleCommand({ ...base, ScheduleExpression: first }));
    expect(created.ScheduleArn).toBe(
      `arn:aws:scheduler:${t.runtime.template.region}:${t.runtime.template.accountId}:schedule/${group}/c2.close`,
    );
    await expect(
      scheduler.send(new CreateScheduleCommand({ ...base, ScheduleExpression: first })),
    ).rejects.toBeInstanceOf(ConflictException);

    const got = await scheduler.send(new GetScheduleCommand({ Name: 'c2.close', GroupName: group }));
    expect(got).toMatchObject({
      Name: 'c2.close',
      GroupName: group,
      ScheduleExpression: first,
      State: 'ENABLED',
    });
    expect(got.CreationDate).toBeInstanceOf(Date);
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: group }));
    expect(listed.Schedules?.map((s) => s.Name)).toContain('c2.close');

    // The deadline is extended by a day: the schedule moves, nothing fires at the old time.
    const moved = atWib(t.runtime.clock.now() + 25 * 3_600_000);
    await scheduler.send(new UpdateScheduleCommand({ ...base, ScheduleExpression: moved }));
    await t.runtime.advanceClock('PT2H');
    expect(ofCycle()).toEqual([]);
    await t.runtime.advanceClock('PT24H');
    expect(ofCycle().map((f) => f.event)).toEqual([{ cycleId: 'c2', transition: 'close' }]);

    await scheduler.send(new DeleteScheduleCommand({ Name: 'c2.close', GroupName: group }));
    await expect(
      scheduler.send(new DeleteScheduleCommand({ Name: 'c2.close', GroupName: group })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      scheduler.send(new CreateScheduleCommand({ ...base, Name: 'bad', ScheduleExpression: 'at(tomorrow)' })),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(
      scheduler.send(
        new CreateScheduleCommand({
          ...base,
          Name: 'lost',
          GroupName: 'no-such-group',
          ScheduleExpression: first,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('loads the template’s recurring safety net and fires it with its Input when a quarter hour passes', async () => {
    const safetyNet = t.runtime.template.schedules()[0];
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: safetyNet?.groupName }));
    expect(listed.Schedules?.map((s) => s.Name)).toContain(safetyNet?.name);
    await t.runtime.advanceClock('PT16M');
    expect(fired.map((f) => f.event)).toContainEqual({ source: 'safety-net' });
    // Missed occurrences of a recurring schedule are coalesced: one catch-up per jump.
    fired.length = 0;
    await t.runtime.advanceClock('PT3H');
    expect(fired.filter((f) => (f.event as { source?: string }).source === 'safety-net')).toHaveLength(1);
  });

  it('moves the clock through the admin endpoint and reports what fired', async () => {
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'c3.assess',
        GroupName: group,
        ScheduleExpression: 'rate(1 hour)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { ...target, Input: '{"cycleId":"c3","transition":"assess"}' },
      }),
    );
    const before = (await (await fetch(`${t.runtime.urls.api}/_local/clock`)).json()) as { now: string };
    const admin = {
      authorization: `Bearer ${await t.runtime.mintToken({ role: 'admin' })}`,
      'content-type': 'application/json',
    };
    const response = await fetch(`${t.runtime.urls.api}/_local/clock`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ advance: 'PT61M' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { now: string; fired: { name: string; ok: boolean }[] };
    expect(Date.parse(body.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(61 * 60_000);
    expect(body.fired).toContainEqual(expect.objectContaining({ name: 'c3.assess', ok: true }));
    const bad = await fetch(`${t.runtime.urls.api}/_local/clock`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ advance: 'tomorrow' }),
    });
    expect(bad.status).toBe(400);
    expect(existsSync(join(t.dataDir, 'scheduler', 'schedules.json'))).toBe(true);
    expect(existsSync(join(t.dataDir, 'clock.json'))).toBe(true);
  });
});
