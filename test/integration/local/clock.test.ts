import { describe, expect, it } from 'vitest';
import { followProductClock, now, nowMs } from '#adapters/clock';
import { LocalClock, parseDuration } from '#local/clock';
import { nextOccurrence, parseExpression } from '#local/scheduler/expression';

const WIB = 'Asia/Jakarta';
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('schedule expressions', () => {
  it('reads at() as wall-clock time in the schedule time zone', () => {
    const e = parseExpression('at(2026-03-31T23:59:00)', WIB);
    expect(e).toEqual({ kind: 'at', at: Date.parse('2026-03-31T16:59:00Z') });
  });

  it('finds the next cron minute in Asia/Jakarta', () => {
    const every15 = parseExpression('cron(0/15 * * * ? *)', WIB);
    expect(iso(nextOccurrence(every15, Date.parse('2026-03-01T03:07:00Z'), 0, WIB))).toBe(
      '2026-03-01T03:15:00.000Z',
    );
    const lastDay = parseExpression('cron(59 23 L * ? *)', WIB);
    expect(iso(nextOccurrence(lastDay, Date.parse('2026-02-10T00:00:00Z'), 0, WIB))).toBe(
      '2026-02-28T16:59:00.000Z',
    );
    const monday = parseExpression('cron(0 8 ? * MON *)', WIB);
    expect(iso(nextOccurrence(monday, Date.parse('2026-03-01T00:00:00Z'), 0, WIB))).toBe(
      '2026-03-02T01:00:00.000Z',
    );
  });

  it('counts rate() from its anchor and refuses what it cannot run', () => {
    const hourly = parseExpression('rate(1 hour)', 'UTC');
    expect(nextOccurrence(hourly, 5_000_000, 1_000_000, 'UTC')).toBe(1_000_000 + 2 * 3_600_000);
    expect(() => parseExpression('rate(0 hours)', 'UTC')).toThrow(/Invalid Schedule Expression/);
    expect(() => parseExpression('cron(0 8 * * * *)', 'UTC')).toThrow(/exactly one/);
    expect(() => parseExpression('cron(0 8 ? * 2#1 *)', 'UTC')).toThrow(/not supported/);
  });
});

describe('local clock', () => {
  it('parses ISO-8601 durations and refuses others with a bilingual message', () => {
    expect(parseDuration('PT24H')).toBe(86_400_000);
    expect(parseDuration('P1DT30M')).toBe(86_400_000 + 1_800_000);
    expect(() => parseDuration('24h')).toThrow(/tidak sah.*Invalid duration/s);
  });

  it('only moves forward, and drives the product clock port while installed, never the global Date', () => {
    const clock = new LocalClock();
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.set(Date.parse('besok'))).toThrow(/Invalid instant/);
    expect(() => clock.set(Date.now() - 3_600_000)).toThrow(/only moves forward/);
    const real = () => performance.timeOrigin + performance.now();
    const undo = followProductClock(() => clock.now());
    try {
      clock.advance(3_600_000);
      expect(nowMs() - real()).toBeGreaterThan(3_500_000);
      expect(now().getTime() - real()).toBeGreaterThan(3_500_000);
      expect(Math.abs(Date.now() - real())).toBeLessThan(1000);
    } finally {
      undo();
    }
    expect(Math.abs(nowMs() - real())).toBeLessThan(1000);
    // An undo that is not the installed source's own leaves the newer one in place.
    const second = followProductClock(() => 42);
    undo();
    expect(nowMs()).toBe(42);
    second();
  });
});
