import { describe, expect, it } from 'vitest';
import { listMethodologies } from '#domain/methodology/registry';
import type { Problem } from '#domain/problems';
import {
  buildSurveyTemplate,
  buildTemplate,
  DEFAULT_ZIP_LIMITS,
  guardZip,
  type IntakeOptions,
  intakeFile,
  intakeLimits,
} from '#intake/index';
import { openWorkbook, saveWorkbook } from '../../fixtures/intake/fill';
import { miniIid, REGION } from '../../fixtures/intake/methodologies';
import { makeZip, workbookSkeleton } from '../../fixtures/intake/zip';

const refuse = (what: string, limit: number): Problem => ({
  code: `TOO_MANY_${what.toUpperCase()}`,
  severity: 'error',
  location: {},
  message_id: String(limit),
  message_en: String(limit),
});

/** A worksheet part of `rows` rows × `cols` cells, optionally with a namespace prefix, padded so it inflates in many chunks. */
function sheetXml(rows: number, cols: number, prefix = ''): Buffer {
  const p = prefix ? `${prefix}:` : '';
  const body: string[] = [`<${p}worksheet><${p}cols><${p}col min="1" max="3"/></${p}cols><${p}sheetData>`];
  for (let r = 1; r <= rows; r++) {
    const cells = Array.from(
      { length: cols },
      (_, c) => `<${p}c r="R${r}C${c}" t="s"><${p}v>${c}</${p}v></${p}c>`,
    );
    // An empty self-closing cell too, as Excel writes styled blanks.
    body.push(`<${p}row r="${r}">${cells.join('')}<${p}c r="Z${r}" s="1"/></${p}row>`);
  }
  body.push(
    `</${p}sheetData><${p}conditionalFormatting><${p}cfRule type="x"/></${p}conditionalFormatting></${p}worksheet>`,
  );
  return Buffer.from(body.join('\n'));
}

const workbookWith = (sheet: Buffer): Buffer =>
  makeZip([...workbookSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: sheet }]);

describe('rows and cells are counted while the worksheet inflates', () => {
  // 3000 rows of 9 cells: ~300 KB of XML, so tags fall across inflate chunk boundaries.
  const rows = 3000;
  const cells = rows * 9;
  const limits = { maxSheetRows: rows, maxCells: cells, maxSharedStrings: 10, refuse };

  for (const prefix of ['', 'x']) {
    it(`counts exactly${prefix ? ' with a namespace prefix' : ''}: at the limit passes, one more is refused`, async () => {
      const bytes = workbookWith(sheetXml(rows, 8, prefix));
      expect((await guardZip(bytes, undefined, undefined, limits)).problems).toEqual([]);
      const fewerCells = await guardZip(bytes, undefined, undefined, { ...limits, maxCells: cells - 1 });
      expect(fewerCells.problems.map((p) => p.code)).toEqual(['TOO_MANY_CELLS']);
      const fewerRows = await guardZip(bytes, undefined, undefined, { ...limits, maxSheetRows: rows - 1 });
      expect(fewerRows.problems.map((p) => p.code)).toEqual(['TOO_MANY_ROWS']);
    });
  }

  it('counts the shared strings table too', async () => {
    const strings = `<sst>${Array.from({ length: 50 }, (_, i) => `<si><t>${i}</t></si>`).join('')}</sst>`;
    const bytes = makeZip([
      ...workbookSkeleton(),
      { name: 'xl/sharedStrings.xml', data: Buffer.from(strings) },
    ]);
    expect(
      (await guardZip(bytes, undefined, undefined, { ...limits, maxSharedStrings: 50 })).problems,
    ).toEqual([]);
    const refused = await guardZip(bytes, undefined, undefined, { ...limits, maxSharedStrings: 49 });
    expect(refused.problems.map((p) => p.code)).toEqual(['TOO_MANY_STRINGS']);
  });
});

describe('limits derived from the methodology', () => {
  it('derives rows from the most items a region may report, and every shipped template fits its own limits', async () => {
    const mini = intakeLimits(miniIid, 'submission');
    // mini-iid allows 50 innovations; two header rows and room for notes below the table.
    expect(mini.maxSheetRows).toBe(2 + 50 + 200);
    for (const m of listMethodologies()) {
      const limits = intakeLimits(m, 'submission');
      const scan = { ...limits, refuse };
      const template = await buildTemplate(m, REGION);
      const guard = await guardZip(
        template,
        { ...DEFAULT_ZIP_LIMITS, maxUncompressedBytes: limits.maxInflatedBytes },
        undefined,
        scan,
      );
      expect(guard.problems, m.id).toEqual([]);
      if (m.survey) {
        const survey = { ...intakeLimits(m, 'survey'), refuse };
        expect(
          (await guardZip(await buildSurveyTemplate(m, REGION), undefined, undefined, survey)).problems,
        ).toEqual([]);
      }
    }
  });

  const run = (bytes: Buffer, fileName: string, options?: IntakeOptions) =>
    intakeFile({ bytes, fileName, methodology: miniIid, region: '18.01', options });

  /** Bilingual, says why (the methodology's cap) and how to fix, and names no JS internals. */
  const expectPlainRefusal = (problem: Problem | undefined) => {
    expect(problem?.message_id).toMatch(/paling banyak 50 inovasi per wilayah.*unggah ulang/);
    expect(problem?.message_en).toMatch(/at most 50 innovation items per region.*upload it again/);
    for (const text of [problem?.message_id, problem?.message_en])
      expect(text).not.toMatch(/RangeError|TypeError|Error:|undefined|NaN|Invalid string length/);
  };

  it('refuses a workbook with more rows than any region can fill, before exceljs reads it', async () => {
    const wb = await openWorkbook(await buildTemplate(miniIid, REGION));
    const inv = wb.getWorksheet('Inovasi Daerah');
    if (!inv) throw new Error('sheet missing');
    const limit = intakeLimits(miniIid, 'submission').maxSheetRows;
    for (let r = 3; r <= limit + 5; r++) inv.getCell(`A${r}`).value = `INV-${r}`;
    const result = await run(await saveWorkbook(wb), 'banyak.xlsx');
    expect(result.submission).toBeUndefined();
    expect(result.problems.map((p) => [p.code, p.location.file])).toEqual([['TOO_MANY_ROWS', 'banyak.xlsx']]);
    expectPlainRefusal(result.problems[0]);
  });

  it('refuses a workbook over a lowered cell limit, a CSV over its record limit and a JSON over its value limit', async () => {
    const xlsx = await run(await buildTemplate(miniIid, REGION), 'a.xlsx', { limits: { maxCells: 20 } });
    expect(xlsx.problems.map((p) => p.code)).toEqual(['FILE_TOO_COMPLEX']);
    expectPlainRefusal(xlsx.problems[0]);

    const csvText = [
      'bagian;item;kode;nilai',
      'meta;;metodologi;mini-iid',
      'meta;;wilayah;18.01',
      'indikator;;1;3',
    ].join('\n');
    const csv = await run(Buffer.from(csvText), 'a.csv', { limits: { maxCsvRecords: 3 } });
    expect(csv.problems.map((p) => p.code)).toEqual(['TOO_MANY_ROWS']);
    expectPlainRefusal(csv.problems[0]);

    const items = Array.from({ length: 20 }, (_, i) => ({ id: `INV-${i}`, answers: {} }));
    const json = Buffer.from(
      JSON.stringify({ methodology: 'mini-iid', region: '18.01', groups: { inovasi: items } }),
    );
    const refused = await run(json, 'a.json', { limits: { maxJsonEntries: 30 } });
    expect(refused.problems.map((p) => p.code)).toEqual(['FILE_TOO_COMPLEX']);
    expectPlainRefusal(refused.problems[0]);
    // Within the derived limit, the same file reaches the schema and validation.
    expect((await run(json, 'a.json')).problems.map((p) => p.code)).not.toContain('FILE_TOO_COMPLEX');
  });
});
