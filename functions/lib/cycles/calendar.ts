import type { CycleCalendar, CycleRecord } from '#adapters/dynamo/index';
import { CYCLE_TIME_ZONE, calendarProblems, extensionProblem, wibDeadline } from '#domain/cycle';
import { DomainError } from '#domain/errors';
import { problem } from '#domain/problems';
import type { CalendarChangeBody, CalendarInput } from './contract';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const WIB_MS = 7 * 3_600_000;

/** Any instant as WIB wall-clock time with its offset: `2026-03-31T23:59:00+07:00`. */
export function toWib(instant: string): string {
  const t = Date.parse(instant);
  return `${new Date(t + WIB_MS).toISOString().slice(0, 19)}+07:00`;
}

/** A day means 00:00 WIB that day. */
export const momentOf = (input: string): string =>
  DAY.test(input) ? `${input}T00:00:00+07:00` : toWib(input);
/** A day means 23:59 WIB that day (the deadline convention). */
export const deadlineOf = (input: string): string => (DAY.test(input) ? wibDeadline(input) : toWib(input));

function assertConsistent(calendar: CycleCalendar): CycleCalendar {
  const problems = calendarProblems(calendar).map((p) =>
    problem('CALENDAR_INVALID', 'error', { path: `calendar.${p.field}` }, p.id, p.en),
  );
  if (problems.length > 0)
    throw new DomainError(
      'invalid',
      'CALENDAR_INVALID',
      'Kalender siklus tidak konsisten; perbaiki tanggal yang disebut di "problems".',
      'The cycle calendar is inconsistent; fix the dates named in "problems".',
      problems,
    );
  return calendar;
}

export function newCalendar(input: CalendarInput): CycleCalendar {
  return assertConsistent({
    timeZone: CYCLE_TIME_ZONE,
    opensAt: momentOf(input.opensAt),
    closesAt: deadlineOf(input.closesAt),
    extensions: [],
    ...(input.graceMinutes !== undefined ? { graceMinutes: input.graceMinutes } : {}),
    nationalRunAt: momentOf(input.nationalRunAt),
    ...(input.publishAt !== undefined ? { publishAt: momentOf(input.publishAt) } : {}),
  });
}

const frozen = (field: string): DomainError =>
  new DomainError(
    'conflict',
    'CALENDAR_FIELD_FROZEN',
    `${field} hanya dapat diubah selama siklus berstatus DRAFT; setelah dibuka, gunakan perpanjangan.`,
    `${field} can only change while the cycle is DRAFT; once open, use an extension.`,
  );

/**
 * The calendar after an admin's change: the national run (if moved) first, then the extension
 * checked against it (`extensionProblem`), then the whole calendar's consistency.
 */
export function revisedCalendar(
  cycle: Pick<CycleRecord, 'status' | 'calendar'>,
  change: CalendarChangeBody,
  now: Date,
  by: string,
): CycleCalendar {
  if (cycle.status !== 'DRAFT') {
    if (change.opensAt !== undefined) throw frozen('opensAt');
    if (change.closesAt !== undefined) throw frozen('closesAt');
  }
  const calendar: CycleCalendar = {
    ...cycle.calendar,
    extensions: [...cycle.calendar.extensions],
    ...(change.opensAt !== undefined ? { opensAt: momentOf(change.opensAt) } : {}),
    ...(change.closesAt !== undefined ? { closesAt: deadlineOf(change.closesAt) } : {}),
    ...(change.graceMinutes !== undefined ? { graceMinutes: change.graceMinutes } : {}),
    ...(change.nationalRunAt !== undefined ? { nationalRunAt: momentOf(change.nationalRunAt) } : {}),
    ...(change.publishAt !== undefined ? { publishAt: momentOf(change.publishAt) } : {}),
  };
  if (change.nationalRunAt !== undefined && Date.parse(calendar.nationalRunAt) <= now.getTime())
    throw new DomainError(
      'invalid',
      'CALENDAR_INVALID',
      'Waktu penilaian nasional harus di masa depan.',
      'The national run must be in the future.',
      [
        problem(
          'CALENDAR_INVALID',
          'error',
          { path: 'nationalRunAt' },
          'Waktu penilaian nasional harus di masa depan.',
          'The national run must be in the future.',
        ),
      ],
    );
  if (change.extension) {
    const until = deadlineOf(change.extension.until);
    const refused = extensionProblem(calendar, until, now);
    if (refused)
      throw new DomainError('invalid', 'EXTENSION_INVALID', refused.id, refused.en, [
        problem('EXTENSION_INVALID', 'error', { path: 'extension.until' }, refused.id, refused.en),
      ]);
    calendar.extensions.push({
      until,
      reason: change.extension.reason,
      decidedBy: by,
      decidedAt: now.toISOString(),
    });
  }
  return assertConsistent(calendar);
}
