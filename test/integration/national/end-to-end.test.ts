import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredEnv, s3Client } from '#adapters/aws-clients';
import { createDocumentClient, createRepositories, type Repositories } from '#adapters/dynamo/index';
import { ObjectStore } from '#adapters/object-store';
import { demoUploads } from '#cli/demo/generate';
import type { RankingPage, RegionDetail } from '#http/openapi-results';
import { startTestRuntime, type TestRuntime } from '../local/support';

/**
 * The national assessment in the local runtime, driven by the calendar alone: the cycles API
 * creates the one-time schedules, the clock moves, Scheduler fires cycle-transition, which starts
 * the synthesized national state machine (Init, FreezeManifest, the Distributed Map of RevalidateBatch,
 * Aggregate, Publish, Summary; MarkRunFailed on a failure) around the real handlers.
 */
const DAY = 86_400_000;
let t: TestRuntime;
let repos: Repositories;
let objects: ObjectStore;
let base = 0;

const wibDay = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestRuntime();
  repos = createRepositories(createDocumentClient(), t.runtime.template.tables()[0]?.name ?? '');
  const bucket =
    t.runtime.template.buckets().find((b) => b.eventBridge)?.name ?? requiredEnv('UPLOAD_BUCKET');
  objects = new ObjectStore(s3Client(), bucket);
  base = t.runtime.clock.now();
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

async function api(method: string, path: string, body?: unknown) {
  // Minted at the runtime's clock, which the test moves by days.
  const admin = await t.runtime.mintToken({ role: 'admin' });
  const res = await fetch(`${t.runtime.urls.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** An accepted submission as the submission side leaves it (canonical JSON + ACCEPTED record). */
async function accepted(cycleId: string, kode: string, body: string) {
  const { submission } = await repos.submissions.createFromUpload({
    cycleId,
    kode,
    object: {
      bucket: objects.bucket,
      key: `submissions/${cycleId}/${kode}/data-x/data.json`,
      versionId: 'v1',
    },
    uploadedAt: new Date(t.runtime.clock.now()).toISOString(),
  });
  const ref = { cycleId, kode, submissionId: submission.submissionId };
  await objects.put(
    `reports/${cycleId}/${kode}/${submission.submissionId}.submission.json`,
    body,
    'application/json',
  );
  await repos.submissions.transition(ref, 'VALIDATING');
  await repos.submissions.transition(ref, 'ACCEPTED');
}

const nationalExecutions = () => {
  const machine = t.runtime.template.stateMachines().find((m) => m.logicalId.startsWith('National'));
  return t.runtime.stepFunctions.listExecutions(machine?.arn);
};

describe('local runtime: calendar → national run → PROVISIONAL → FINAL', () => {
  it('runs the national assessment when the calendar says so, and publishes it FINAL on request', async () => {
    const calendar = {
      opensAt: new Date(base + DAY).toISOString(),
      closesAt: wibDay(base + 3 * DAY),
      nationalRunAt: new Date(base + 5 * DAY).toISOString(),
    };
    const created = await api('POST', '/cycles', { cycleId: 'e2e-iid', methodologyId: 'iid-2023', calendar });
    expect(created.status).toBe(201);
    expect(t.runtime.scheduler.list({ prefix: 'e2e-iid.' }).map((s) => s.Name)).toEqual([
      'e2e-iid.assess',
      'e2e-iid.close',
      'e2e-iid.open',
    ]);

    await t.runtime.setClock(new Date(base + DAY + 60_000).toISOString());
    await t.runtime.idle();
    expect((await repos.cycles.get('e2e-iid'))?.status).toBe('OPEN');

    const lampung = demoUploads({
      methodology: 'iid-2023',
      period: 2023,
      seed: 3,
      innovations: 400,
      allValid: true,
    })
      .filter((u) => u.region.provinsi === '18')
      .slice(0, 8);
    for (const u of lampung) await accepted('e2e-iid', u.region.kode, u.body);

    await t.runtime.setClock(new Date(base + 5 * DAY + 60_000).toISOString());
    await t.runtime.idle();
    const [execution] = nationalExecutions();
    expect(execution).toMatchObject({ name: 'e2e-iid-r1', status: 'SUCCEEDED' });
    const output = JSON.parse(String(execution?.output ?? '{}'));
    expect(output).toMatchObject({
      cycleId: 'e2e-iid',
      runId: 'e2e-iid-r1',
      status: 'PROVISIONAL',
      manifest: { regionCount: 8 },
      publish: { status: 'PROVISIONAL', cycleStatus: 'ASSESSED', historyRecorded: 552 },
    });

    const cycle = await api('GET', '/cycles/e2e-iid');
    expect(cycle.body).toMatchObject({ status: 'ASSESSED', currentRunId: 'e2e-iid-r1' });
    expect(cycle.body.runs).toMatchObject([
      { runId: 'e2e-iid-r1', status: 'PROVISIONAL', counts: { regions: 552, scored: 8, failed: 0 } },
    ]);
    const kabupaten = await repos.rankings.listByCluster('e2e-iid-r1', 'kabupaten', { province: '18' });
    expect(kabupaten.items.filter((e) => e.rank !== undefined).map((e) => e.rank)[0]).toBe(1);

    // Every ranked region carries its rank interval, in the API too.
    const ranking = await api('GET', '/cycles/e2e-iid/rankings?cluster=kabupaten&run=e2e-iid-r1&limit=500');
    expect(ranking.status).toBe(200);
    const page = ranking.body as unknown as RankingPage;
    const ranked = page.items.filter((i) => i.rank !== null);
    expect(ranked.length).toBeGreaterThan(0);
    for (const item of ranked) {
      expect(item.interval).toMatchObject({ rank: item.rank });
      const { p5, median, p95 } = item.interval ?? { p5: 0, median: -1, p95: -2 };
      expect(p5).toBeLessThanOrEqual(median);
      expect(median).toBeLessThanOrEqual(p95);
    }
    const detail = await api('GET', `/cycles/e2e-iid/regions/${ranked[0]?.kode}?run=e2e-iid-r1`);
    const card = detail.body as unknown as RegionDetail;
    expect(card.result.ranks.find((r) => r.cluster === 'kabupaten')?.interval).toEqual(ranked[0]?.interval);

    const published = await api('POST', '/cycles/e2e-iid/runs/e2e-iid-r1/publish');
    expect(published).toMatchObject({
      status: 200,
      body: { run: { status: 'FINAL' }, cycle: { status: 'PUBLISHED' } },
    });
  });

  it('a run that fails is recorded FAILED (MarkRunFailed) and the cycle goes back to CLOSED', async () => {
    const now = t.runtime.clock.now();
    await repos.cycles.create({
      cycleId: 'e2e-drift',
      index: 'IID',
      period: 2023,
      name: 'drift',
      calendar: {
        timeZone: 'Asia/Jakarta',
        opensAt: new Date(now - 3 * DAY).toISOString(),
        closesAt: new Date(now - 2 * DAY).toISOString(),
        extensions: [],
        nationalRunAt: new Date(now - DAY).toISOString(),
      },
      // Not the methodology as shipped: the run must refuse it (results would not be reproducible).
      methodology: { id: 'iid-2023', hash: 'sha256:not-the-shipped-one' },
      nextTransitionAt: new Date(now - 3 * DAY).toISOString(),
    });
    // The 15-minute safety net catches the cycle up and starts its run.
    await t.runtime.advanceClock('PT15M');
    await t.runtime.idle();
    const failed = nationalExecutions().find((e) => e.name === 'e2e-drift-r1');
    expect(failed?.status).toBe('FAILED');
    const run = await repos.runs.get('e2e-drift', 'e2e-drift-r1');
    expect(run).toMatchObject({ status: 'FAILED', failure: { error: 'METHODOLOGY_CHANGED' } });
    await t.runtime.invoke('functions/cycle-transition.ts', { cycleId: 'e2e-drift' });
    const cycle = await repos.cycles.get('e2e-drift');
    expect(cycle?.status).toBe('CLOSED');
  });
});
