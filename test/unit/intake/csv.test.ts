import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { submissionSchema } from '#domain/submission';
import { readCsv, sniffDelimiter } from '#intake/csv/read';
import { type IntakeOptions, intakeFile } from '#intake/index';
import { miniIid } from '../../fixtures/intake/methodologies';

const fixture = readFileSync(new URL('../../fixtures/intake/isian-mini-iid.csv', import.meta.url));
const EVIDENCE = ['visi-misi.pdf', 'apbd.pdf', 'perbup-12.pdf', 'perda-3.pdf'];

const expected = submissionSchema.parse({
  methodology: 'mini-iid',
  region: '18.01',
  period: 2023,
  profile: { kapasitasFiskal: 'tinggi' },
  indicators: {
    '1': { level: 3, evidence: 'visi-misi.pdf' },
    '2a': { level: 2, evidence: 'apbd.pdf' },
    '4': { value: 5.1 },
    '8': { level: 3, status: 'rejected' },
  },
  groups: {
    inovasi: [
      {
        id: 'INV-1',
        name: 'Si Cepat Sehat',
        urusan: 'kesehatan',
        tahun: 2021,
        opd: 'Dinas Kesehatan; Bidang P2P',
        indicators: { '16': { level: 2, evidence: 'perbup-12.pdf' }, '17': { value: 25 }, '18': 1 },
      },
      {
        id: 'INV-2',
        name: 'Sekolah Digital',
        urusan: 'pendidikan',
        status: 'rejected',
        indicators: { '16': { level: 3, evidence: 'perda-3.pdf' } },
      },
    ],
  },
});

const intake = (bytes: Uint8Array, options?: IntakeOptions, fileName = 'isian.csv') =>
  intakeFile({
    bytes,
    fileName,
    contentType: 'text/csv',
    methodology: miniIid,
    region: '18.01',
    evidenceNames: EVIDENCE,
    options,
  });

const HEADER = 'bagian;item;kode;nilai;bukti;status\n';
const BASE = `${HEADER}profil;;kapasitasFiskal;tinggi;;\nindikator;;1;3;visi-misi.pdf;\nindikator;;4;5,1;;\nindikator;;8;3;;\ninovasi;A;urusan;kesehatan;;\ninovasi;A;16;2;perda-3.pdf;\n`;
const utf8 = (text: string) => new TextEncoder().encode(text);
const codes = async (text: string, options?: IntakeOptions) =>
  (await intake(utf8(text), options)).problems.map((p) => p.code);

describe('CSV as Indonesian Excel exports it', () => {
  it('reads the stored fixture (BOM, CRLF, semicolons, decimal comma, quoted semicolon)', async () => {
    const result = await intake(fixture);
    expect(result.problems).toEqual([]);
    expect(result.submission).toEqual(expected);
  });

  it('sniffs the delimiter from the header line, ignoring quoted ones', () => {
    expect(sniffDelimiter('bagian;item;kode;nilai\n')).toBe(';');
    expect(sniffDelimiter('bagian,item,kode,nilai\n')).toBe(',');
    expect(sniffDelimiter('bagian\titem\tkode\n')).toBe('\t');
    expect(sniffDelimiter('"a;b;c",x,y\n')).toBe(',');
    expect(sniffDelimiter('bagian\n')).toBe(';');
  });

  it('reads comma-separated files with quoted decimal commas', async () => {
    const text = fixture
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .replace(/"Dinas Kesehatan; Bidang P2P"/, '"Dinas Kesehatan, Bidang P2P"')
      .replace('4;5,1', '4;"5,1"')
      .replaceAll(';', ',');
    const result = await intake(utf8(text));
    expect(result.problems).toEqual([]);
    expect(result.submission?.indicators['4']).toEqual({ value: 5.1, status: 'accepted' });
    expect(result.submission?.groups.inovasi?.[0]?.fields.opd).toBe('Dinas Kesehatan, Bidang P2P');
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', async () => {
    const text = `${BASE}inovasi;A;nama;Caf\u00e9 Sehat \u2013 Puskesmas;;\n`;
    const bytes = Buffer.from(text.replace('\u2013', '\u0096'), 'latin1');
    const result = await intake(bytes);
    expect(result.submission?.groups.inovasi?.[0]?.name).toBe('Caf\u00e9 Sehat \u2013 Puskesmas');
  });

  it('reads UTF-16 "Unicode text" (tab-separated) exports', async () => {
    const text = BASE.replaceAll(';', '\t');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const result = await intake(bytes, undefined, 'isian.txt');
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.submission?.indicators['4']?.value).toBe(5.1);
  });

  it('honours an Excel "sep=" first line and keeps line numbers', async () => {
    const result = await intake(
      utf8(`sep=,\n${BASE.replaceAll(';', ',').replace('5,1', '"5,1"')}indikator,,99,1,,\n`),
    );
    expect(result.submission).toBeUndefined();
    expect(result.problems).toMatchObject([{ code: 'UNKNOWN_INDICATOR', location: { row: 9 } }]);
  });

  it('reads a thousands dot as thousands in a semicolon file', () => {
    const { table } = readCsv(utf8('a;b\n1.234;x\n'), 10);
    expect(table?.decimal).toBe(',');
  });
});

describe('CSV problems', () => {
  it('reports duplicate rows with the first line', async () => {
    const result = await intake(utf8(`${BASE}indikator;;1;2;;\ninovasi;a;16;3;;\n`));
    const duplicates = result.problems.filter((p) => p.code === 'DUPLICATE_ROW');
    expect(duplicates.map((p) => p.location.row)).toEqual([8, 9]);
    expect(duplicates[0]?.message_id).toContain('baris 3');
    expect(result.submission).toBeUndefined();
  });

  it('reports missing columns, incomplete rows and unknown sections', async () => {
    expect(await codes('bagian;kode\nindikator;1\n')).toEqual(['MISSING_COLUMN']);
    expect(await codes(`${BASE};;1;3;;\ninovsi;A;16;1;;\ninovsi;B;16;1;;\n`)).toEqual([
      'ROW_INCOMPLETE',
      'UNKNOWN_SECTION',
    ]);
  });

  it('reports unknown and misplaced indicator codes', async () => {
    const found = await codes(`${BASE}indikator;;99;1;;\nindikator;;16;2;;\ninovasi;A;4;1;;\n`);
    expect(found).toEqual(['UNKNOWN_INDICATOR', 'INDICATOR_WRONG_PLACE', 'INDICATOR_WRONG_PLACE']);
  });

  it('reports values that do not parse, naming the cell and the fix', async () => {
    const result = await intake(
      utf8(`${HEADER}indikator;;1;tinggi;visi-misi.pdf;\nindikator;;4;lima;;\nindikator;;8;3;;diterima-ok\n`),
    );
    const byCode = Object.fromEntries(result.problems.map((p) => [p.code, p]));
    expect(byCode.LEVEL_INVALID?.location).toMatchObject({ row: 2, column: 'D', indicator: '1' });
    expect(byCode.LEVEL_INVALID?.message_id).toContain('Pilih salah satu dari daftar: 1, 2, 3');
    expect(byCode.NUMBER_INVALID?.location).toMatchObject({ row: 3, column: 'D', indicator: '4' });
    expect(byCode.STATUS_INVALID?.location).toMatchObject({ row: 4, column: 'F' });
    expect(byCode.MISSING_MANDATORY).toBeDefined();
  });

  it('stores formula-looking text as text, with a warning', async () => {
    const result = await intake(utf8(`${BASE}inovasi;A;nama;"=cmd|' /C calc'!A0";;\n`));
    expect(result.submission?.groups.inovasi?.[0]?.name).toBe("=cmd|' /C calc'!A0");
    expect(result.problems).toMatchObject([
      { code: 'FORMULA_TEXT', severity: 'warning', location: { row: 8 } },
    ]);
  });

  it('reports unclosed quotes, too many rows and empty files', async () => {
    expect(await codes(`${HEADER}indikator;;1;"3;;\n`)).toEqual(['CSV_INVALID']);
    expect(await codes(BASE, { maxRows: 3 })).toContain('TOO_MANY_ROWS');
    expect(await codes(HEADER)).toContain('EMPTY_SUBMISSION');
    expect(await codes(BASE, { maxRows: 3 })).not.toContain('MISSING_MANDATORY');
    expect(await codes('   \n')).toEqual(['MISSING_COLUMN']);
  });
});
