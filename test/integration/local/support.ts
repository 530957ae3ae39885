import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandlerOverrides } from '#local/lambda/invoke';
import type { Logger } from '#local/log';
import { type Runtime, type RuntimeOptions, startRuntime } from '#local/runtime';

export interface TestRuntime {
  runtime: Runtime;
  dataDir: string;
  /** Everything the runtime logged (warnings and errors included), for assertions. */
  logs: string[];
  stop: () => Promise<void>;
}

export function recordingLogger(logs: string[]): Logger {
  return {
    debug: () => {},
    info: (m) => logs.push(m),
    warn: (m) => logs.push(`WARN ${m}`),
    error: (m) => logs.push(`ERROR ${m}`),
  };
}

/**
 * The whole runtime in-process on free ports with a throwaway data folder. Handler modules can
 * be replaced by probes (keyed by entry, e.g. `functions/ingest-upload.ts`) while the real ones
 * are being written; everything else (emulators, template, routing) is the real thing.
 */
export async function startTestRuntime(
  handlers: HandlerOverrides = {},
  dataDir?: string,
  template?: RuntimeOptions['template'],
): Promise<TestRuntime> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'indeks-local-')));
  const logs: string[] = [];
  const runtime = await startRuntime({
    dataDir: dir,
    ports: { api: 0, s3: 0, dynamodb: 0 },
    logger: recordingLogger(logs),
    handlers,
    asyncRetryDelaysMs: [20, 40],
    ...(template ? { template } : {}),
  });
  return {
    runtime,
    dataDir: dir,
    logs,
    stop: async () => {
      await runtime.stop();
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (handlers run asynchronously after S3 and schedule events). */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
