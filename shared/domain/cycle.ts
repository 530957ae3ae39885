/**
 * The yearly cycle's calendar rules, in Asia/Jakarta time (WIB, UTC+7, no daylight saving).
 * Pure: every function takes `now`.
 */

export interface CalendarExtension {
  until: string;
  reason: string;
}

export interface Calendar {
  opensAt: string;
  /** The original deadline; extensions move it. */
  closesAt: string;
  extensions: readonly CalendarExtension[];
  /** Late uploads accepted this many minutes after the effective deadline (a declared grace). */
  graceMinutes?: number;
  nationalRunAt: string;
  publishAt?: string;
}

export type CycleStatus = 'DRAFT' | 'OPEN' | 'CLOSED' | 'ASSESSING' | 'ASSESSED' | 'PUBLISHED';

const MINUTE = 60_000;

/**
 * The one source of the product's time zone: calendars are decided in Asia/Jakarta (WIB), which
 * has been UTC+7 with no daylight saving since 1964. Deadlines, `formatWib`, the schedules'
 * `at()` expressions and their `ScheduleExpressionTimezone` all derive from these three values, so
 * they cannot disagree.
 */
export const CYCLE_TIME_ZONE = 'Asia/Jakarta';
export const WIB_OFFSET = '+07:00';
export const WIB_OFFSET_MS = 7 * 60 * MINUTE;

/** The deadline in force: the last extension's, or the original. */
export function effectiveDeadline(calendar: Calendar): string {
  return calendar.extensions.at(-1)?.until ?? calendar.closesAt;
}

/** A deadline names a minute (23:59 WIB): the whole minute is still open. */
const deadlineEnd = (deadline: string): number => Date.parse(deadline) + MINUTE;

export type WindowState = 'not-open' | 'open' | 'grace' | 'closed';

/** The instant (ms) the window stops taking files: the effective deadline's minute plus the declared grace. */
export function windowEndsAt(calendar: Calendar): number {
  return deadlineEnd(effectiveDeadline(calendar)) + (calendar.graceMinutes ?? 0) * MINUTE;
}

export function windowState(calendar: Calendar, now: Date): WindowState {
  return windowStateBetween(calendar.opensAt, effectiveDeadline(calendar), now, calendar.graceMinutes ?? 0);
}

/** Any window (submission, sanggah): open from `opensAt` through the whole deadline minute. */
export function windowStateBetween(
  opensAt: string,
  deadline: string,
  now: Date,
  graceMinutes = 0,
): WindowState {
  const t = now.getTime();
  if (t < Date.parse(opensAt)) return 'not-open';
  const end = deadlineEnd(deadline);
  if (t < end) return 'open';
  if (t < end + graceMinutes * MINUTE) return 'grace';
  return 'closed';
}

export interface UploadDecision {
  allowed: boolean;
  state: WindowState;
  message_id?: string;
  message_en?: string;
}

/** Whether an upload is taken now, and if not, why, with the dates in WIB. */
export function uploadDecision(calendar: Calendar, now: Date): UploadDecision {
  const state = windowState(calendar, now);
  if (state === 'open' || state === 'grace') return { allowed: true, state };
  if (state === 'not-open')
    return {
      allowed: false,
      state,
      message_id: `Jendela pengajuan belum dibuka; dibuka ${formatWib(calendar.opensAt)}.`,
      message_en: `The submission window is not open yet; it opens ${formatWib(calendar.opensAt)}.`,
    };
  const deadline = formatWib(effectiveDeadline(calendar));
  return {
    allowed: false,
    state,
    message_id: `Jendela pengajuan sudah ditutup pada ${deadline}. Hubungi admin bila ada perpanjangan.`,
    message_en: `The submission window closed at ${deadline}. Contact the admin about any extension.`,
  };
}

/** The moment a status's successor is due; undefined when it waits for something else. */
export function dueAt(status: CycleStatus, calendar: Calendar): number | undefined {
  switch (status) {
    case 'DRAFT':
      return Date.parse(calendar.opensAt);
    case 'OPEN':
      return deadlineEnd(effectiveDeadline(calendar)) + (calendar.graceMinutes ?? 0) * MINUTE;
    case 'CLOSED':
      return Math.max(Date.parse(calendar.nationalRunAt), dueAt('OPEN', calendar) ?? 0);
    default:
      // ASSESSING ends when the run does; PUBLISHED is an explicit decision.
      return undefined;
  }
}

const NEXT: Partial<Record<CycleStatus, CycleStatus>> = {
  DRAFT: 'OPEN',
  OPEN: 'CLOSED',
  CLOSED: 'ASSESSING',
};

/**
 * Every calendar transition due at `now`, in order, so a late or repeated trigger catches up
 * (DRAFT → OPEN → CLOSED → ASSESSING) and a second firing finds nothing to do.
 */
export function dueTransitions(status: CycleStatus, calendar: Calendar, now: Date): CycleStatus[] {
  const out: CycleStatus[] = [];
  let current = status;
  for (;;) {
    const next = NEXT[current];
    const at = dueAt(current, calendar);
    if (!next || at === undefined || now.getTime() < at) return out;
    out.push(next);
    current = next;
  }
}

/** The next instant something is due after the given status, as an ISO string (for schedules). */
export function nextTransitionAt(status: CycleStatus, calendar: Calendar): string | undefined {
  const at = dueAt(status, calendar);
  return at === undefined ? undefined : new Date(at).toISOString();
}

/** Checks an extension: later than the deadline it replaces, in the future, before the national run. */
export function extensionProblem(
  calendar: Calendar,
  until: string,
  now: Date,
): { id: string; en: string } | undefined {
  const t = Date.parse(until);
  if (Number.isNaN(t))
    return { id: 'Tanggal perpanjangan tidak sah.', en: 'The extension date is not valid.' };
  if (t <= Date.parse(effectiveDeadline(calendar)))
    return {
      id: `Perpanjangan harus setelah batas waktu saat ini (${formatWib(effectiveDeadline(calendar))}).`,
      en: `An extension must be after the current deadline (${formatWib(effectiveDeadline(calendar))}).`,
    };
  if (t <= now.getTime())
    return { id: 'Perpanjangan harus di masa depan.', en: 'An extension must be in the future.' };
  if (t >= Date.parse(calendar.nationalRunAt))
    return {
      id: `Perpanjangan harus sebelum penilaian nasional (${formatWib(calendar.nationalRunAt)}); geser jadwal penilaian terlebih dahulu.`,
      en: `An extension must end before the national run (${formatWib(calendar.nationalRunAt)}); move the run first.`,
    };
  return undefined;
}

/** `2026-03-31T23:59:00+07:00` for a calendar date's deadline at 23:59 WIB. */
export const wibDeadline = (date: string): string => `${date}T23:59:00${WIB_OFFSET}`;

/** `31-03-2026 23:59 WIB`: how operators read a moment. */
export function formatWib(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const wib = new Date(t + WIB_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(wib.getUTCDate())}-${pad(wib.getUTCMonth() + 1)}-${wib.getUTCFullYear()} ${pad(wib.getUTCHours())}:${pad(wib.getUTCMinutes())} WIB`;
}

/** A calendar problem, naming the field to fix. */
export interface CalendarProblem {
  field: string;
  id: string;
  en: string;
}

const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

/**
 * Every inconsistency of a calendar: instants with an explicit offset, the window opens before it
 * closes, each extension moves the deadline later, the national run comes after the window (and
 * its grace) and publication after the run. Does not look at the clock (see `extensionProblem`).
 */
export function calendarProblems(calendar: Calendar): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const instants: [string, string | undefined][] = [
    ['opensAt', calendar.opensAt],
    ['closesAt', calendar.closesAt],
    ...calendar.extensions.map((e, i): [string, string] => [`extensions[${i}].until`, e.until]),
    ['nationalRunAt', calendar.nationalRunAt],
    ['publishAt', calendar.publishAt],
  ];
  for (const [field, value] of instants) {
    if (value === undefined) continue;
    if (!OFFSET.test(value) || Number.isNaN(Date.parse(value)))
      problems.push({
        field,
        id: `${field}: bukan waktu ISO 8601 dengan zona (mis. 2026-03-31T23:59:00+07:00).`,
        en: `${field}: not an ISO 8601 instant with an offset (e.g. 2026-03-31T23:59:00+07:00).`,
      });
  }
  if (problems.length > 0) return problems;
  const t = (iso: string) => Date.parse(iso);
  if (t(calendar.opensAt) >= t(calendar.closesAt))
    problems.push({
      field: 'closesAt',
      id: `Batas waktu (${formatWib(calendar.closesAt)}) harus setelah pembukaan (${formatWib(calendar.opensAt)}).`,
      en: `The deadline (${formatWib(calendar.closesAt)}) must be after the opening (${formatWib(calendar.opensAt)}).`,
    });
  let previous = calendar.closesAt;
  calendar.extensions.forEach((extension, i) => {
    if (t(extension.until) <= t(previous))
      problems.push({
        field: `extensions[${i}].until`,
        id: `Perpanjangan ke-${i + 1} (${formatWib(extension.until)}) harus setelah batas sebelumnya (${formatWib(previous)}).`,
        en: `Extension ${i + 1} (${formatWib(extension.until)}) must be after the previous deadline (${formatWib(previous)}).`,
      });
    previous = extension.until;
  });
  const windowEnd = dueAt('OPEN', calendar) ?? 0;
  if (t(calendar.nationalRunAt) < windowEnd)
    problems.push({
      field: 'nationalRunAt',
      id: `Penilaian nasional (${formatWib(calendar.nationalRunAt)}) harus setelah jendela pengajuan dan masa tenggangnya berakhir (${formatWib(new Date(windowEnd).toISOString())}).`,
      en: `The national run (${formatWib(calendar.nationalRunAt)}) must be after the submission window and its grace end (${formatWib(new Date(windowEnd).toISOString())}).`,
    });
  if (calendar.publishAt !== undefined && t(calendar.publishAt) < t(calendar.nationalRunAt))
    problems.push({
      field: 'publishAt',
      id: `Publikasi (${formatWib(calendar.publishAt)}) harus setelah penilaian nasional (${formatWib(calendar.nationalRunAt)}).`,
      en: `Publication (${formatWib(calendar.publishAt)}) must be after the national run (${formatWib(calendar.nationalRunAt)}).`,
    });
  return problems;
}

export interface PendingTransition {
  to: CycleStatus;
  /** UTC instant the transition is due. */
  at: string;
}

/** The calendar transitions still ahead of a status, in order, each with its due instant. */
export function pendingTransitions(status: CycleStatus, calendar: Calendar): PendingTransition[] {
  const out: PendingTransition[] = [];
  let current = status;
  for (;;) {
    const next = NEXT[current];
    const at = dueAt(current, calendar);
    if (!next || at === undefined) return out;
    out.push({ to: next, at: new Date(at).toISOString() });
    current = next;
  }
}
