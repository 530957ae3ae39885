import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callApi } from '#cli/api-client';
import { uploadFile } from '#cli/commands/upload';
import { demoUploads } from '#cli/demo/generate';
import { runDemo } from '#cli/demo/run-demo';
import { startRuntime } from '#local/runtime';

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/**
 * The local runtime's figures: start to ready; one upload to ACCEPTED (median, p95, one file at a
 * time, polled every 10 ms); and the full demo's split (uploads, pipelines, national run).
 */
export async function benchPipeline(options: { demo?: boolean } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'indeks-bench-'));
  const started = performance.now();
  const runtime = await startRuntime({ dataDir, ports: { api: 0, s3: 0, dynamodb: 0 }, logger: quiet });
  console.log(
    `runtime start to ready: ${performance.now() - started} ms (template ${runtime.templateCached ? 'cached' : 'synthesized'})`,
  );
  try {
    const api = { baseUrl: runtime.urls.api };
    const admin = { ...api, token: await runtime.mintToken({ role: 'admin' }) };
    const now = runtime.clock.now();
    const day = (d: number) => new Date(now + 7 * 3600_000 + d * 86_400_000).toISOString().slice(0, 10);
    await callApi(admin, 'POST', '/cycles', {
      body: {
        cycleId: 'bench-latency',
        methodologyId: 'iid-2023',
        calendar: {
          opensAt: new Date(now + 60_000).toISOString(),
          closesAt: day(2),
          nationalRunAt: `${day(3)}T08:00:00+07:00`,
        },
      },
    });
    await runtime.advanceClock('PT2M');

    const files = demoUploads({ methodology: 'iid-2023', period: 2023, allValid: true }).slice(0, 40);
    const latencies: number[] = [];
    for (const f of files) {
      const operator = {
        ...api,
        token: await runtime.mintToken({ role: 'operator', region: f.region.kode }),
      };
      const t0 = performance.now();
      await uploadFile(operator, {
        cycleId: 'bench-latency',
        region: f.region.kode,
        kind: 'data',
        fileName: f.fileName,
        contentType: f.contentType,
        bytes: Buffer.from(f.body),
      });
      for (;;) {
        const { body } = await callApi<{ items: { status: string }[] }>(
          admin,
          'GET',
          `/cycles/bench-latency/regions/${f.region.kode}/submissions?limit=1`,
        );
        const status = body.items[0]?.status ?? '';
        if (['ACCEPTED', 'SCORED'].includes(status)) break;
        if (['REJECTED', 'FAILED'].includes(status)) throw new Error(`${f.region.kode} ${status}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      latencies.push(performance.now() - t0);
      await runtime.idle();
    }
    const sorted = latencies.slice(5).sort((a, b) => a - b);
    console.log(
      `upload-to-accepted: median ${percentile(sorted, 0.5).toFixed(0)} ms, p95 ${percentile(sorted, 0.95).toFixed(0)} ms (${sorted.length} files, one at a time, after 5 warm-up)`,
    );

    if (options.demo) {
      const t0 = performance.now();
      const report = await runDemo(
        api,
        { methodology: 'iid-2023', period: 2023, innovations: 31_719, concurrency: 8 },
        () => {},
      );
      console.log(
        `demo iid-2023 (552 regions, 31,719 innovations): ${((performance.now() - t0) / 1000).toFixed(1)} s — uploads ${(report.uploads.ms / 1000).toFixed(1)} s (${report.uploads.files} files), pipelines settled ${(report.pipeline.ms / 1000).toFixed(1)} s after, national run ${(report.nationalRun.ms / 1000).toFixed(1)} s (window close to PROVISIONAL)`,
      );
    }
  } finally {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
