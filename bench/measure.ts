/** Median, min and max of repeated runs after warm-up: the figures the issues ask for. */
export function measure(name: string, fn: () => unknown, options: { warmup?: number; runs?: number } = {}) {
  const { warmup = 5, runs = 25 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return report(name, times);
}

export async function measureAsync(
  name: string,
  fn: () => Promise<unknown>,
  options: { warmup?: number; runs?: number } = {},
) {
  const { warmup = 2, runs = 10 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return report(name, times);
}

function report(name: string, times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const fmt = (v: number) => v.toFixed(2);
  console.log(`${name}: ${fmt(median)} ms (min ${fmt(sorted[0] ?? 0)}, max ${fmt(sorted.at(-1) ?? 0)})`);
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
}
