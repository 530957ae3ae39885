// The same seeded PRNG as the rank intervals (mulberry32): the same seed always yields the same demo data.
export { mulberry32 as prng } from '#domain/engine/uncertainty';

export const pick = <T>(rand: () => number, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)] as T;

/** Counts for `n` regions summing to `total`, skewed like the real data (most near the mean, a few several times it). */
export function skewedCounts(n: number, total: number, rand: () => number): number[] {
  const weights = Array.from({ length: n }, () => {
    const r = rand();
    return r > 0.97 ? 4 + rand() * 4 : 0.3 + rand() * 1.4;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / sum) * total));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n, rest--) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
}
