import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTarget, callApi } from '#cli/api-client';
import { uploadFile } from '#cli/commands/upload';
import { demoUploads } from '#cli/demo/generate';
import { runCli } from '#test/support/cli';
import {
  killRuntimeChild as kill,
  type RuntimeChild,
  startRuntimeChild as start,
} from '#test/support/runtime-child';

/**
 * Nothing lost, nothing stuck: the real runtime (`indeks start`) in a child process, killed with
 * SIGKILL (a power cut, the OOM killer) right after a burst of uploads and again in the middle of
 * a national run, then started again on the same data folder.
 *
 * The first kill comes once every upload's POST has returned (the objects are stored), while their
 * events, submission records and pipeline executions are still in flight: the local S3 storage is
 * made crash-safe for kills during writes separately (issue 9 §0).
 */

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await sleep(200);
  }
}

const TERMINAL = new Set(['REJECTED', 'SCORED', 'FAILED']);

interface Submission {
  submissionId: string;
  status: string;
}
interface CycleView {
  status: string;
  currentRunId?: string;
  runs: { runId: string; status: string; failure?: { error?: string; cause?: string } }[];
}

let dir = '';
let child: RuntimeChild | undefined;
const cycleId = 'kill-iid';
const uploads = demoUploads({
  methodology: 'iid-2023',
  period: 2023,
  seed: 9,
  provinces: ['18', '16'],
}).filter((u) => u.case !== 'missing');

const target = (token?: string): ApiTarget => ({ baseUrl: child?.api ?? '', ...(token ? { token } : {}) });
const tokenFor = async (role: string, region?: string) =>
  (
    await callApi<{ token: string }>(target(), 'POST', '/_local/token', {
      body: { role, ...(region ? { region } : {}) },
    })
  ).body.token;
const admin = async () => target(await tokenFor('admin'));
const cycle = async () => (await callApi<CycleView>(await admin(), 'GET', `/cycles/${cycleId}`)).body;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indeks-kill-'));
});
afterAll(async () => {
  if (child && child.process.exitCode === null) await kill(child);
  await rm(dir, { recursive: true, force: true });
});

describe('a runtime killed mid-work comes back with nothing lost and nothing stuck', () => {
  it('kill during a burst of uploads → restart → sweeper: every object has exactly one terminal submission', async () => {
    child = await start(dir);
    const clock = (await callApi<{ now: string }>(target(), 'GET', '/_local/clock')).body;
    const now = Date.parse(clock.now);
    const day = (d: number) => new Date(now + 7 * 3600_000 + d * 86_400_000).toISOString().slice(0, 10);
    await callApi(await admin(), 'POST', '/cycles', {
      body: {
        cycleId,
        methodologyId: 'iid-2023',
        calendar: {
          opensAt: new Date(now + 60_000).toISOString(),
          closesAt: day(2),
          nationalRunAt: `${day(3)}T08:00:00+07:00`,
        },
      },
    });
    await callApi(await admin(), 'POST', '/_local/clock', { body: { advance: 'PT2M' } });
    await until('cycle OPEN', async () => ((await cycle()).status === 'OPEN' ? true : undefined));

    // The burst: every region at once; SIGKILL as soon as the last file is stored.
    expect(uploads.length).toBeGreaterThan(20);
    const tokens = new Map<string, string>();
    for (const u of uploads) tokens.set(u.region.kode, await tokenFor('operator', u.region.kode));
    await Promise.all(
      uploads.map((u) =>
        uploadFile(target(tokens.get(u.region.kode)), {
          cycleId,
          region: u.region.kode,
          kind: 'data',
          fileName: u.fileName,
          contentType: u.contentType,
          bytes: Buffer.from(u.body),
        }),
      ),
    );
    await kill(child);

    child = await start(dir);
    const s3 = new S3Client({
      endpoint: child.s3,
      region: 'ap-southeast-3',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: await uploadBucket(s3), Prefix: `submissions/${cycleId}/` }),
    );
    const objects = (listed.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k.includes('/data-'));
    expect(objects).toHaveLength(uploads.length);

    // Time passes (the scheduled sweeper fires), and the admin's redrive changes nothing more.
    await callApi(await admin(), 'POST', '/_local/clock', { body: { advance: 'PT20M' } });
    let last = new Map<string, Submission[]>();
    const statuses = await until(
      'every submission terminal',
      async () => {
        last = await submissionsByKey(objects);
        return [...last.values()].every((list) => list.length === 1 && TERMINAL.has(list[0]?.status ?? ''))
          ? last
          : undefined;
      },
      120_000,
    ).catch((error: unknown) => {
      const open = [...last.entries()].filter(
        ([, l]) => !(l.length === 1 && TERMINAL.has(l[0]?.status ?? '')),
      );
      throw new Error(
        `${String(error)}\n${JSON.stringify(open)}\n${child?.output().split('\n').slice(-40).join('\n')}`,
      );
    });
    process.env.INDEKS_API = child.api;
    process.env.INDEKS_TOKEN = await tokenFor('admin');
    const redrive = await runCli(['redrive', '--cycle', cycleId, '--json']);
    expect(redrive.code).toBe(0);
    expect(JSON.parse(redrive.stdout)).toMatchObject({ cycleId, submissions: [], unrecorded: [] });

    for (const key of objects) {
      const list = statuses.get(key) ?? [];
      expect(list, key).toHaveLength(1);
      expect(TERMINAL.has(list[0]?.status ?? ''), `${key}: ${list[0]?.status}`).toBe(true);
    }
    const counts: Record<string, number> = {};
    for (const [s] of [...statuses.values()].map((l) => l.map((x) => x.status)))
      counts[s ?? ''] = (counts[s ?? ''] ?? 0) + 1;
    console.info(`after the kill: ${objects.length} objects, statuses ${JSON.stringify(counts)}`);
    s3.destroy();
  }, 400_000);

  it('kill during the national run → restart: the run is FAILED with its cause, the cycle CLOSED, a re-run completes', async () => {
    if (!child) throw new Error('no runtime');
    const clockNow = (await callApi<{ now: string }>(target(), 'GET', '/_local/clock')).body.now;
    const runAt = new Date(Date.parse(clockNow) + 3 * 86_400_000).toISOString().slice(0, 10);
    await callApi(await admin(), 'POST', '/_local/clock', { body: { now: `${runAt}T08:01:00+07:00` } });
    const assessing = await until('cycle ASSESSING', async () => {
      const c = await cycle();
      return c.status === 'ASSESSING' ? c : undefined;
    });
    await kill(child);
    const runId = assessing.currentRunId ?? '';
    expect(runId).toBe(`${cycleId}-r1`);

    child = await start(dir);
    // On start the runtime settles the execution the killed one left running (ABORTED) and sends
    // its status-change event: the run follows it.
    const closed = await until('cycle CLOSED', async () => {
      const c = await cycle();
      return c.status === 'CLOSED' ? c : undefined;
    });
    const run = closed.runs.find((r) => r.runId === runId);
    // The kill may come before FreezeManifest recorded the run: then there is no run to mark.
    if (run) expect(run).toMatchObject({ status: 'FAILED', failure: { error: 'Local.RuntimeStopped' } });

    const rerun = await callApi<{ runId: string }>(await admin(), 'POST', `/cycles/${cycleId}/runs`, {
      body: { reason: 'dijalankan ulang setelah runtime mati / re-run after the runtime died' },
    });
    expect(rerun.status).toBe(202);
    expect(rerun.body.runId).toBe(`${cycleId}-r2`);
    const done = await until(
      're-run PROVISIONAL',
      async () => {
        const c = await cycle();
        const r = c.runs.find((x) => x.runId === `${cycleId}-r2`);
        if (r?.status === 'FAILED') throw new Error(`re-run failed: ${JSON.stringify(r.failure)}`);
        return r?.status === 'PROVISIONAL' && c.status === 'ASSESSED' ? c : undefined;
      },
      180_000,
    );
    expect(done.status).toBe('ASSESSED');
  }, 400_000);
});

async function uploadBucket(s3: S3Client): Promise<string> {
  const { ListBucketsCommand } = await import('@aws-sdk/client-s3');
  const out = await s3.send(new ListBucketsCommand({}));
  const name = out.Buckets?.map((b) => b.Name ?? '').find((n) => n.toLowerCase().includes('upload'));
  if (!name) throw new Error('no upload bucket');
  return name;
}

/** Every region's submissions, grouped by the object they came from. */
async function submissionsByKey(objects: string[]): Promise<Map<string, Submission[]>> {
  const token = await admin();
  const byKey = new Map<string, Submission[]>(objects.map((k) => [k, []]));
  const regions = new Set(objects.map((k) => k.split('/')[2] ?? ''));
  for (const kode of regions) {
    const { body } = await callApi<{ items: (Submission & { fileName?: string; key?: string })[] }>(
      token,
      'GET',
      `/cycles/${cycleId}/regions/${kode}/submissions?limit=100`,
    );
    const keys = objects.filter((k) => k.split('/')[2] === kode);
    // One data upload per region in this burst: each of its submissions belongs to that object.
    expect(keys).toHaveLength(1);
    byKey.set(keys[0] ?? '', body.items);
  }
  return byKey;
}
