export type ClockListener = (now: number) => void;

/**
 * The runtime's notion of "now": real time plus an offset that demos and tests move forward
 * (`--clock-offset`, `POST /_local/clock`). It is the product's time only: the runtime hands it to
 * the product code through its clock port (`#adapters/clock`), so handlers deciding "is the window
 * closed?" see the same time as the scheduler that fired them. The global `Date` is never patched:
 * the emulators and real clients (SigV4 signing dates, RequestTimeTooSkewed) keep real time.
 */
export class LocalClock {
  private offset: number;
  private readonly listeners = new Set<ClockListener>();

  constructor(offsetMs = 0) {
    this.offset = offsetMs;
  }

  now(): number {
    return Date.now() + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Moves time forward (never backward: a schedule that fired stays fired). */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    return this.setOffset(this.offset + ms);
  }

  /** Jumps to an instant at or after the current local time. */
  set(instant: number): number {
    if (!Number.isFinite(instant)) {
      throw new RangeError(
        'Waktu tidak sah; gunakan ISO-8601 dengan zona waktu. / Invalid instant; use ISO-8601 with a time zone.',
      );
    }
    const delta = instant - this.now();
    if (delta < -1000) throw new RangeError('the clock only moves forward');
    return this.setOffset(this.offset + Math.max(0, delta));
  }

  setOffset(offsetMs: number): number {
    this.offset = offsetMs;
    const now = this.now();
    for (const listener of this.listeners) listener(now);
    return now;
  }

  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** ISO-8601 duration (days and time only: `P2D`, `PT24H`, `PT90M`, `P1DT12H`) in milliseconds. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (!match || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) {
    throw new RangeError(
      `Durasi "${text}" tidak sah; gunakan ISO-8601 seperti PT24H atau P3D. / Invalid duration "${text}"; use ISO-8601 such as PT24H or P3D.`,
    );
  }
  const [, d, h, m, s] = match;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return Math.round(((n(d) * 24 + n(h)) * 60 + n(m)) * 60_000 + n(s) * 1000);
}
