import {
  decodePacked,
  encodePacked,
  packSubmission,
  rank,
  scoreRun,
  scoreRunPacked,
} from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import { measure } from './measure';
import { nationalIid } from './national-data';
import { peerMedian } from './peer';

/** A full national IID run: 552 regions, 31,719 innovations, then per-cluster ranking. */
export function benchNational() {
  const methodology = getMethodology('iid-2023');
  if (!methodology) throw new Error('iid-2023 is not shipped');
  const submissions = nationalIid();
  const innovations = submissions.reduce((n, s) => n + (s.groups.inovasi?.length ?? 0), 0);
  console.log(`data: ${submissions.length} regions, ${innovations} innovations, 20 indicators each`);

  // What the national run reads: each region's packed object as stored beside its canonical JSON
  // (packed once, when the submission was validated), decoded into typed-array views.
  const stored = submissions.map((s) => encodePacked(packSubmission(methodology, s)));
  const bytes = stored.reduce((n, b) => n + b.byteLength, 0);
  console.log(`packed: ${(bytes / 1024 / 1024).toFixed(1)} MB for ${stored.length} regions`);
  const packed = stored.map((b) => decodePacked(b));

  const fast = measure(
    'national-iid-fast',
    () => rank(scoreRunPacked(methodology, packed).results, methodology.clusters),
    { warmup: 10, runs: 51 },
  );
  measure(
    'national-iid-decode+fast',
    () =>
      rank(
        scoreRunPacked(
          methodology,
          stored.map((b) => decodePacked(b)),
        ).results,
        methodology.clusters,
      ),
    { warmup: 5, runs: 25 },
  );
  measure(
    'national-iid-fast-from-json',
    () => rank(scoreRun(methodology, submissions).results, methodology.clusters),
    { warmup: 3, runs: 15 },
  );

  const peer = peerMedian();
  if (peer !== undefined)
    console.log(
      `national-iid-fast / pandas peer: ${(fast.median / peer).toFixed(2)} (goal <= 0.50; ${fast.median.toFixed(2)} ms vs ${peer.toFixed(1)} ms, same run)`,
    );

  measure(
    'national-iid-trace',
    () => rank(scoreRun(methodology, submissions, { trace: true }).results, methodology.clusters),
    {
      warmup: 3,
      runs: 15,
    },
  );

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().heapUsed;
  const held = scoreRun(methodology, submissions, { trace: true });
  gc?.();
  const live = process.memoryUsage().heapUsed - base;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `national-iid-trace memory: ${mb(live)} live trace of ${held.results.length} regions; process peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} (input data included)`,
  );
}
