import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalS3 } from '#local/s3/server';
import { LOCAL_CREDENTIALS } from '#local/storage/s3';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const text = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString();
};

describe('local S3 storage: recovery on open', () => {
  it('keeps whole objects, quarantines a cut-off write, a torn object and a foreign file, and reports each', async () => {
    dir = await mkdtemp(join(tmpdir(), 'indeks-s3-recovery-'));
    const first = await createLocalS3({ directory: dir, credentials: [LOCAL_CREDENTIALS] });
    await first.store.createBucket('uploads', new Date());
    const kept = await first.store.put(
      'uploads',
      {
        key: 'a/kept.json',
        contentType: 'application/json',
        lastModified: new Date().toISOString(),
        metadata: {},
        headers: {},
      },
      Buffer.from('{"kept":true}'),
    );
    const objects = join(dir, 'buckets', 'uploads', 'objects');
    await writeFile(join(objects, '.partial-abcdef012345-x.obj'), 'half');
    // A whole object's file, then cut short by 3 bytes (as a disk that lied about fsync would leave it).
    const torn = await first.store.put(
      'uploads',
      {
        key: 'a/torn.json',
        contentType: 'application/json',
        lastModified: new Date().toISOString(),
        metadata: {},
        headers: {},
      },
      Buffer.from('{"torn":"yes"}'),
    );
    const { truncate } = await import('node:fs/promises');
    await truncate(torn.file, torn.bodyOffset + 10);
    await writeFile(join(objects, `${'0'.repeat(64)}.obj`), 'not an object');

    const second = await createLocalS3({ directory: dir, credentials: [LOCAL_CREDENTIALS] });
    expect(second.store.keys('uploads')).toEqual(['a/kept.json']);
    expect(await text(second.store.read(second.store.head('uploads', 'a/kept.json') ?? kept))).toBe(
      '{"kept":true}',
    );
    expect(second.quarantined.map((q) => q.reason).sort()).toEqual([
      'incomplete write (the process stopped while storing it)',
      'not an object file (no header)',
      'object cut off: 10 of 14 bytes',
    ]);
    expect(await readdir(join(dir, 'quarantine'))).toHaveLength(3);
    expect((await readdir(objects)).length).toBe(1);
  });

  it('imports a data folder in s3rver’s layout once, quarantining objects a kill left without metadata', async () => {
    dir = await mkdtemp(join(tmpdir(), 'indeks-s3-legacy-'));
    const bucket = join(dir, 'uploads', 'submissions', 'c1', '18.01', 'data-1');
    await mkdir(bucket, { recursive: true });
    await writeFile(join(bucket, 'isian.csv._S3rver_object'), 'a,b\n1,2\n');
    await writeFile(
      join(bucket, 'isian.csv._S3rver_metadata.json'),
      JSON.stringify({ 'content-type': 'text/csv', 'x-amz-meta-origin': 'demo' }),
    );
    await writeFile(join(bucket, 'isian.csv._S3rver_object.md5'), 'x');
    await writeFile(join(bucket, 'cut.csv._S3rver_object'), 'a,b');
    await writeFile(join(bucket, 'cut.csv._S3rver_metadata.json'), '');

    const s3 = await createLocalS3({ directory: dir, credentials: [LOCAL_CREDENTIALS] });
    expect(s3.imported).toBe(1);
    const object = s3.store.head('uploads', 'submissions/c1/18.01/data-1/isian.csv');
    expect(object).toMatchObject({ size: 8, contentType: 'text/csv', metadata: { origin: 'demo' } });
    expect(s3.quarantined).toEqual([
      expect.objectContaining({
        key: 'submissions/c1/18.01/data-1/cut.csv',
        reason: expect.stringContaining('without complete metadata'),
      }),
    ]);
    expect(existsSync(join(dir, 'uploads'))).toBe(false);
    expect((await readdir(join(dir, 's3rver-imported')))[0]).toMatch(/^uploads-\d+$/);
    // Opened again: nothing imported twice.
    const again = await createLocalS3({ directory: dir, credentials: [LOCAL_CREDENTIALS] });
    expect([again.imported, again.store.keys('uploads')]).toEqual([
      0,
      ['submissions/c1/18.01/data-1/isian.csv'],
    ]);
  });
});
