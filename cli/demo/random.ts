/** Small seeded PRNG (mulberry32): the same seed always yields the same demo data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
