/**
 * Reading published results: who may see a run, how a rank moved since the previous cycle,
 * distributions and national statistics. Pure: every function takes its inputs (and `now`).
 */

export type CycleStatusLike = 'DRAFT' | 'OPEN' | 'CLOSED' | 'ASSESSING' | 'ASSESSED' | 'PUBLISHED';
export type RunStatusLike = 'RUNNING' | 'PROVISIONAL' | 'FINAL' | 'FAILED';

export interface PublicationInput {
  cycle: { status: string; calendar: { publishAt?: string } };
  run: { status: string };
}

/**
 * A run's results are public (every authenticated role) only when the run is FINAL, its cycle is
 * PUBLISHED and the embargo (`publishAt`) has passed. Anything else is provisional or embargoed:
 * for assessors, leadership and admins only.
 */
export function isPublished({ cycle, run }: PublicationInput, now: Date): boolean {
  if (run.status !== 'FINAL' || cycle.status !== 'PUBLISHED') return false;
  if (cycle.calendar.publishAt === undefined) return true;
  // An embargo date that cannot be read keeps the results closed (fail closed).
  const publishAt = Date.parse(cycle.calendar.publishAt);
  return !Number.isNaN(publishAt) && publishAt <= now.getTime();
}

/** Runs whose results exist and are frozen (nothing writes to a run once it left RUNNING). */
export const hasResults = (status: string): boolean => status === 'PROVISIONAL' || status === 'FINAL';

/** Places gained since the previous cycle (positive = moved up); null unless ranked both times. */
export function rankChange(
  previous: number | null | undefined,
  current: number | null | undefined,
): number | null {
  if (typeof previous !== 'number' || typeof current !== 'number') return null;
  return previous - current;
}

/** The cycle before `current` for the same index: the highest period below it. */
export function previousCycleOf<T extends { cycleId: string; index: string; period: number }>(
  current: Pick<T, 'cycleId' | 'index' | 'period'>,
  cycles: readonly T[],
): T | undefined {
  let best: T | undefined;
  for (const c of cycles) {
    if (c.cycleId === current.cycleId) continue;
    if (c.index.toLowerCase() !== current.index.toLowerCase() || c.period >= current.period) continue;
    if (!best || c.period > best.period || (c.period === best.period && c.cycleId > best.cycleId)) best = c;
  }
  return best;
}

export interface Statistics {
  count: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  /** Population standard deviation. */
  sd: number;
  p25: number;
  p75: number;
}

/** Descriptive statistics of a set of index values; null when there are none. */
export function describe(values: readonly number[]): Statistics | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const mean = sorted.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(sorted.reduce((s, v) => s + (v - mean) * (v - mean), 0) / n);
  return {
    count: n,
    mean,
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? 0,
    max: sorted[n - 1] ?? 0,
    sd,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
  };
}

/** Linear interpolation between closest ranks (the spreadsheet `PERCENTILE.INC`). */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const low = sorted[lower] ?? 0;
  const high = sorted[Math.min(lower + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - lower);
}

/**
 * Counts per predikat in the methodology's band order (labels given), unknown labels after them,
 * every given label present (0 when nobody has it).
 */
export function distribution(labels: readonly string[], values: readonly (string | undefined)[]) {
  const counts = new Map<string, number>(labels.map((l) => [l, 0]));
  for (const v of values) {
    const label = v ?? '-';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([predikat, count]) => ({ predikat, count }));
}

/** Lower case without diacritics, single spaces: "Kab. Lampung  Selatan" ≈ "kab. lampung selatan". */
export function normaliseSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Whether a region matches a search: every word of the query appears in its name or code
 * ("lampung sel" or "kab. lampung" find Kabupaten Lampung Selatan; "18.01" finds it by code).
 */
export function matchesSearch(query: string, kode: string, nama: string): boolean {
  const words = normaliseSearch(query)
    .split(' ')
    .map((w) => w.replace(/\.$/, ''))
    .filter(Boolean);
  if (words.length === 0) return true;
  const haystack = `${normaliseSearch(nama)} ${kode}`;
  return words.every((w) => haystack.includes(w));
}
