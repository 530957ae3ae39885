import { readFileSync } from 'node:fs';
import type ExcelJS from 'exceljs';
import { buildTemplate } from '#intake/index';
import { openWorkbook, saveWorkbook } from '../../fixtures/intake/fill';
import { miniIid, REGION } from '../../fixtures/intake/methodologies';
import { makeZip, workbookSkeleton } from '../../fixtures/intake/zip';

/**
 * The files operators (and attackers) send, built from the intake engineer's fixtures
 * (test/fixtures/intake): a mini IID template filled cell by cell, the sample CSV, hostile zips.
 */
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV = 'text/csv';
export const JSON_TYPE = 'application/json';

/** Evidence the correct workbook references. */
export const WORKBOOK_EVIDENCE = ['visi.pdf', 'perda.pdf'];

const sheet = (wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet => {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
};

/** A correctly filled mini-IID workbook for 18.01, then `edit` makes the mistake under test. */
export async function workbook(edit: (wb: ExcelJS.Workbook) => void = () => {}): Promise<Buffer> {
  const wb = await openWorkbook(await buildTemplate(miniIid, REGION));
  sheet(wb, 'Profil').getCell('D3').value = 'tinggi';
  const ind = sheet(wb, 'Indikator');
  ind.getCell('I3').value = 3;
  ind.getCell('J3').value = 'visi.pdf';
  ind.getCell('I5').value = 5.1;
  ind.getCell('I6').value = 2;
  const inv = sheet(wb, 'Inovasi Daerah');
  inv.getCell('A3').value = 'INV-1';
  inv.getCell('C3').value = 'kesehatan';
  inv.getCell('D3').value = 2021;
  inv.getCell('G3').value = 2;
  inv.getCell('H3').value = 'perda.pdf';
  edit(wb);
  return saveWorkbook(wb);
}

/** test/fixtures/intake/isian-mini-iid.csv: a correct long-format CSV for 18.01. */
export const sampleCsv = (): string =>
  readFileSync(new URL('../../fixtures/intake/isian-mini-iid.csv', import.meta.url), 'utf8');

export interface BadFile {
  name: string;
  kind: 'structural' | 'semantic' | 'hostile';
  fileName: string;
  contentType: string;
  bytes: () => Promise<Buffer>;
  /** Every error of the report, in order: code and exact location. */
  errors: [string, Record<string, string | number>][];
}

const MB = 1024 * 1024;

export const BAD_FILES: BadFile[] = [
  {
    name: 'a CSV without the required columns',
    kind: 'structural',
    fileName: 'isian.csv',
    contentType: CSV,
    bytes: async () => Buffer.from('bagian;kode\nindikator;1\n'),
    errors: [['MISSING_COLUMN', { file: 'isian.csv', row: 1 }]],
  },
  {
    name: 'a workbook whose group sheet was renamed',
    kind: 'structural',
    fileName: 'isian.xlsx',
    contentType: XLSX,
    bytes: () =>
      workbook((wb) => {
        sheet(wb, 'Inovasi Daerah').name = 'Inovasi';
      }),
    errors: [['SHEET_MISSING', { file: 'isian.xlsx', sheet: 'Inovasi Daerah' }]],
  },
  {
    name: 'an empty file (the size declared for the policy was a lie)',
    kind: 'structural',
    fileName: 'isian.csv',
    contentType: CSV,
    bytes: async () => Buffer.alloc(0),
    errors: [['EMPTY_FILE', { file: 'isian.csv' }]],
  },
  {
    name: 'broken JSON',
    kind: 'structural',
    fileName: 'isian.json',
    contentType: JSON_TYPE,
    bytes: async () =>
      Buffer.from('{\n  "methodology": "mini-iid",\n  "region": "18.01",\n  "period": 2023,,\n}'),
    errors: [['JSON_INVALID', { file: 'isian.json', row: 4, column: '18' }]],
  },
  {
    name: 'levels out of range and unknown indicators in the workbook',
    kind: 'semantic',
    fileName: 'isian.xlsx',
    contentType: XLSX,
    bytes: () =>
      workbook((wb) => {
        const ind = sheet(wb, 'Indikator');
        ind.getCell('I6').value = 5;
        ind.getCell('A7').value = '99';
        ind.getCell('I7').value = 1;
      }),
    errors: [
      ['LEVEL_OUT_OF_RANGE', { file: 'isian.xlsx', sheet: 'Indikator', row: 6, column: 'I', indicator: '8' }],
      ['UNKNOWN_INDICATOR', { file: 'isian.xlsx', sheet: 'Indikator', row: 7, column: 'I', indicator: '99' }],
    ],
  },
  {
    name: "another region's CSV uploaded for 18.01",
    kind: 'semantic',
    fileName: 'isian.csv',
    contentType: CSV,
    bytes: async () => Buffer.from(sampleCsv().replace('meta;;wilayah;18.01;;', 'meta;;wilayah;18.02;;')),
    errors: [['REGION_MISMATCH', { file: 'isian.csv', row: 3, column: 'D' }]],
  },
  {
    name: 'a zip bomb named .xlsx',
    kind: 'hostile',
    fileName: 'isian.xlsx',
    contentType: XLSX,
    bytes: async () =>
      makeZip([...workbookSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * MB) }]),
    errors: [['ZIP_RATIO_LIMIT', { file: 'isian.xlsx' }]],
  },
  {
    name: 'an encrypted archive',
    kind: 'hostile',
    fileName: 'isian.xlsx',
    contentType: XLSX,
    bytes: async () =>
      makeZip([
        ...workbookSkeleton(),
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), encrypted: true },
      ]),
    errors: [['ZIP_ENCRYPTED', { file: 'isian.xlsx' }]],
  },
  {
    name: 'a PDF renamed to .xlsx',
    kind: 'hostile',
    fileName: 'isian.xlsx',
    contentType: XLSX,
    bytes: async () => Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\n'),
    errors: [['MAGIC_MISMATCH', { file: 'isian.xlsx' }]],
  },
  {
    name: 'formula cells (never evaluated)',
    kind: 'hostile',
    fileName: 'isian.xlsx',
    contentType: XLSX,
    bytes: () =>
      workbook((wb) => {
        sheet(wb, 'Indikator').getCell('I6').value = { formula: 'I3-1', result: 2 };
      }),
    errors: [
      ['FORMULA_CELL', { file: 'isian.xlsx', sheet: 'Indikator', row: 6, column: 'I', indicator: '8' }],
      ['MISSING_MANDATORY', { file: 'isian.xlsx', sheet: 'Indikator', row: 6, column: 'I', indicator: '8' }],
    ],
  },
];
