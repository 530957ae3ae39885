import { describe, expect, it } from 'vitest';
import { writeZip } from '#functions/lib/bundle/zip';
import { DEFAULT_ZIP_LIMITS, readZipEntries } from '#intake/zip-guard';

const files = new Map<string, Uint8Array>([
  ['b/two.json', Buffer.from('{"two":2}')],
  ['a.txt', Buffer.from('one')],
  ['big.txt', Buffer.alloc(200_000, 'x')],
]);

describe('readZipEntries (an untrusted bundle)', () => {
  it('reads back every entry a bundle zip holds, byte for byte; the same files give the same zip', async () => {
    const zip = await writeZip(files);
    const read = await readZipEntries(zip);
    expect(read.problem).toBeUndefined();
    expect([...read.entries.keys()]).toEqual(['a.txt', 'b/two.json', 'big.txt']);
    for (const [path, bytes] of files)
      expect(read.entries.get(path)?.equals(Buffer.from(bytes)), path).toBe(true);
    expect((await writeZip(new Map([...files].reverse()))).equals(zip)).toBe(true);
  });

  it('refuses too many entries, too much content and a ratio bomb before keeping anything', async () => {
    const zip = await writeZip(files);
    const tooMany = await readZipEntries(zip, { ...DEFAULT_ZIP_LIMITS, maxEntries: 2 });
    expect(tooMany.problem).toBe('3 entri, batas / entries, limit 2');
    expect(tooMany.entries.size).toBe(0);
    const tooBig = await readZipEntries(zip, { ...DEFAULT_ZIP_LIMITS, maxUncompressedBytes: 100_000 });
    expect(tooBig.problem).toMatch(/^isi \/ content 0\.2 MB > 0\.1 MB$/);
    const bomb = await readZipEntries(zip, { ...DEFAULT_ZIP_LIMITS, ratioFloorBytes: 1000, maxRatio: 10 });
    expect(bomb.problem).toMatch(/^"big\.txt" mengembang \/ inflates \d+× \(zip bomb\)$/);
  });

  it('refuses bytes that are not a zip', async () => {
    const read = await readZipEntries(Buffer.from('not a zip at all'));
    expect(read.problem).toMatch(/^arsip ZIP rusak \/ the ZIP archive is damaged/);
    expect(read.entries.size).toBe(0);
  });
});
