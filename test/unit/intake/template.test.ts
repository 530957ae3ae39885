import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { submissionSchema } from '#domain/submission';
import { buildSurveyTemplate, buildTemplate, intakeFile } from '#intake/index';
import { type FillData, fillTemplate, openWorkbook } from '../../fixtures/intake/fill';
import { miniIid, miniIkkd, REGION } from '../../fixtures/intake/methodologies';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const filled: FillData = {
  methodology: 'mini-iid',
  methodologyHash: miniIid.hash,
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
        opd: 'Dinas Kesehatan',
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
};

describe('buildTemplate', () => {
  it('lays out instructions, profile, indicators, one sheet per group and hidden metadata', async () => {
    const wb = await openWorkbook(await buildTemplate(miniIid, REGION));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Petunjuk',
      'Profil',
      'Indikator',
      'Inovasi Daerah',
      '_meta',
    ]);
    const meta = wb.getWorksheet('_meta');
    expect(meta?.state).toBe('veryHidden');
    const values = new Map<string, unknown>();
    meta?.eachRow((row) => {
      values.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(values.get('wilayah')).toBe('18.01');
    expect(values.get('metodologi')).toBe('mini-iid');
    expect(values.get('hash')).toBe(miniIid.hash);
    expect(String(wb.getWorksheet('Petunjuk')?.getCell('A1').value)).toContain('Templat isian');
  });

  it('shows level descriptions next to each region indicator, with a level dropdown', async () => {
    const ws = (await openWorkbook(await buildTemplate(miniIid, REGION))).getWorksheet('Indikator');
    if (!ws) throw new Error('no sheet');
    const keys = ws.getRow(2).values as unknown[];
    expect(keys).toEqual(
      expect.arrayContaining([
        'kode',
        'indikator',
        'level_1',
        'level_2',
        'level_3',
        'isian',
        'bukti',
        'status',
      ]),
    );
    expect(ws.getRow(2).hidden).toBe(true);
    const row = ws.getRow(3);
    expect(row.getCell(1).value).toBe('1');
    expect(row.getCell(6).value).toBe('Misi inovasi');
    expect(row.getCell(8).value).toBe('Visi dan misi inovasi');
    const input = row.getCell(9);
    expect(input.dataValidation).toMatchObject({ type: 'list', formulae: ['"1,2,3"'] });
    expect(input.protection).toMatchObject({ locked: false });
    expect(row.getCell(1).protection?.locked).not.toBe(false);
    const numeric = ws.getRow(5);
    expect(numeric.getCell(1).value).toBe('4');
    expect(numeric.getCell(9).dataValidation).toMatchObject({ type: 'decimal' });
  });

  it('protects every sheet, and the group sheet has keys, notes and range validations', async () => {
    const wb = await openWorkbook(await buildTemplate(miniIid, REGION));
    for (const ws of wb.worksheets)
      expect((ws as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
    const ws = wb.getWorksheet('Inovasi Daerah');
    if (!ws) throw new Error('no sheet');
    const keys = (ws.getRow(2).values as unknown[]).filter(Boolean);
    expect(keys).toEqual([
      'id',
      'nama',
      'urusan',
      'tahun',
      'opd',
      'status',
      'ind:16',
      'bukti:16',
      'ind:17',
      'bukti:17',
      'ind:18',
      'bukti:18',
    ]);
    expect(String(ws.getCell('G1').note ?? '')).toContain('Perda dan Perkada');
    expect(ws.getCell('G10').dataValidation).toMatchObject({ type: 'list', formulae: ['"1,2,3"'] });
    expect(ws.getCell('D10').dataValidation).toMatchObject({ type: 'whole', formulae: [2018, 2023] });
    expect(ws.getCell('C10').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"pendidikan,kesehatan,pupr"'],
    });
    expect(ws.getCell('C10').dataValidation?.showErrorMessage).toBeFalsy();
    expect(ws.getCell('A1').protection?.locked).not.toBe(false);
    expect(ws.getCell('G10').protection?.locked).toBe(false);
  });

  it('puts eligibility profile fields (closed and open lists) on the profile sheet', async () => {
    const ws = (await openWorkbook(await buildTemplate(miniIkkd, REGION))).getWorksheet('Profil');
    if (!ws) throw new Error('no sheet');
    const fields = [ws.getCell('A3').value, ws.getCell('A4').value];
    expect(fields).toEqual(['statusKepalaDaerah', 'sakip']);
    expect(ws.getCell('D3').dataValidation?.showErrorMessage).toBeFalsy();
    expect(ws.getCell('D4').dataValidation).toMatchObject({ showErrorMessage: true });
  });

  it('survey indicators are not on the data template; the survey template has one column per item', async () => {
    const data = await openWorkbook(await buildTemplate(miniIkkd, REGION));
    const codes: unknown[] = [];
    data.getWorksheet('Indikator')?.eachRow((row, n) => {
      if (n > 2) codes.push(row.getCell(1).value);
    });
    expect(codes).toEqual(['E1']);
    const survey = await openWorkbook(await buildSurveyTemplate(miniIkkd, REGION));
    const respondents = survey.getWorksheet('Responden');
    if (!respondents) throw new Error('no sheet');
    expect((respondents.getRow(2).values as unknown[]).filter(Boolean)).toEqual([
      'responden',
      'peran',
      'Q1',
      'Q2',
      'Q3',
    ]);
    await expect(buildSurveyTemplate(miniIid, REGION)).rejects.toThrow(/no survey/);
  });

  it('can protect with a password cheaply', async () => {
    const started = performance.now();
    const wb = await openWorkbook(await buildTemplate(miniIid, REGION, { password: 'rahasia' }));
    expect(performance.now() - started).toBeLessThan(5000);
    const protection = (
      wb.getWorksheet('Indikator') as unknown as { sheetProtection: Record<string, unknown> }
    ).sheetProtection;
    expect(protection).toMatchObject({ sheet: true, spinCount: 1000, algorithmName: 'SHA-512' });
  });
});

describe('round trip: template → filled in Excel → parsed', () => {
  it('gives back exactly the canonical submission that was filled in', async () => {
    const template = await buildTemplate(miniIid, REGION);
    const bytes = await fillTemplate(template, filled);
    const result = await intakeFile({
      bytes,
      fileName: 'isian.xlsx',
      contentType: XLSX,
      methodology: miniIid,
      region: '18.01',
      evidenceNames: ['visi-misi.pdf', 'apbd.pdf', 'perbup-12.pdf', 'perda-3.pdf'],
    });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.submission).toEqual(submissionSchema.parse(filled));
  });

  it('reads cells as operators leave them: text numbers, decimal comma, percent format, dates in year columns', async () => {
    const wb = await openWorkbook(await buildTemplate(miniIid, REGION));
    const ind = wb.getWorksheet('Indikator');
    const inv = wb.getWorksheet('Inovasi Daerah');
    if (!ind || !inv) throw new Error('sheets');
    ind.getCell('I3').value = '3';
    ind.getCell('J3').value = { richText: [{ text: 'visi' }, { text: '-misi.pdf' }] };
    ind.getCell('I5').value = 0.0523;
    ind.getCell('I5').numFmt = '0.00%';
    ind.getCell('I6').value = { text: '3', hyperlink: 'https://example.org' };
    inv.getCell('A3').value = 7;
    inv.getCell('C3').value = 'PUPR';
    inv.getCell('D3').value = new Date(Date.UTC(2021, 5, 1));
    inv.getCell('G3').value = 'Level 2';
    inv.getCell('H3').value = 'perda.pdf';
    inv.getCell('I3').value = '12,5';
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await intakeFile({
      bytes,
      fileName: 'isian.xlsx',
      methodology: miniIid,
      region: '18.01',
    });
    const sub = result.submission;
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(sub?.indicators['1']).toEqual({ level: 3, evidence: 'visi-misi.pdf', status: 'accepted' });
    expect(sub?.indicators['4']).toEqual({ value: 5.23, status: 'accepted' });
    expect(sub?.indicators['8']).toEqual({ level: 3, status: 'accepted' });
    expect(sub?.groups.inovasi?.[0]).toMatchObject({
      id: '7',
      fields: { urusan: 'pupr', tahun: 2021 },
      indicators: { '16': { level: 2, evidence: 'perda.pdf' }, '17': { value: 12.5 } },
    });
  });
});

describe('template size', () => {
  it('stays small and far below the zip guard limits', async () => {
    const bytes = await buildTemplate(miniIid, REGION);
    expect(bytes.length).toBeLessThan(200_000);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.length).toBe(5);
  });
});
