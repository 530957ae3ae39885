import { describe, expect, it } from 'vitest';
import {
  type Calendar,
  dueTransitions,
  effectiveDeadline,
  extensionProblem,
  formatWib,
  nextTransitionAt,
  uploadDecision,
  wibDeadline,
  windowState,
} from '#domain/cycle';

const calendar: Calendar = {
  opensAt: '2026-03-01T00:00:00+07:00',
  closesAt: wibDeadline('2026-03-31'),
  extensions: [],
  nationalRunAt: '2026-04-07T08:00:00+07:00',
};
const at = (iso: string) => new Date(iso);

describe('the submission window in WIB', () => {
  it('opens at opensAt and stays open through the whole deadline minute 23:59 WIB', () => {
    expect(windowState(calendar, at('2026-02-28T23:59:59+07:00'))).toBe('not-open');
    expect(windowState(calendar, at('2026-03-01T00:00:00+07:00'))).toBe('open');
    expect(windowState(calendar, at('2026-03-31T23:59:59+07:00'))).toBe('open');
    expect(windowState(calendar, at('2026-03-31T16:59:59Z'))).toBe('open');
    expect(windowState(calendar, at('2026-04-01T00:00:00+07:00'))).toBe('closed');
  });

  it('honours extensions (the last one wins) and a declared grace', () => {
    const extended: Calendar = {
      ...calendar,
      graceMinutes: 30,
      extensions: [
        { until: wibDeadline('2026-04-02'), reason: 'first' },
        { until: wibDeadline('2026-04-04'), reason: 'second' },
      ],
    };
    expect(effectiveDeadline(extended)).toBe('2026-04-04T23:59:00+07:00');
    expect(windowState(extended, at('2026-04-03T12:00:00+07:00'))).toBe('open');
    expect(windowState(extended, at('2026-04-05T00:10:00+07:00'))).toBe('grace');
    expect(uploadDecision(extended, at('2026-04-05T00:10:00+07:00')).allowed).toBe(true);
    expect(windowState(extended, at('2026-04-05T00:30:00+07:00'))).toBe('closed');
  });

  it('refuses with the dates in WIB, bilingual', () => {
    const closed = uploadDecision(calendar, at('2026-04-01T09:00:00+07:00'));
    expect(closed).toMatchObject({ allowed: false, state: 'closed' });
    expect(closed.message_id).toContain('31-03-2026 23:59 WIB');
    expect(closed.message_en).toContain('closed at 31-03-2026 23:59 WIB');
    expect(uploadDecision(calendar, at('2026-02-01T00:00:00Z')).message_en).toContain(
      'opens 01-03-2026 00:00 WIB',
    );
  });
});

describe('calendar transitions', () => {
  it('catches up every due transition in order, and a second firing finds nothing', () => {
    expect(dueTransitions('DRAFT', calendar, at('2026-02-01T00:00:00Z'))).toEqual([]);
    expect(dueTransitions('DRAFT', calendar, at('2026-03-05T00:00:00Z'))).toEqual(['OPEN']);
    expect(dueTransitions('DRAFT', calendar, at('2026-04-10T00:00:00Z'))).toEqual([
      'OPEN',
      'CLOSED',
      'ASSESSING',
    ]);
    expect(dueTransitions('ASSESSING', calendar, at('2026-04-10T00:00:00Z'))).toEqual([]);
    expect(dueTransitions('OPEN', calendar, at('2026-04-01T00:00:00+07:00'))).toEqual(['CLOSED']);
  });

  it('never starts the national run before the window (with grace) has closed', () => {
    const late: Calendar = {
      ...calendar,
      extensions: [{ until: wibDeadline('2026-04-06'), reason: 'x' }],
      graceMinutes: 60,
    };
    expect(nextTransitionAt('OPEN', late)).toBe('2026-04-06T18:00:00.000Z');
    expect(nextTransitionAt('CLOSED', late)).toBe('2026-04-07T01:00:00.000Z');
    expect(nextTransitionAt('ASSESSING', late)).toBeUndefined();
  });

  it('checks extensions: after the current deadline, in the future, before the national run', () => {
    const now = at('2026-03-20T00:00:00Z');
    expect(extensionProblem(calendar, wibDeadline('2026-03-30'), now)?.en).toContain(
      'after the current deadline',
    );
    expect(extensionProblem(calendar, wibDeadline('2026-04-08'), now)?.en).toContain(
      'before the national run',
    );
    expect(extensionProblem(calendar, 'nonsense', now)).toBeDefined();
    expect(extensionProblem(calendar, wibDeadline('2026-04-03'), now)).toBeUndefined();
  });

  it('formats moments as operators read them', () => {
    expect(formatWib('2026-03-31T16:59:00Z')).toBe('31-03-2026 23:59 WIB');
  });
});
