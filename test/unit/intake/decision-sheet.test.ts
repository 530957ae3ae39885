import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readDecisionSheet } from '#intake/decision-sheet';

describe('decision sheet', () => {
  it('reads an XLSX sheet with typed cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Keputusan');
    ws.addRow(['kode', 'answer', 'decision', 'level', 'reason', 'note']);
    ws.addRow(['18.01', '13a', 'adjust', 2, 'evidence_outdated', 'SK 2019']);
    ws.addRow(['18.01', 'inovasi/a-1', 'reject', null, 'DUPLICATE_INNOVATION', null]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const out = await readDecisionSheet(bytes, 'keputusan.xlsx');
    expect(out.problems).toEqual([]);
    expect(out.rows).toEqual([
      {
        row: 2,
        kode: '18.01',
        input: { answer: '13a', decision: 'adjust', level: 2, reason: 'EVIDENCE_OUTDATED', note: 'SK 2019' },
      },
      {
        row: 3,
        kode: '18.01',
        input: { answer: 'inovasi/a-1', decision: 'reject', reason: 'DUPLICATE_INNOVATION' },
      },
    ]);
  });

  it('reads an Indonesian CSV (semicolons, decimal comma) and names every bad row and column', async () => {
    const csv = [
      'kode;answer;decision;level;reason;note',
      '18.01;4;adjust;5,23;;',
      '1801;5a;maybe;x;NOPE;',
      '18.01;;accept;;;',
    ].join('\r\n');
    const out = await readDecisionSheet(Buffer.from(csv), 'k.csv');
    expect(out.rows).toEqual([
      { row: 2, kode: '18.01', input: { answer: '4', decision: 'adjust', value: 5.23 } },
    ]);
    expect(out.problems.map((p) => [p.location.row, p.location.column])).toEqual([
      [3, 'kode'],
      [3, 'decision'],
      [3, 'level'],
      [3, 'reason'],
      [4, 'answer'],
    ]);
    expect(out.problems[0]?.message_id).toContain('kode wilayah');
    expect(out.problems[0]?.message_en).toContain('region code');
  });

  it('refuses a sheet without the columns', async () => {
    const out = await readDecisionSheet(Buffer.from('kode,answer\n18.01,1\n'), 'k.csv');
    expect(out.problems.map((p) => p.code)).toEqual(['COLUMNS_MISSING']);
    expect(out.problems[0]?.message_en).toContain('decision, level, reason, note');
  });
});
