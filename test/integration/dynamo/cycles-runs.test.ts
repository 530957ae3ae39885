import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleCalendar } from '#adapters/dynamo/index';
import { startTestTable, type TestTable } from './dynalite-table';

let t: TestTable;
beforeAll(async () => {
  t = await startTestTable();
});
afterAll(async () => {
  await t.close();
});

const calendar: CycleCalendar = {
  timeZone: 'Asia/Jakarta',
  opensAt: '2025-03-01T00:00:00+07:00',
  closesAt: '2025-03-31T23:59:00+07:00',
  extensions: [],
  nationalRunAt: '2025-04-01T01:00:00+07:00',
};
const methodology = { id: 'iid-2025', hash: 'sha256:abc' };

describe('CycleRepository', () => {
  it('creates once and lists newest period first', async () => {
    const first = await t.repos.cycles.create({
      cycleId: 'iid-2025',
      index: 'IID',
      period: 2025,
      name: 'IID 2025',
      calendar,
      methodology,
      nextTransitionAt: calendar.opensAt,
    });
    expect(first.created).toBe(true);
    const again = await t.repos.cycles.create({
      ...first.cycle,
      calendar,
      nextTransitionAt: calendar.opensAt,
    });
    expect(again.created).toBe(false);
    await t.repos.cycles.create({
      cycleId: 'iid-2024',
      index: 'IID',
      period: 2024,
      name: 'IID 2024',
      calendar,
      methodology,
    });
    const page = await t.repos.cycles.list();
    expect(page.items.map((c) => c.cycleId)).toEqual(['iid-2025', 'iid-2024']);
  });

  it('finds due cycles through the index and drops them when nothing is pending', async () => {
    expect((await t.repos.cycles.listDue('2025-02-28T16:59:00Z')).map((c) => c.cycleId)).toEqual([]);
    // 2025-03-01T00:00+07:00 is 2025-02-28T17:00Z.
    expect((await t.repos.cycles.listDue('2025-02-28T17:00:00Z')).map((c) => c.cycleId)).toEqual([
      'iid-2025',
    ]);
  });

  it('a transition that fires twice changes nothing the second time', async () => {
    const first = await t.repos.cycles.transition('iid-2025', 'OPEN', {
      from: ['DRAFT'],
      by: 'scheduler',
      nextTransitionAt: calendar.closesAt,
    });
    expect(first.outcome).toBe('applied');
    const second = await t.repos.cycles.transition('iid-2025', 'OPEN', {
      from: ['DRAFT'],
      by: 'safety-net',
      nextTransitionAt: calendar.closesAt,
    });
    expect(second.outcome).toBe('unchanged');
    const cycle = await t.repos.cycles.get('iid-2025');
    expect(cycle?.statusHistory.map((h) => h.status)).toEqual(['DRAFT', 'OPEN']);
    expect(cycle?.version).toBe(2);
    expect(cycle?.nextTransitionAt).toBe('2025-03-31T16:59:00.000Z');
    expect((await t.repos.cycles.transition('iid-2025', 'PUBLISHED')).outcome).toBe('rejected');
  });

  it('extends a deadline as a data change, guarded by the version', async () => {
    const cycle = await t.repos.cycles.get('iid-2025');
    if (!cycle) throw new Error('missing cycle');
    const extended: CycleCalendar = {
      ...cycle.calendar,
      extensions: [
        {
          until: '2025-04-07T23:59:00+07:00',
          reason: 'banyak daerah belum unggah',
          decidedAt: '2025-03-30T09:00:00+07:00',
        },
      ],
    };
    const applied = await t.repos.cycles.updateCalendar('iid-2025', extended, {
      expectedVersion: cycle.version,
      nextTransitionAt: '2025-04-07T23:59:00+07:00',
    });
    expect(applied.outcome).toBe('applied');
    const stale = await t.repos.cycles.updateCalendar('iid-2025', calendar, {
      expectedVersion: cycle.version,
      nextTransitionAt: null,
    });
    expect(stale.outcome).toBe('conflict');
    const now = await t.repos.cycles.get('iid-2025');
    expect(now?.calendar.extensions).toHaveLength(1);
    expect(now?.nextTransitionAt).toBe('2025-04-07T16:59:00.000Z');
    expect((await t.repos.cycles.listDue('2025-04-01T00:00:00Z')).map((c) => c.cycleId)).toEqual([]);
    await t.repos.cycles.transition('iid-2025', 'CLOSED', { nextTransitionAt: null });
    expect((await t.repos.cycles.listDue('2030-01-01T00:00:00Z')).map((c) => c.cycleId)).toEqual([]);
  });
});

describe('RunRepository', () => {
  const newRun = (runId: string, startedAt: string) => ({
    cycleId: 'iid-2025',
    runId,
    methodology,
    trigger: 'schedule',
    startedAt,
    manifestKey: `runs/iid-2025/${runId}/manifest.json`,
    regionCount: 552,
  });

  it('never overwrites a run', async () => {
    const first = await t.repos.runs.create(newRun('iid-2025-auto', '2025-04-08T01:00:00Z'));
    expect(first.created).toBe(true);
    const again = await t.repos.runs.create({
      ...newRun('iid-2025-auto', '2025-04-09T01:00:00Z'),
      regionCount: 1,
    });
    expect(again.created).toBe(false);
    expect(again.run.regionCount).toBe(552);
    expect(again.run.startedAt).toBe('2025-04-08T01:00:00.000Z');
  });

  it('freezes results once the run leaves RUNNING and publishes FINAL only explicitly', async () => {
    const counts = { regions: 552, scored: 540, failed: 0, ineligible: 12, ranked: 540 };
    expect(
      (await t.repos.runs.recordResults('iid-2025', 'iid-2025-auto', { resultKey: 'runs/r.json', counts }))
        .outcome,
    ).toBe('applied');
    expect((await t.repos.runs.transition('iid-2025', 'iid-2025-auto', 'FINAL')).outcome).toBe('rejected');
    const provisional = await t.repos.runs.transition('iid-2025', 'iid-2025-auto', 'PROVISIONAL', {
      summary: { regions: 552 },
    });
    expect(provisional.outcome).toBe('applied');
    expect((await t.repos.runs.transition('iid-2025', 'iid-2025-auto', 'PROVISIONAL')).outcome).toBe(
      'unchanged',
    );
    const late = await t.repos.runs.recordResults('iid-2025', 'iid-2025-auto', {
      resultKey: 'runs/other.json',
      counts: { ...counts, scored: 1 },
    });
    expect(late.outcome).toBe('rejected');
    expect((await t.repos.runs.transition('iid-2025', 'iid-2025-auto', 'FAILED')).outcome).toBe('rejected');
    const final = await t.repos.runs.transition('iid-2025', 'iid-2025-auto', 'FINAL', { by: 'admin-1' });
    expect(final.outcome).toBe('applied');
    if (final.outcome === 'applied') {
      expect(final.run.resultKey).toBe('runs/r.json');
      expect(final.run.finalizedBy).toBe('admin-1');
      expect(final.run.history.map((h) => h.status)).toEqual(['RUNNING', 'PROVISIONAL', 'FINAL']);
    }
  });

  it('a re-run is a new run; lists newest first and finds the latest per status', async () => {
    await t.repos.runs.create(newRun('iid-2025-rerun-1', '2025-04-10T01:00:00Z'));
    await t.repos.runs.transition('iid-2025', 'iid-2025-rerun-1', 'PROVISIONAL');
    const page = await t.repos.runs.list('iid-2025');
    expect(page.items.map((r) => r.runId)).toEqual(['iid-2025-rerun-1', 'iid-2025-auto']);
    expect((await t.repos.runs.latest('iid-2025', 'FINAL'))?.runId).toBe('iid-2025-auto');
    expect((await t.repos.runs.latest('iid-2025', 'PROVISIONAL'))?.runId).toBe('iid-2025-rerun-1');
    expect(await t.repos.runs.latest('iid-2025', 'FAILED')).toBeUndefined();
  });
});
