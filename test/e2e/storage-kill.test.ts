import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { dataLayout } from '#local/config';
import { LOCAL_CREDENTIALS } from '#local/storage/s3';
import { type RuntimeChild, startRuntimeChild } from '#test/support/runtime-child';

/**
 * §0 of issue 9: the embedded default survives a kill. The real `indeks start` runs in a child
 * process; a burst of signed uploads is cut by SIGKILL; the runtime restarts on the same data
 * folder, every upload it had acknowledged is there byte for byte, and what the kill cut off is
 * quarantined and reported, never fatal.
 */

const children: ChildProcess[] = [];
let dir = '';

async function start(dataDir: string): Promise<RuntimeChild> {
  const started = await startRuntimeChild(dataDir);
  children.push(started.process);
  return started;
}

const clientOf = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'ap-southeast-3',
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });

const bodyOf = (i: number) => Buffer.alloc(192 * 1024 + i, String.fromCharCode(65 + (i % 26)));
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the local runtime survives SIGKILL during a burst of uploads (storage)', () => {
  it('restarts on the same data folder with every acknowledged object intact and cut-off writes quarantined', {
    timeout: 180_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'indeks-kill-s3-'));
    const first = await start(dir);
    const s3 = clientOf(first.s3);
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name ?? '') ?? [];
    const bucket = buckets.find((b) => b.includes('upload'));
    if (!bucket) throw new Error(`no upload bucket among ${buckets.join(', ')}`);

    // The burst: 400 signed PutObjects, 24 at a time; SIGKILL once 60 have been acknowledged.
    const acknowledged = new Map<string, string>();
    const total = 400;
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < total && !killed) {
        const i = next++;
        const key = `kill-test/object-${String(i).padStart(4, '0')}.bin`;
        const body = bodyOf(i);
        try {
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
          acknowledged.set(key, md5(body));
          if (acknowledged.size >= 60 && !killed) {
            killed = true;
            first.process.kill('SIGKILL');
          }
        } catch {
          // Cut off by the kill: the client never heard back, so nothing was promised.
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    s3.destroy();
    expect(killed).toBe(true);
    await new Promise<void>((resolve) => {
      if (first.process.exitCode !== null || first.process.signalCode !== null) resolve();
      else first.process.once('exit', () => resolve());
    });

    // What a kill in the middle of a write leaves behind, made certain: a temporary file and a
    // torn object file (written by hand, as an older version or a failing disk would leave them).
    const objects = join(dataLayout(dir).s3, 'buckets', bucket, 'objects');
    await writeFile(join(objects, '.partial-0123456789ab-torn.obj'), Buffer.alloc(1000, 1));
    await writeFile(join(objects, `${'f'.repeat(64)}.obj`), Buffer.from('INDEKS-S3-OBJECT-1\n\u0000\u0000'));

    const second = await start(dir);
    const again = clientOf(second.s3);
    await again.send(new HeadBucketCommand({ Bucket: bucket }));
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await again.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'kill-test/', ContinuationToken: token }),
      );
      listed.push(...(page.Contents ?? []).map((c) => c.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    // Nothing acknowledged is lost; whatever else is listed is complete (its bytes read back whole).
    for (const key of acknowledged.keys()) expect(listed).toContain(key);
    for (const key of listed) {
      const i = Number(/object-(\d+)/.exec(key)?.[1]);
      const out = await again.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(md5(await (out.Body?.transformToByteArray() ?? new Uint8Array())), key).toBe(md5(bodyOf(i)));
    }
    // Cut-off writes are quarantined and reported at start, never fatal.
    const quarantine = join(dataLayout(dir).s3, 'quarantine');
    expect(existsSync(quarantine)).toBe(true);
    const moved = await readdir(quarantine);
    expect(moved.some((f) => f.endsWith('torn.obj'))).toBe(true);
    expect(moved.some((f) => f.endsWith(`${'f'.repeat(64)}.obj`))).toBe(true);
    expect(second.output()).toMatch(/incomplete object quarantined: .*torn\.obj/);
    expect((await readdir(objects)).filter((f) => f.startsWith('.partial-'))).toEqual([]);
    console.info(
      `storage kill test: ${acknowledged.size} acknowledged before SIGKILL, ${listed.length} listed after restart, ${moved.length} quarantined`,
    );
    again.destroy();
    second.process.kill('SIGINT');
    await new Promise<void>((resolve) => second.process.once('exit', () => resolve()));
  });
});
