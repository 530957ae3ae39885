import { describe, expect, it } from 'vitest';
import {
  duePhases,
  nextPhase,
  phaseChangeProblems,
  type StageCalendar,
  stageCalendarProblems,
} from '#domain/verification/index';

const calendar: StageCalendar = {
  verificationOpensAt: '2026-09-01T00:00:00+07:00',
  verificationClosesAt: '2026-09-30T23:59:00+07:00',
  sanggahOpensAt: '2026-10-05T00:00:00+07:00',
  sanggahClosesAt: '2026-10-11T23:59:00+07:00',
  respondBy: '2026-10-18T23:59:00+07:00',
};
const ready = { incompleteRegions: [], openObjections: 0 };

describe('stage phases', () => {
  it('runs VERIFICATION → PROVISIONAL → SANGGAH → RESOLUTION → FINAL', () => {
    const seen: (string | undefined)[] = [];
    let p = nextPhase(null);
    while (p) {
      seen.push(p);
      p = nextPhase(p);
    }
    expect(seen).toEqual(['VERIFICATION', 'PROVISIONAL', 'SANGGAH', 'RESOLUTION', 'FINAL']);
  });

  it('catches up on a late trigger and finds nothing on a repeat; the deadline minute is still open', () => {
    expect(duePhases(null, calendar, new Date('2026-08-31T23:00:00+07:00'))).toEqual([]);
    expect(duePhases(null, calendar, new Date('2026-09-30T23:59:30+07:00'))).toEqual(['VERIFICATION']);
    expect(duePhases(null, calendar, new Date('2026-10-06T00:00:00+07:00'))).toEqual([
      'VERIFICATION',
      'PROVISIONAL',
      'SANGGAH',
    ]);
    expect(duePhases('SANGGAH', calendar, new Date('2026-10-06T00:00:00+07:00'))).toEqual([]);
    expect(duePhases('RESOLUTION', calendar, new Date('2027-01-01T00:00:00+07:00'))).toEqual(['FINAL']);
  });

  it('refuses out-of-order moves and leaving verification or resolution unfinished', () => {
    expect(phaseChangeProblems(null, 'SANGGAH', ready).map((p) => p.code)).toEqual(['PHASE_ORDER']);
    expect(phaseChangeProblems('FINAL', 'FINAL', ready).map((p) => p.code)).toEqual(['PHASE_ORDER']);
    const incomplete = phaseChangeProblems('VERIFICATION', 'PROVISIONAL', {
      incompleteRegions: ['18.01'],
      openObjections: 0,
    });
    expect(incomplete[0]?.code).toBe('VERIFICATION_INCOMPLETE');
    expect(incomplete[0]?.message_id).toContain('18.01');
    expect(
      phaseChangeProblems('RESOLUTION', 'FINAL', { incompleteRegions: [], openObjections: 2 })[0]?.code,
    ).toBe('OBJECTIONS_OPEN');
    expect(phaseChangeProblems('VERIFICATION', 'PROVISIONAL', ready)).toEqual([]);
  });

  it('checks the stage calendar', () => {
    expect(stageCalendarProblems(calendar)).toEqual([]);
    const bad = stageCalendarProblems({
      ...calendar,
      sanggahOpensAt: '2026-09-15T00:00:00+07:00',
      sampleRate: 2,
    });
    expect(bad.map((p) => [p.code, p.location.path])).toEqual([
      ['CALENDAR_ORDER', 'sanggahOpensAt'],
      ['SAMPLE_RATE_INVALID', 'sampleRate'],
    ]);
    expect(stageCalendarProblems({ ...calendar, respondBy: '2026-10-18 23:59' })[0]?.code).toBe(
      'CALENDAR_INVALID',
    );
  });
});
