import { describe, expect, it } from 'vitest';
import { buildTemplate, DEFAULT_ZIP_LIMITS, guardZip, intakeFile } from '#intake/index';
import { miniIid, REGION } from '../../fixtures/intake/methodologies';
import { makeZip, workbookSkeleton } from '../../fixtures/intake/zip';

const MB = 1024 * 1024;

describe('guardZip', () => {
  it('passes a generated template and lists its entries', async () => {
    const result = await guardZip(await buildTemplate(miniIid, REGION));
    expect(result.problems).toEqual([]);
    expect(result.entries).toContain('xl/workbook.xml');
  });

  it('refuses a high-ratio entry from the central directory, without inflating it', async () => {
    const bomb = makeZip([
      ...workbookSkeleton(),
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * MB) },
    ]);
    expect(bomb.length).toBeLessThan(100_000);
    const result = await guardZip(bomb);
    expect(result.problems).toMatchObject([{ code: 'ZIP_RATIO_LIMIT', severity: 'error' }]);
  });

  it('refuses a declared total above the limit', async () => {
    const big = makeZip([
      ...workbookSkeleton(),
      { name: 'xl/media/a.bin', data: Buffer.from('x'), declaredSize: 200 * MB },
    ]);
    const result = await guardZip(big, { ...DEFAULT_ZIP_LIMITS, maxRatio: Number.POSITIVE_INFINITY });
    expect(result.problems).toMatchObject([{ code: 'ZIP_SIZE_LIMIT' }]);
  });

  it('catches sizes that lie: the real inflated size exceeds the declared one', async () => {
    const liar = makeZip([
      ...workbookSkeleton(),
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(5 * MB), declaredSize: 1000 },
    ]);
    const result = await guardZip(liar);
    expect(result.problems).toHaveLength(1);
    expect(['ZIP_SIZE_MISMATCH', 'ZIP_SIZE_LIMIT']).toContain(result.problems[0]?.code);
  });

  it('stops inflating at the byte cap even when every declared size is small', async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ({
      name: `xl/worksheets/sheet${i}.xml`,
      data: Buffer.alloc(MB, 0x41),
    }));
    const result = await guardZip(makeZip([...workbookSkeleton(), ...entries]), {
      ...DEFAULT_ZIP_LIMITS,
      maxUncompressedBytes: 10 * MB,
      maxRatio: Number.POSITIVE_INFINITY,
    });
    expect(result.problems).toEqual([]);
    const capped = await guardZip(makeZip([...workbookSkeleton(), ...entries]), {
      ...DEFAULT_ZIP_LIMITS,
      maxUncompressedBytes: 3 * MB,
      maxRatio: Number.POSITIVE_INFINITY,
    });
    expect(capped.problems[0]?.code).toBe('ZIP_SIZE_LIMIT');
  });

  it('limits the number of entries', async () => {
    const many = makeZip([
      ...workbookSkeleton(),
      ...Array.from({ length: 1200 }, (_, i) => ({ name: `xl/x${i}.xml`, data: Buffer.from('a') })),
    ]);
    expect((await guardZip(many)).problems).toMatchObject([{ code: 'ZIP_ENTRY_LIMIT' }]);
  });

  it('refuses encrypted entries, zips that are not workbooks, and garbage', async () => {
    const encrypted = makeZip([
      ...workbookSkeleton(),
      { name: 'xl/a.xml', data: Buffer.from('a'), encrypted: true },
    ]);
    expect((await guardZip(encrypted)).problems[0]?.code).toBe('ZIP_ENCRYPTED');
    const docx = makeZip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]);
    expect((await guardZip(docx)).problems[0]?.code).toBe('NOT_XLSX');
    const truncated = makeZip(workbookSkeleton()).subarray(0, 40);
    expect((await guardZip(Buffer.from(truncated))).problems[0]?.code).toBe('CORRUPT_FILE');
  });

  it('keeps a zip bomb away from exceljs in intakeFile, quickly', async () => {
    const bomb = makeZip([
      ...workbookSkeleton(),
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(30 * MB) },
    ]);
    const started = performance.now();
    const result = await intakeFile({
      bytes: bomb,
      fileName: 'isian.xlsx',
      methodology: miniIid,
      region: '18.01',
    });
    expect(performance.now() - started).toBeLessThan(2500);
    expect(result.submission).toBeUndefined();
    expect(result.problems).toMatchObject([{ code: 'ZIP_RATIO_LIMIT', location: { file: 'isian.xlsx' } }]);
  });
});
