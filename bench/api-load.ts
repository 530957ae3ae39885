/**
 * Latency of the results API under load, on loopback: rankings and region detail, each at
 * 200 requests/s for 30 s (autocannon, corrected for coordinated omission). Target: p99 < 50 ms.
 *
 *   npx tsx bench/api-load.ts                  # uses `npm start` if it answers, else starts its own
 *   INDEKS_API=http://127.0.0.1:3000 npx tsx bench/api-load.ts --rate 200 --seconds 30
 *
 * Needs a published cycle: when the API has none, the national demo (cli/demo) makes one first.
 * Prints one line per figure: `<figure>: p50 X ms, p99 Y ms, errors N`. Bounded: it stops itself
 * (and the runtime it started) after at most 15 minutes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface AutocannonResult {
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  headers: Record<string, string>;
  requests: { method: 'GET'; path: string }[];
}) => Promise<AutocannonResult>;
// autocannon ships no types; a typed require keeps the rest of the file checked.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ROOT = join(import.meta.dirname, '..');
const HARD_LIMIT_MS = 15 * 60_000;

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '10' },
    strict: { type: 'boolean', default: false },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

const say = (line: string) => process.stderr.write(`[api-load] ${line}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function reachable(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** `indeks start` in a child process on free ports (the load generator must not share its event loop). */
async function startRuntime(): Promise<{ base: string; child: ChildProcess; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'indeks-bench-'));
  const [api, s3, dynamodb, services] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'indeks.js'), 'start', '--data-dir', dataDir], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(api),
      INDEKS_S3_PORT: String(s3),
      INDEKS_DYNAMODB_PORT: String(dynamodb),
      INDEKS_SERVICES_PORT: String(services),
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.resume();
  const base = `http://127.0.0.1:${api}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('indeks start did not get ready within 180 s')), 180_000);
    child.once('exit', (code) => reject(new Error(`indeks start exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('siap / ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.stdout?.resume();
  return { base, child, dataDir };
}

async function json<T>(base: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${base}${path}`, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

interface CycleItem {
  cycleId: string;
  status: string;
}

/** A cycle whose results are published, made by the national demo when there is none yet. */
async function publishedCycle(base: string, token: string): Promise<string> {
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const { items } = await json<{ items: CycleItem[] }>(base, '/cycles?limit=100', auth);
  for (const cycle of items.filter((c) => c.status === 'PUBLISHED')) {
    const res = await fetch(`${base}/cycles/${cycle.cycleId}/summary`, auth);
    if (res.ok) return cycle.cycleId;
  }
  say('no published cycle: running the national demo (552 regions, ~1–2 min)…');
  const { runDemo } = await import('#cli/demo/run-demo');
  const report = await runDemo(
    { baseUrl: base },
    { methodology: 'iid-2023', period: 2023, innovations: 600 },
    () => {},
  );
  return report.cycleId;
}

async function figure(name: string, base: string, token: string, paths: string[]): Promise<AutocannonResult> {
  // One warm-up pass: cold Lambda modules and first reads are not what the figure is about.
  for (const path of paths) await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  console.log(`${name}: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${errors}`);
  say(
    `${name}: ${result.requests.total} requests (${result.requests.average}/s), mean ${result.latency.average} ms, max ${result.latency.max} ms`,
  );
  return result;
}

async function main(): Promise<number> {
  let base = process.env.INDEKS_API ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  let started: Awaited<ReturnType<typeof startRuntime>> | undefined;
  const limit = setTimeout(() => {
    say('hard limit reached: stopping');
    started?.child.kill('SIGKILL');
    process.exit(2);
  }, HARD_LIMIT_MS);
  limit.unref();
  try {
    if (!(await reachable(base))) {
      say(`${base} does not answer: starting indeks start on free ports…`);
      started = await startRuntime();
      base = started.base;
    }
    // The demo moves the local clock by days: a token is minted again after it.
    const mint = async () =>
      (
        await json<{ token: string }>(base, '/_local/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role: 'leadership' }),
        })
      ).token;
    const cycleId = await publishedCycle(base, await mint());
    const token = await mint();
    say(`cycle ${cycleId}; ${RATE} requests/s for ${SECONDS} s per figure, ${CONNECTIONS} connections`);

    const rankings = [
      `/cycles/${cycleId}/rankings?cluster=kabupaten&limit=50`,
      `/cycles/${cycleId}/rankings?cluster=kota&limit=50`,
      `/cycles/${cycleId}/rankings?cluster=kabupaten&province=35&limit=50`,
      `/cycles/${cycleId}/rankings?cluster=provinsi&limit=50`,
      `/cycles/${cycleId}/rankings?cluster=kabupaten&q=selatan&limit=50`,
    ];
    const page = await json<{ items: { kode: string }[] }>(base, rankings[0] ?? '', {
      headers: { authorization: `Bearer ${token}` },
    });
    const regions = page.items.map((i) => `/cycles/${cycleId}/regions/${i.kode}`);

    const results = [
      await figure('rankings', base, token, rankings),
      await figure('region detail', base, token, regions),
    ];
    const failed = results.some((r) => r.errors + r.timeouts + r.non2xx > 0 || r.latency.p99 >= 50);
    say(failed ? 'target missed (p99 < 50 ms, no errors)' : 'target met: p99 < 50 ms, no errors');
    return values.strict && failed ? 1 : 0;
  } finally {
    if (started) {
      const { child, dataDir } = started;
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      });
      await rm(dataDir, { recursive: true, force: true });
    }
    clearTimeout(limit);
  }
}

process.exitCode = await main();
