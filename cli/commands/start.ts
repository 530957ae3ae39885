import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR, PORTS, portsFromEnv } from '#local/config';
import { LOCAL_CREDENTIALS } from '#local/credentials';
import { DataDirInUseError } from '#local/lock';
import type { Logger } from '#local/log';
import { PortInUseError } from '#local/ports';
import type { Runtime } from '#local/runtime';
import { EXIT_INVALID, EXIT_OK, type Output } from '../errors';

export const startHelp = `indeks start [--data-dir <folder>] [--clock-offset <durasi/duration>] [--survey-client-limit N] [--verbose]

Menjalankan seluruh sistem di satu mesin, luring: handler Lambda yang sama, state machine yang
sama dari aplikasi CDK, DynamoDB (dynalite) dan S3 lokal. Ctrl-C menghentikannya.
Runs the whole system on one machine, offline: the same Lambda handlers, the same state machines
from the CDK app, local DynamoDB (dynalite) and S3. Ctrl-C stops it.

  --data-dir       folder data (bawaan/default ${'.data/'}); dipertahankan antar-start / kept across starts
  --clock-offset   geser jam lokal, ISO-8601 (PT48H, P3D) / shift the local clock
  --survey-client-limit  permintaan per klien per menit pada formulir survei (bawaan 60) /
                   requests per client per minute on the survey form (default 60)
  --verbose        catat setiap permintaan dan pemanggilan / log every request and invocation

Port (variabel lingkungan / environment variables):
${Object.values(PORTS)
  .map((p) => `  ${p.envVar.padEnd(22)} ${p.label} (${p.default})`)
  .join('\n')}

Jam lokal / local clock: POST /_local/clock {"advance":"PT24H"} atau/or {"now":"2026-03-01T00:00:00+07:00"}
  (token admin + Content-Type: application/json / admin token + Content-Type: application/json)
Token: indeks token --role operator --region 18.01
Exit: 0 dihentikan dengan bersih / stopped cleanly, 1 gagal mulai / failed to start`;

/** Development users printed at start: one per role, the operator bound to Lampung Selatan. */
const DEV_USERS = [
  { role: 'operator', region: '18.01' },
  { role: 'assessor' },
  { role: 'leadership' },
  { role: 'admin' },
] as const;

function cliLogger(io: Output, verbose: boolean): Logger {
  return {
    debug: (m) => {
      if (verbose) io.err(`[indeks] ${m}`);
    },
    info: (m) => io.err(`[indeks] ${m}`),
    warn: (m) => io.err(`[indeks] PERINGATAN/WARNING ${m}`),
    error: (m) => io.err(`[indeks] GALAT/ERROR ${m}`),
  };
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function startCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      'clock-offset': { type: 'string' },
      'survey-client-limit': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const logger = cliLogger(io, values.verbose);
  const limit = values['survey-client-limit'];
  const surveyClientLimit = limit === undefined ? undefined : Number(limit);
  if (surveyClientLimit !== undefined && !(Number.isInteger(surveyClientLimit) && surveyClientLimit >= 1)) {
    io.err('--survey-client-limit harus bilangan bulat ≥ 1 / must be a whole number ≥ 1');
    return EXIT_INVALID;
  }
  // Imported here, not at the top: other commands should not load the emulators.
  const { startRuntime } = await import('#local/runtime');
  let runtime: Runtime;
  try {
    runtime = await startRuntime({
      dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
      ports: portsFromEnv(),
      clockOffset: values['clock-offset'],
      ...(surveyClientLimit !== undefined ? { surveyClientLimit } : {}),
      logger,
    });
  } catch (error) {
    if (error instanceof PortInUseError || error instanceof DataDirInUseError) {
      io.err(error.message);
      return EXIT_INVALID;
    }
    throw error;
  }
  const stopping = untilSignal();
  // In Lambda a stray rejection fails one invocation; here it must not take the whole system down.
  const onRejection = (reason: unknown) =>
    logger.error(
      `penolakan promise tak tertangani / unhandled promise rejection: ${reason instanceof Error ? reason.stack : String(reason)}`,
    );
  process.on('unhandledRejection', onRejection);

  io.err('Token pengembangan / development tokens (Authorization: Bearer <token>):');
  for (const user of DEV_USERS) {
    const token = await runtime.mintToken(user);
    io.err(`  ${user.role}${'region' in user ? ` (${user.region})` : ''}: ${token}`);
  }
  // The local S3 checks SigV4 like AWS: ordinary clients need these keys (local/README.md).
  io.err(
    `Kunci akses lokal / local access keys: AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey} (aws --endpoint-url ${runtime.urls.s3} s3 ls)`,
  );
  if (runtime.clock.offsetMs !== 0) {
    io.err(
      `Jam lokal / local clock: ${new Date(runtime.clock.now()).toISOString()} (offset ${Math.round(runtime.clock.offsetMs / 60_000)} min)`,
    );
  }
  const { urls } = runtime;
  io.out(
    `Indeks siap / ready (${(runtime.startupMs / 1000).toFixed(1)} s): API ${urls.api}  S3 ${urls.s3}  DynamoDB ${urls.dynamodb}  Step Functions/Scheduler ${urls.services}  — Ctrl-C untuk berhenti / to stop`,
  );

  const signal = await stopping;
  // A second Ctrl-C while stopping means "now": exit without waiting.
  const force = () => process.exit(130);
  process.once('SIGINT', force);
  logger.info(`${signal}: menghentikan / stopping…`);
  await runtime.stop();
  process.off('SIGINT', force);
  process.off('unhandledRejection', onRejection);
  logger.info('berhenti dengan bersih / stopped cleanly');
  // Handler modules may keep sockets or timers alive; nothing is left to do, so do not wait.
  setTimeout(() => process.exit(EXIT_OK), 500).unref();
  return EXIT_OK;
}
