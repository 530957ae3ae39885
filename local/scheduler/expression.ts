import { fromWall, toWall } from './time-zone';

export type ScheduleExpression =
  | { kind: 'at'; at: number }
  | { kind: 'rate'; periodMs: number }
  | { kind: 'cron'; fields: CronFields };

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number> | 'any' | 'last';
  months: Set<number>;
  weekdays: Set<number> | 'any';
  years: Set<number> | 'any';
}

export class ExpressionError extends Error {
  constructor(expression: string, detail: string) {
    super(`Invalid Schedule Expression ${expression}: ${detail}`);
    this.name = 'ExpressionError';
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const RATE_UNITS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

function field(text: string, min: number, max: number, names: string[] = [], offset = 0): Set<number> {
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + offset : Number(token);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${token}" out of range ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let from = min;
    let to = max;
    if (range !== '*' && range !== '?') {
      const [a = '', b] = range.split('-');
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

function parseCron(expression: string, body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new ExpressionError(expression, 'cron needs 6 fields');
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = parts;
  if ((dom === '?') === (dow === '?'))
    throw new ExpressionError(expression, 'exactly one of day-of-month and day-of-week must be "?"');
  if (/[LW#]/.test(dom.replace(/^L$/, '')) || /[LW#]/.test(dow))
    throw new ExpressionError(expression, 'W, # and weekday L are not supported locally');
  try {
    return {
      minutes: field(min, 0, 59),
      hours: field(hour, 0, 23),
      days: dom === '?' ? 'any' : dom === 'L' ? 'last' : field(dom, 1, 31),
      months: field(month, 1, 12, MONTHS, 1),
      weekdays: dow === '?' ? 'any' : field(dow, 1, 7, DAYS, 1),
      years: year === '*' ? 'any' : field(year, 1970, 2199),
    };
  } catch (error) {
    throw new ExpressionError(expression, error instanceof Error ? error.message : String(error));
  }
}

/** `at(yyyy-mm-ddThh:mm:ss)`, `rate(n unit)` or `cron(m h dom mon dow y)`, as EventBridge Scheduler takes them. */
export function parseExpression(expression: string, timeZone: string): ScheduleExpression {
  const match = /^(at|rate|cron)\((.*)\)$/.exec(expression.trim());
  if (!match) throw new ExpressionError(expression, 'expected at(...), rate(...) or cron(...)');
  const [, kind, body = ''] = match;
  if (kind === 'at') {
    const at = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
    if (!at) throw new ExpressionError(expression, 'expected at(yyyy-mm-ddThh:mm:ss)');
    const [, y, mo, d, h, mi, s] = at.map(Number);
    return {
      kind: 'at',
      at: fromWall(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0), timeZone),
    };
  }
  if (kind === 'rate') {
    const rate = /^(\d+)\s+(minutes?|hours?|days?)$/.exec(body.trim());
    const unit = rate?.[2] ? RATE_UNITS[rate[2]] : undefined;
    const value = Number(rate?.[1]);
    if (!unit || !(value > 0))
      throw new ExpressionError(expression, 'expected rate(<n> minute(s)|hour(s)|day(s))');
    return { kind: 'rate', periodMs: value * unit };
  }
  return { kind: 'cron', fields: parseCron(expression, body) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function cronMatchesDay(f: CronFields, d: Date): boolean {
  const day = d.getUTCDate();
  const dayOk =
    f.days === 'any' ||
    (f.days === 'last' ? day === daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1) : f.days.has(day));
  const weekdayOk = f.weekdays === 'any' || f.weekdays.has(d.getUTCDay() + 1);
  return dayOk && weekdayOk;
}

/** First wall-clock minute strictly after `after` that the cron fields allow (undefined: none in range). */
function nextCron(f: CronFields, after: number, timeZone: string): number | undefined {
  let wall = Math.floor(toWall(after, timeZone) / 60_000) * 60_000 + 60_000;
  for (let guard = 0; guard < 200_000; guard++) {
    const d = new Date(wall);
    const year = d.getUTCFullYear();
    if (year > 2199) return undefined;
    if (f.years !== 'any' && !f.years.has(year)) {
      wall = Date.UTC(year + 1, 0, 1);
    } else if (!f.months.has(d.getUTCMonth() + 1)) {
      wall = Date.UTC(year, d.getUTCMonth() + 1, 1);
    } else if (!cronMatchesDay(f, d)) {
      wall = Date.UTC(year, d.getUTCMonth(), d.getUTCDate() + 1);
    } else if (!f.hours.has(d.getUTCHours())) {
      wall = Date.UTC(year, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
    } else if (!f.minutes.has(d.getUTCMinutes())) {
      wall += 60_000;
    } else {
      const instant = fromWall(wall, timeZone);
      if (instant > after) return instant;
      wall += 60_000;
    }
  }
  return undefined;
}

/**
 * The first occurrence strictly after `after`. `anchor` is when a rate schedule started counting
 * (its StartDate or creation): rate occurrences are anchor + k·period, k ≥ 1.
 */
export function nextOccurrence(
  expression: ScheduleExpression,
  after: number,
  anchor: number,
  timeZone: string,
): number | undefined {
  switch (expression.kind) {
    case 'at':
      return expression.at > after ? expression.at : undefined;
    case 'rate': {
      const k = Math.max(1, Math.floor((after - anchor) / expression.periodMs) + 1);
      return anchor + k * expression.periodMs;
    }
    case 'cron':
      return nextCron(expression.fields, after, timeZone);
  }
}
