import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

/**
 * Loaded into the season bench's runtime with `--import` (never by the product): on SIGUSR2 it
 * collects garbage (the runtime runs with --expose-gc), then writes what the heap really holds,
 * `process.memoryUsage()` after that GC, to `<SEASON_PROBE_DIR>/memory-<n>.json`, and, when
 * `SEASON_HEAP_SNAPSHOTS=1`, a heap snapshot `heap-<n>.heapsnapshot` beside it. RSS alone cannot
 * tell retained memory from pages the allocator has not returned to the system.
 */
const dir = process.env.SEASON_PROBE_DIR;
const gc = (globalThis as { gc?: () => void }).gc;
if (dir) {
  let n = 0;
  process.on('SIGUSR2', () => {
    n += 1;
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    if (process.env.SEASON_HEAP_SNAPSHOTS === '1') writeHeapSnapshot(join(dir, `heap-${n}.heapsnapshot`));
    writeFileSync(join(dir, `memory-${n}.json`), JSON.stringify({ ...usage, gc: gc !== undefined }));
  });
}
