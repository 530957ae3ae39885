import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from '#util/pool';
import { type ApiTarget, callApi } from '../api-client';
import { uploadFile } from '../commands/upload';
import { type DemoOptions, type DemoUpload, demoUploads, SURVEY_CHANNEL_PROVINCES } from './generate';
import { runSurveyDemo, type SurveyDemoReport } from './survey';

/**
 * The national demo over HTTP, as the real users would do it: the admin opens a cycle, every
 * region's operator uploads to its presigned URL, the window closes on the local clock, the
 * schedule starts the national run, the admin publishes it, leadership reads the ranks.
 */
export interface DemoReport {
  cycleId: string;
  uploads: { files: number; ms: number };
  pipeline: { ms: number; statuses: Record<string, number> };
  nationalRun: { runId: string; ms: number };
  top: { cluster: string; name: string; rows: string[] }[];
  distribution: Record<string, number>;
  urls: string[];
  /** IKKD: the survey channel's figures (issue 14). */
  survey?: SurveyDemoReport;
}

type Progress = (line: string) => void;

interface CompletenessRow {
  kode: string;
  latest?: { status: string };
}
interface CompletenessView {
  provinsi: CompletenessRow;
  regions: CompletenessRow[];
}

const FINAL_STATUSES = new Set(['REJECTED', 'SCORED', 'FAILED', 'NOT_GRANTED', 'LATE']);

export async function runDemo(
  api: ApiTarget,
  options: DemoOptions & { concurrency?: number },
  say: Progress,
): Promise<DemoReport> {
  const local = async <T>(path: string, body?: unknown) =>
    (await callApi<T>(api, 'POST', path, { body })).body;
  const tokenFor = async (role: string, region?: string) =>
    (await local<{ token: string }>('/_local/token', { role, ...(region ? { region } : {}) })).token;
  const as = async (role: string, region?: string): Promise<ApiTarget> => ({
    ...api,
    token: await tokenFor(role, region),
  });

  // 1. The admin opens a cycle: window from now to the day after tomorrow 23:59 WIB, national run the morning after.
  const clock = (await callApi<{ now: string }>(api, 'GET', '/_local/clock')).body;
  const now = Date.parse(clock.now);
  const day = (offsetDays: number) =>
    new Date(now + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
  const cycleId =
    `demo-${options.methodology}-${new Date(now).toISOString().slice(0, 16).replace(/[-:T]/g, '')}`.toLowerCase();
  let admin = await as('admin');
  await callApi(admin, 'POST', '/cycles', {
    body: {
      cycleId,
      methodologyId: options.methodology,
      name: `Demo ${options.methodology}`,
      calendar: {
        // Opens two minutes from now, so its one-time schedule is what opens it.
        opensAt: new Date(now + 120_000).toISOString(),
        closesAt: day(2),
        nationalRunAt: `${day(3)}T08:00:00+07:00`,
      },
    },
  });
  say(`siklus/cycle ${cycleId} dibuat/created; jendela ditutup/window closes ${day(2)} 23:59 WIB`);
  // Moving the clock takes the local admin token.
  await callApi(admin, 'POST', '/_local/clock', { body: { advance: 'PT3M' } });
  await waitFor(async () => (await cycle(admin, cycleId)).status === 'OPEN', 'cycle OPEN', 30_000);

  // 2. Every region's operator uploads its file to the presigned URL.
  const ikkd = options.methodology === 'ikkd-2020';
  const uploads = demoUploads({
    ...options,
    ...(ikkd ? { surveyChannel: SURVEY_CHANNEL_PROVINCES } : {}),
  }).filter((u) => u.case !== 'missing');
  // IKKD: invitations answered over the public form, and paper surveys' scans before their data files.
  const survey = ikkd
    ? await runSurveyDemo(api, as, cycleId, uploads, SURVEY_CHANNEL_PROVINCES, say)
    : undefined;
  // Wall time (performance.now): durations are measured, whatever the local clock says.
  const started = performance.now();
  let done = 0;
  await mapLimit(uploads, options.concurrency ?? 8, async (u: DemoUpload) => {
    const operator = await as('operator', u.region.kode);
    await uploadFile(operator, {
      cycleId,
      region: u.region.kode,
      kind: 'data',
      fileName: u.fileName,
      contentType: u.contentType,
      bytes: Buffer.from(u.body),
    });
    done++;
    if (done % 50 === 0 || done === uploads.length) say(`unggah/upload ${done}/${uploads.length}`);
  });
  const uploadMs = performance.now() - started;

  // 3. Each upload runs through validation and provisional scoring. Watched as the ministry would,
  // one completeness view per province (38 requests a round, not one per region: the watching
  // must not slow what it watches).
  const statuses = new Map<string, string>();
  await waitFor(
    async () => {
      const pending = uploads.filter((u) => !FINAL_STATUSES.has(statuses.get(u.region.kode) ?? ''));
      const provinces = [...new Set(pending.map((u) => u.region.provinsi))];
      await mapLimit(provinces, 4, async (provinsi) => {
        const { body } = await callApi<CompletenessView>(
          admin,
          'GET',
          `/cycles/${cycleId}/provinces/${provinsi}/completeness`,
        );
        for (const row of [body.provinsi, ...body.regions]) {
          if (row.latest) statuses.set(row.kode, row.latest.status);
        }
      });
      const settled = uploads.length - pending.length;
      say(`pipeline ${settled}/${uploads.length} selesai/settled`);
      return uploads.every((u) => FINAL_STATUSES.has(statuses.get(u.region.kode) ?? ''));
    },
    'every submission settled',
    600_000,
    1000,
  );
  const pipelineMs = performance.now() - started - uploadMs;
  const counts: Record<string, number> = {};
  for (const s of statuses.values()) counts[s] = (counts[s] ?? 0) + 1;
  say(`status: ${JSON.stringify(counts)}`);

  // 4. The window closes on the clock; the schedule starts the national run.
  const runStarted = performance.now();
  admin = await as('admin');
  await callApi(admin, 'POST', '/_local/clock', { body: { now: `${day(3)}T08:01:00+07:00` } });
  admin = await as('admin');
  say('jendela ditutup, penilaian nasional berjalan / window closed, national run started');
  let runId = '';
  await waitFor(
    async () => {
      const c = await cycle(admin, cycleId);
      const run = c.runs?.find((r) => r.status === 'PROVISIONAL' || r.status === 'FAILED');
      if (run?.status === 'FAILED') throw new Error(`national run ${run.runId} failed`);
      runId = run?.runId ?? '';
      return Boolean(run);
    },
    'national run PROVISIONAL',
    300_000,
  );
  const runMs = performance.now() - runStarted;

  // 5. The admin publishes the run; leadership reads the ranks.
  await callApi(admin, 'POST', `/cycles/${cycleId}/runs/${runId}/publish`, { body: {} });
  const leadership = await as('leadership');
  const summary = (
    await callApi<{
      clusters: {
        id: string;
        name: string | { id: string };
        distribution: { predikat: string; count: number }[];
      }[];
    }>(leadership, 'GET', `/cycles/${cycleId}/summary`)
  ).body;
  const top = [];
  for (const cluster of summary.clusters) {
    const page = (
      await callApi<{
        items: { rank: number | null; display: string; predikat: string; kode: string; nama: string }[];
      }>(leadership, 'GET', `/cycles/${cycleId}/rankings?cluster=${encodeURIComponent(cluster.id)}&limit=5`)
    ).body;
    top.push({
      cluster: cluster.id,
      name: typeof cluster.name === 'string' ? cluster.name : cluster.name.id,
      rows: page.items.map(
        (e) =>
          `${String(e.rank ?? '-').padStart(3)}. ${e.display.padStart(6)}  ${e.kode.padEnd(6)} ${e.nama}  (${e.predikat})`,
      ),
    });
  }
  const surveyReport = await survey?.afterRun(leadership);
  return {
    ...(surveyReport ? { survey: surveyReport } : {}),
    cycleId,
    uploads: { files: uploads.length, ms: uploadMs },
    pipeline: { ms: pipelineMs, statuses: counts },
    nationalRun: { runId, ms: runMs },
    top,
    distribution: totalDistribution(
      summary.clusters.filter((c) => ['provinsi', 'kabupaten', 'kota'].includes(c.id)),
    ),
    urls: [
      `${api.baseUrl}/cycles/${cycleId}/rankings?cluster=kabupaten`,
      `${api.baseUrl}/cycles/${cycleId}/summary`,
      `${api.baseUrl}/cycles/${cycleId}/regions/18.01`,
      `${api.baseUrl}/cycles/${cycleId}/rankings?cluster=kabupaten&format=xlsx`,
    ],
  };
}

async function cycle(api: ApiTarget, cycleId: string) {
  return (
    await callApi<{ status: string; runs?: { runId: string; status: string }[] }>(
      api,
      'GET',
      `/cycles/${cycleId}`,
    )
  ).body;
}

/** Sums each predikat over the jenis clusters (every region sits in exactly one of them). */
function totalDistribution(
  clusters: { distribution: { predikat: string; count: number }[] }[],
): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of clusters)
    for (const { predikat, count } of c.distribution) total[predikat] = (total[predikat] ?? 0) + count;
  return total;
}

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 250,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
