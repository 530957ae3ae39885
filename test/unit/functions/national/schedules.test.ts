import { describe, expect, it } from 'vitest';
import { canonicalKey, packedKey, packedSubmissionKey, runKeys } from '#adapters/bucket-layout';
import type { CycleCalendar } from '#adapters/dynamo/index';
import { nextRunId } from '#functions/lib/cycles/assessment';
import { deadlineOf, momentOf, toWib } from '#functions/lib/cycles/calendar';
import { atExpression, schedulePlan } from '#functions/lib/cycles/schedules';

const calendar: CycleCalendar = {
  timeZone: 'Asia/Jakarta',
  opensAt: '2026-03-01T00:00:00+07:00',
  closesAt: '2026-03-31T23:59:00+07:00',
  extensions: [],
  nationalRunAt: '2026-04-02T01:00:00+07:00',
};

describe('one-time schedules', () => {
  it('are at(...) in Asia/Jakarta wall-clock time', () => {
    expect(atExpression('2026-03-31T17:00:00Z')).toBe('at(2026-04-01T00:00:00)');
    expect(atExpression('2026-04-02T01:00:00+07:00')).toBe('at(2026-04-02T01:00:00)');
  });

  it('one per pending transition, idempotent names; past ones removed, overdue ones in the next minute', () => {
    const draft = schedulePlan(
      { cycleId: 'iid-2026', status: 'DRAFT', calendar },
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(draft.upsert.map((s) => [s.name, s.expression])).toEqual([
      ['iid-2026.open', 'at(2026-03-01T00:00:00)'],
      ['iid-2026.close', 'at(2026-04-01T00:00:00)'],
      ['iid-2026.assess', 'at(2026-04-02T01:00:00)'],
    ]);
    expect(draft.upsert[1]?.input).toEqual({ cycleId: 'iid-2026', transition: 'close', source: 'schedule' });
    expect(draft.remove).toEqual([]);
    const late = schedulePlan(
      { cycleId: 'iid-2026', status: 'OPEN', calendar },
      new Date('2026-04-01T10:00:30Z'),
    );
    expect(late.remove).toEqual(['iid-2026.open']);
    // The overdue close fires at the next whole minute after now + 1 minute; the run keeps its time.
    expect(late.upsert.map((s) => s.expression)).toEqual([
      'at(2026-04-01T17:02:00)',
      'at(2026-04-02T01:00:00)',
    ]);
    expect(schedulePlan({ cycleId: 'c', status: 'ASSESSED', calendar }, new Date()).upsert).toEqual([]);
  });
});

describe('run ids', () => {
  it('count the entries into ASSESSING: deterministic for racing callers, new for a re-run', () => {
    const history = (statuses: string[]) =>
      statuses.map((status) => ({ status, at: '2026-01-01T00:00:00Z' })) as { status: 'DRAFT'; at: string }[];
    expect(nextRunId({ cycleId: 'iid-2026', statusHistory: history(['DRAFT', 'OPEN', 'CLOSED']) })).toBe(
      'iid-2026-r1',
    );
    expect(
      nextRunId({
        cycleId: 'iid-2026',
        statusHistory: history(['DRAFT', 'OPEN', 'CLOSED', 'ASSESSING', 'CLOSED', 'ASSESSING', 'ASSESSED']),
      }),
    ).toBe('iid-2026-r3');
  });
});

describe('key layout', () => {
  it('keeps the canonical submission under reports/, beside its report', () => {
    const s = { cycleId: 'iid-2026', kode: '18.01', submissionId: 's-0123' };
    expect(canonicalKey(s)).toBe('reports/iid-2026/18.01/s-0123.submission.json');
  });

  it('finds the packed submission beside the canonical one, where validate-submission writes it', () => {
    const s = { cycleId: 'iid-2026', kode: '18.01', submissionId: 's-0123' };
    expect(packedSubmissionKey(canonicalKey(s))).toBe(packedKey(s));
  });

  it('keeps everything of a run under runs/{cycleId}/{runId}/', () => {
    const keys = runKeys('iid-2026', 'iid-2026-r2');
    expect([keys.manifest, keys.context, keys.region('18.01'), keys.card('18.01'), keys.results]).toEqual([
      'runs/iid-2026/iid-2026-r2/manifest.json',
      'runs/iid-2026/iid-2026-r2/context.json',
      'runs/iid-2026/iid-2026-r2/regions/18.01.json',
      'runs/iid-2026/iid-2026-r2/cards/18.01.json',
      'runs/iid-2026/iid-2026-r2/results.json',
    ]);
  });
});

describe('calendar input', () => {
  it('reads a day as 00:00 WIB (moments) or 23:59 WIB (deadlines), and keeps every instant in WIB', () => {
    expect(momentOf('2026-03-01')).toBe('2026-03-01T00:00:00+07:00');
    expect(deadlineOf('2026-03-31')).toBe('2026-03-31T23:59:00+07:00');
    expect(toWib('2026-03-31T16:59:00Z')).toBe('2026-03-31T23:59:00+07:00');
    expect(deadlineOf('2026-03-31T23:59:00+08:00')).toBe('2026-03-31T22:59:00+07:00');
  });
});
