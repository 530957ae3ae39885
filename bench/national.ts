import { rank, scoreRun } from '../shared/domain/engine';
import { getMethodology } from '../shared/domain/methodology/registry';
import { measure } from './measure';
import { nationalIid } from './national-data';

/** A full national IID run: 552 regions, 31,719 innovations, then per-cluster ranking. */
export function benchNational() {
  const methodology = getMethodology('iid-2023');
  if (!methodology) throw new Error('iid-2023 is not shipped');
  const submissions = nationalIid();
  const innovations = submissions.reduce((n, s) => n + (s.groups.inovasi?.length ?? 0), 0);
  console.log(`data: ${submissions.length} regions, ${innovations} innovations, 20 indicators each`);

  measure('national-iid-fast', () => rank(scoreRun(methodology, submissions).results, methodology.clusters), {
    warmup: 10,
    runs: 51,
  });

  let peak = 0;
  const gcBefore = () => (globalThis as { gc?: () => void }).gc?.();
  gcBefore();
  const base = process.memoryUsage().heapUsed;
  measure(
    'national-iid-trace',
    () => {
      const run = scoreRun(methodology, submissions, { trace: true });
      const rankings = rank(run.results, methodology.clusters);
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      return rankings;
    },
    { warmup: 3, runs: 15 },
  );
  console.log(
    `national-iid-trace heap above the input data: ${(peak / 1024 / 1024).toFixed(0)} MB peak sampled; rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`,
  );
}
