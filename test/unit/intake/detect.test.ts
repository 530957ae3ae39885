import { describe, expect, it } from 'vitest';
import { detectFormat, intakeFile, sniff } from '#intake/index';
import { miniIid } from '../../fixtures/intake/methodologies';
import { makeZip, workbookSkeleton } from '../../fixtures/intake/zip';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const bytes = (text: string) => new TextEncoder().encode(text);
const zip = makeZip(workbookSkeleton());

describe('sniff', () => {
  it.each([
    ['zip', zip],
    ['ole', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0])],
    ['pdf', bytes('%PDF-1.7\n')],
    ['image', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])],
    ['executable', bytes('MZ\u0090\u0000')],
    ['json', bytes('\ufeff  {"a":1}')],
    ['text', bytes('bagian;kode;nilai\r\nindikator;1;3\r\n')],
    ['text', Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x3b, 0x00])],
    ['binary', Buffer.from([0x01, 0x02, 0x00, 0x04])],
    ['empty', new Uint8Array()],
  ] as const)('recognises %s', (kind, data) => {
    expect(sniff(data)).toBe(kind);
  });
});

describe('detectFormat', () => {
  it('accepts files whose bytes, extension and content type agree', () => {
    expect(detectFormat({ bytes: zip, fileName: 'isian.xlsx', contentType: XLSX }).format).toBe('xlsx');
    expect(
      detectFormat({ bytes: bytes('a;b'), fileName: 'isian.CSV', contentType: 'application/vnd.ms-excel' })
        .format,
    ).toBe('csv');
    expect(
      detectFormat({ bytes: bytes('{}'), fileName: 'x.json', contentType: 'application/json; charset=utf-8' })
        .format,
    ).toBe('json');
    expect(
      detectFormat({ bytes: zip, fileName: 'isian.xlsx', contentType: 'application/octet-stream' }).format,
    ).toBe('xlsx');
  });

  it('refuses bytes that are not what the extension claims, naming what they are', () => {
    const pdfAsXlsx = detectFormat({ bytes: bytes('%PDF-1.4'), fileName: 'isian.xlsx', contentType: XLSX });
    expect(pdfAsXlsx.format).toBeUndefined();
    expect(pdfAsXlsx.problems).toMatchObject([{ code: 'MAGIC_MISMATCH', severity: 'error' }]);
    expect(pdfAsXlsx.problems[0]?.message_id).toContain('dokumen PDF');
    const xlsAsXlsx = detectFormat({
      bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      fileName: 'a.xlsx',
    });
    expect(xlsAsXlsx.problems[0]?.message_en).toContain('old Excel file');
    const exeAsCsv = detectFormat({ bytes: bytes('MZ\u0090\u0000\u0003'), fileName: 'data.csv' });
    expect(exeAsCsv.problems).toMatchObject([{ code: 'MAGIC_MISMATCH' }]);
    const xlsxAsCsv = detectFormat({ bytes: zip, fileName: 'data.csv', contentType: 'text/csv' });
    expect(xlsxAsCsv.problems[0]?.message_en).toContain('ZIP/XLSX');
  });

  it('refuses a content type that contradicts the extension', () => {
    const result = detectFormat({ bytes: zip, fileName: 'isian.xlsx', contentType: 'image/png' });
    expect(result.problems).toMatchObject([{ code: 'CONTENT_TYPE_MISMATCH' }]);
  });

  it('explains unsupported extensions and empty files', () => {
    expect(detectFormat({ bytes: bytes('x'), fileName: 'isian.xls' }).problems[0]?.message_id).toContain(
      'Simpan Sebagai',
    );
    expect(detectFormat({ bytes: bytes('x'), fileName: 'isian.xlsm' }).problems[0]?.code).toBe(
      'UNSUPPORTED_FORMAT',
    );
    expect(detectFormat({ bytes: bytes('x'), fileName: 'noext' }).problems[0]?.code).toBe(
      'UNSUPPORTED_FORMAT',
    );
    expect(detectFormat({ bytes: new Uint8Array(), fileName: 'a.csv' }).problems[0]?.code).toBe('EMPTY_FILE');
  });
});

describe('intakeFile refuses before parsing', () => {
  it('bytes that are not what the name says, and files above the size limit', async () => {
    const pdf = await intakeFile({
      bytes: bytes('%PDF-1.7'),
      fileName: 'isian.xlsx',
      methodology: miniIid,
      region: '18.01',
    });
    expect(pdf.problems).toMatchObject([{ code: 'MAGIC_MISMATCH', location: { file: 'isian.xlsx' } }]);
    const big = await intakeFile({
      bytes: new Uint8Array(2048),
      fileName: 'isian.csv',
      methodology: miniIid,
      region: '18.01',
      options: { maxBytes: 1024 },
    });
    expect(big.problems.map((p) => p.code)).toEqual(['FILE_TOO_LARGE']);
  });
});
