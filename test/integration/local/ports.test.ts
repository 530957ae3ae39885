import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '#local/lock';
import { PortInUseError } from '#local/ports';
import { startRuntime } from '#local/runtime';
import { runCli } from '../../support/cli';
import { recordingLogger, startTestRuntime, type TestRuntime } from './support';

let blocker: Server;
let taken = 0;
let dir = '';

beforeAll(async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  taken = typeof address === 'object' && address ? address.port : 0;
  dir = await mkdtemp(join(tmpdir(), 'indeks-ports-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => blocker.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('ports already taken', () => {
  it('startRuntime refuses with a bilingual error naming the port and its variable, starting nothing', async () => {
    const logs: string[] = [];
    const attempt = startRuntime({
      dataDir: dir,
      ports: { api: 0, s3: taken, dynamodb: 0 },
      logger: recordingLogger(logs),
    });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `Port sudah dipakai: S3 127\\.0\\.0\\.1:${taken}.*INDEKS_S3_PORT=<port>.*Port already in use`,
        's',
      ),
    );
  });

  it('`indeks start` prints that message and exits 1 instead of crashing', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      PORT: String(taken),
      INDEKS_S3_PORT: '0',
      INDEKS_DYNAMODB_PORT: '0',
      INDEKS_SERVICES_PORT: '0',
    });
    try {
      const result = await runCli(['start', '--data-dir', dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`API 127.0.0.1:${taken}`);
      expect(result.stderr).toContain('PORT=<port>');
      expect(result.stderr).toMatch(/Port sudah dipakai.*\nPort already in use/s);
    } finally {
      for (const key of ['PORT', 'INDEKS_S3_PORT', 'INDEKS_DYNAMODB_PORT', 'INDEKS_SERVICES_PORT']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});

describe('one runtime per data folder', () => {
  let first: TestRuntime;
  beforeAll(async () => {
    first = await startTestRuntime({}, dir);
  });
  afterAll(async () => {
    await first?.stop();
  });

  it('refuses a second runtime on the same data folder', async () => {
    await expect(
      startRuntime({ dataDir: dir, ports: { api: 0, s3: 0, dynamodb: 0 }, logger: recordingLogger([]) }),
    ).rejects.toBeInstanceOf(DataDirInUseError);
  });
});
