import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'indeks.js');
const PROBE = join(ROOT, 'bench', 'season-probe.ts');
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const mbBytes = (bytes: number) => mb(bytes / 1024);

interface Probed {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Asks the runtime (SIGUSR2, see season-probe.ts) for its memory after a forced GC and waits for
 * the answer; a heap snapshot, when asked for, takes a minute or more.
 */
async function probe(pid: number, dir: string, n: number): Promise<Probed | undefined> {
  const file = join(dir, `memory-${n}.json`);
  process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + 600_000;
  while (performance.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Probed;
    await sleep(500);
  }
  return undefined;
}

/** VmRSS and VmHWM (peak) of a process, in kB, from /proc. */
function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * `npm run bench -- season`: one `indeks start` in a child process serves `npm run demo` three
 * times in a row (both default methodologies each time). Its RSS is sampled from /proc every
 * 250 ms; prints the peak during each demo, the RSS after it, and the growth from the second to
 * the third. Budget (issue 9 §4): peak under 1.5 GB, under 15 % growth from demo 2 to demo 3.
 * After each demo it also prints what the runtime really retains, `process.memoryUsage()` after a
 * forced GC (season-probe.ts): RSS alone counts pages V8 and malloc keep after the work that needed
 * them. `SEASON_HEAP_SNAPSHOTS=1` adds a heap snapshot per demo, kept in `.data/season-probe-<pid>/`.
 * Takes several minutes per demo on a shared machine. `SEASON_DEMOS=N` changes the count,
 * `SEASON_DEMO_ARGS` passes arguments to `indeks demo` (e.g. `--methodology iid-2023`).
 */
export async function benchSeason(): Promise<void> {
  const demos = Number(process.env.SEASON_DEMOS ?? 3);
  const dataDir = join(ROOT, '.data', `bench-season-${process.pid}`);
  await mkdir(dataDir, { recursive: true });
  const ports = {
    PORT: await freePort(),
    INDEKS_S3_PORT: await freePort(),
    INDEKS_DYNAMODB_PORT: await freePort(),
    INDEKS_SERVICES_PORT: await freePort(),
  };
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
  const api = `http://127.0.0.1:${ports.PORT}`;
  // Heap snapshots (SEASON_HEAP_SNAPSHOTS=1) stay for analysis in .data/season-probe-<pid>/.
  const probeDir = join(ROOT, '.data', `season-probe-${process.pid}`);
  await mkdir(probeDir, { recursive: true });
  const runtime = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--import', PROBE, BIN, 'start', '--data-dir', dataDir],
    {
      cwd: ROOT,
      env: { ...env, SEASON_PROBE_DIR: probeDir },
      stdio: ['ignore', 'ignore', 'ignore'],
    },
  );
  const pid = runtime.pid ?? 0;
  let peak = 0;
  let ticks = 0;
  const sampler = setInterval(() => {
    const m = memoryOf(pid);
    if (m) peak = Math.max(peak, m.rss);
    // A line a minute, so a run cut short (a slow shared machine) still leaves figures.
    if (m && ++ticks % 240 === 0)
      console.log(`season: ${ticks / 4} s, runtime RSS ${mb(m.rss)}, peak ${mb(m.hwm)}`);
  }, 250);
  try {
    const deadline = performance.now() + 180_000;
    for (;;) {
      if (runtime.exitCode !== null) throw new Error('the runtime exited during start');
      try {
        if ((await fetch(`${api}/_local/clock`)).ok) break;
      } catch {
        // not listening yet
      }
      if (performance.now() > deadline) throw new Error('the runtime did not start in 3 minutes');
      await sleep(500);
    }
    const ready = memoryOf(pid);
    console.log(`season: runtime ready, RSS ${mb(ready?.rss ?? 0)}`);
    const peaks: number[] = [];
    const retained: number[] = [];
    for (let i = 1; i <= demos; i++) {
      peak = memoryOf(pid)?.rss ?? 0;
      const started = performance.now();
      const demoArgs = (process.env.SEASON_DEMO_ARGS ?? '').split(' ').filter(Boolean);
      const demo = spawn(process.execPath, [BIN, 'demo', ...demoArgs], {
        cwd: ROOT,
        env: { ...env, INDEKS_API: api },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let tail = '';
      demo.stderr?.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-2000);
      });
      const code = await Promise.race([exited(demo), exited(runtime).then(() => -1)]);
      const after = memoryOf(pid);
      peaks.push(peak);
      console.log(
        `season demo ${i}: ${code === 0 ? 'ok' : `FAILED (${code})`} in ${((performance.now() - started) / 1000).toFixed(0)} s; runtime peak RSS ${mb(peak)}, RSS after ${mb(after?.rss ?? 0)}`,
      );
      if (code !== 0) {
        console.log(tail);
        break;
      }
      const held = await probe(pid, probeDir, i);
      if (held) {
        retained.push(held.heapUsed + held.external);
        console.log(
          `season demo ${i}: after a forced GC heapUsed ${mbBytes(held.heapUsed)} (heap ${mbBytes(held.heapTotal)}), external ${mbBytes(held.external)} (arrayBuffers ${mbBytes(held.arrayBuffers)}), RSS ${mbBytes(held.rss)}`,
        );
      }
    }
    const hwm = memoryOf(pid)?.hwm ?? 0;
    const [second, third] = [peaks[1], peaks[2]];
    const growth = second && third ? `${(((third - second) / second) * 100).toFixed(1)} %` : 'n/a';
    console.log(
      `season: peak RSS over ${peaks.length} demos ${mb(Math.max(hwm, ...peaks))} (VmHWM ${mb(hwm)}); growth demo 2 → 3: ${growth}`,
    );
    const [r2, r3] = [retained[1], retained[2]];
    if (r2 && r3) {
      console.log(
        `season: retained after GC (heapUsed + external) demo 2 ${mbBytes(r2)}, demo 3 ${mbBytes(r3)}: growth ${(((r3 - r2) / r2) * 100).toFixed(1)} %`,
      );
    }
  } finally {
    clearInterval(sampler);
    runtime.kill('SIGINT');
    const stopped = await Promise.race([exited(runtime), sleep(20_000).then(() => undefined)]);
    if (stopped === undefined) runtime.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    if (process.env.SEASON_HEAP_SNAPSHOTS !== '1') await rm(probeDir, { recursive: true, force: true });
  }
}
