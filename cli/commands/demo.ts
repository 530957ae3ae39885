import { parseArgs } from 'node:util';
import { apiTarget, callApi } from '../api-client';
import { runDemo } from '../demo/run-demo';
import { surveyLines } from '../demo/survey';
import { runVerificationDemo, verificationLines } from '../demo/verification';
import { EXIT_OK, type Output, UsageError } from '../errors';

export const demoHelp = `indeks demo [--methodology iid-2023|iid-2026|ikkd-2020]... [--innovations N] [--verify all|none] [--json]

Demo nasional: membuka siklus, 552 wilayah mengunggah lewat tautan presigned, jendela ditutup,
penilaian nasional berjalan dari jadwal, hasil dipublikasikan, peringkat 5 teratas per klaster;
lalu (IID, --verify all) verifikasi, hasil sementara, sanggah, peringkat ulang, hasil akhir.
Memakai runtime lokal yang berjalan (npm start) atau menjalankan sendiri bila belum ada.
The national demo against a running "npm start" (INDEKS_API), or starting its own runtime.`;

export async function demoCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      methodology: { type: 'string', short: 'm', multiple: true },
      innovations: { type: 'string', default: '11000' },
      verify: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
    },
  });
  const methodologies = values.methodology ?? ['iid-2023', 'ikkd-2020'];
  for (const m of methodologies)
    if (m !== 'iid-2023' && m !== 'iid-2026' && m !== 'ikkd-2020')
      throw new UsageError(`Demo untuk ${m} tidak tersedia.`, `No demo for ${m}.`);
  const innovations = Number(values.innovations);
  if (!Number.isInteger(innovations) || innovations < 0)
    throw new UsageError('--innovations harus bilangan bulat.', '--innovations must be a whole number.');

  if (values.verify !== 'all' && values.verify !== 'none')
    throw new UsageError('--verify harus all atau none.', '--verify must be all or none.');

  let api = apiTarget();
  let stop: (() => Promise<void>) | undefined;
  if (!(await reachable(api))) {
    const { startRuntime } = await import('#local/runtime');
    const { DEFAULT_DATA_DIR, portsFromEnv } = await import('#local/config');
    io.err(
      `API ${api.baseUrl} belum berjalan; menjalankan runtime lokal / not running; starting the local runtime`,
    );
    const runtime = await startRuntime({ dataDir: DEFAULT_DATA_DIR, ports: portsFromEnv() });
    api = { baseUrl: runtime.urls.api };
    stop = () => runtime.stop();
  }
  const started = performance.now();
  try {
    for (const methodology of methodologies) {
      const period = methodology === 'ikkd-2020' ? 2020 : Number(methodology.slice(-4));
      io.err(`== ${methodology} ==`);
      const report = await runDemo(
        api,
        { methodology: methodology as 'iid-2023', period, innovations },
        (line) => io.err(`  ${line}`),
      );
      // The verification stage (issue 11) after the national run, for the IID demos.
      const verification =
        values.verify === 'all' && methodology.startsWith('iid')
          ? await runVerificationDemo(api, report.cycleId, {}, (line) => io.err(`  ${line}`))
          : undefined;
      if (values.json) {
        io.out(JSON.stringify({ ...report, ...(verification ? { verification } : {}) }, null, 2));
        continue;
      }
      io.out(`\n${methodology}: siklus/cycle ${report.cycleId}, run ${report.nationalRun.runId}`);
      io.out(
        `  unggah/uploads ${report.uploads.files} berkas/files ${(report.uploads.ms / 1000).toFixed(1)} s; pipeline ${(report.pipeline.ms / 1000).toFixed(1)} s ${JSON.stringify(report.pipeline.statuses)}; penilaian nasional/national run ${(report.nationalRun.ms / 1000).toFixed(1)} s`,
      );
      for (const t of report.top) {
        io.out(`  5 teratas / top 5 — ${t.name}:`);
        for (const row of t.rows) io.out(`    ${row}`);
      }
      io.out(`  sebaran predikat / predikat distribution: ${JSON.stringify(report.distribution)}`);
      if (report.survey) for (const line of surveyLines(report.survey)) io.out(line);
      if (verification) for (const line of verificationLines(verification)) io.out(line);
      io.out(`  hasil lengkap / full results:\n${report.urls.map((u) => `    ${u}`).join('\n')}`);
    }
    io.err(`demo selesai / done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await stop?.();
  }
  return EXIT_OK;
}

async function reachable(api: ReturnType<typeof apiTarget>): Promise<boolean> {
  try {
    await callApi(api, 'GET', '/health', { retries: 0 });
    return true;
  } catch {
    return false;
  }
}
