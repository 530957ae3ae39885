import { rank, scoreRun } from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import { nationalIid } from './national-data';

/**
 * Memory of one national run with every derivation trace, in a process of its own: RSS once the
 * input is loaded (and collected), then the peak while the run and its ranking are computed.
 * Run with `node --expose-gc --import tsx bench/trace-memory.ts`.
 */
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;
const methodology = getMethodology('iid-2023');
if (!methodology) throw new Error('iid-2023 is not shipped');
const submissions = nationalIid();
gc?.();
const inputRss = process.memoryUsage().rss;
let peakRss = inputRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);
await new Promise((r) => setTimeout(r, 20));
const run = scoreRun(methodology, submissions, { trace: true });
const rankings = rank(run.results, methodology.clusters);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
clearInterval(sampler);
console.log(
  `national-iid-trace memory: RSS ${mb(inputRss)} with the input loaded, ${mb(peakRss)} after the run (+${mb(peakRss - inputRss)}); process peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} including generating the input; ${run.results.length} cards, ${rankings.length} clusters`,
);
