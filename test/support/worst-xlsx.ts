import ExcelJS from 'exceljs';
import { fromBuffer } from 'yauzl';
import type { LoadedMethodology } from '#domain/methodology/load';
import { buildTemplate, type IntakeLimits, intakeLimits, placeIndicators } from '#intake/index';
import { FIRST_DATA_ROW, groupSheetName, KEY_ROW, SHEET } from '#intake/layout';

const REGION = { kode: '18.01', nama: 'Kabupaten Lampung Selatan' };
/** Stay this far under each limit, so the file is legal with room for exceljs' own parts. */
const UNDER = 0.97;

/** Column numbers by the template's hidden key row. */
function keyColumns(ws: ExcelJS.Worksheet): Map<string, number> {
  const map = new Map<string, number>();
  ws.getRow(KEY_ROW).eachCell((cell, col) => {
    map.set(String(cell.value), col);
  });
  return map;
}

/** Sum of the inflated sizes of a zip's entries. */
function inflatedSize(bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      let total = 0;
      zip.on('entry', (entry: { uncompressedSize: number }) => {
        total += entry.uncompressedSize;
        zip.readEntry();
      });
      zip.on('end', () => resolve(total));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Counts the cells exceljs will build (styled empty ones included). */
function cellCount(wb: ExcelJS.Workbook): number {
  let n = 0;
  for (const ws of wb.worksheets)
    ws.eachRow({ includeEmpty: true }, (row) => {
      row.eachCell({ includeEmpty: true }, () => {
        n++;
      });
    });
  return n;
}

/** A text of exactly `length` characters, unique per `seed` (so every cell is its own shared string). */
const text = (seed: string, length: number): string =>
  `${seed} `.padEnd(length, 'Inovasi pelayanan publik yang berkelanjutan dan terukur. ').slice(0, length);

/**
 * The worst workbook the intake accepts for `m`: the official template with every repeated-group
 * item the methodology allows (IID: 1000 innovations), every indicator answered, long names, and
 * the operator's own notes sheets filling the rest of the cell and inflated-byte budget, each just
 * under its limit. What `npm run bench -- intake-worst` validates.
 */
export async function worstLegalWorkbook(
  m: LoadedMethodology,
  limits: IntakeLimits = intakeLimits(m, 'submission'),
): Promise<{ bytes: Buffer; cells: number; inflated: number; rows: number }> {
  const placement = placeIndicators(m);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buildTemplate(m, REGION)) as unknown as ExcelJS.Buffer);
  const ind = wb.getWorksheet(SHEET.indicators);
  if (ind) {
    const cols = keyColumns(ind);
    ind.eachRow((row, n) => {
      if (n < FIRST_DATA_ROW) return;
      const code = String(row.getCell(cols.get('kode') ?? 1).value);
      const rule = placement.byCode.get(code)?.rule;
      row.getCell(cols.get('isian') ?? 1).value = rule?.type === 'level' ? 1 : 4.75;
      row.getCell(cols.get('bukti') ?? 1).value = `spd-${code}.pdf`;
    });
  }
  let rows = 0;
  for (const group of m.groups) {
    const ws = wb.getWorksheet(groupSheetName(group));
    if (!ws) throw new Error(`template sheet for ${group.id} missing`);
    const cols = keyColumns(ws);
    for (let i = 0; i < group.maxItems; i++) {
      const row = ws.getRow(FIRST_DATA_ROW + i);
      row.getCell(cols.get('id') ?? 1).value = `INV-${i + 1}`;
      row.getCell(cols.get('nama') ?? 1).value = text(`Inovasi ${i + 1}`, 250);
      for (const field of group.fields)
        row.getCell(cols.get(field.key) ?? 1).value =
          field.type === 'year' ? m.period - 1 : text(`${field.key}-${i}`, 60);
      for (const indicator of placement.groups.get(group.id) ?? []) {
        row.getCell(cols.get(`ind:${indicator.code}`) ?? 1).value =
          indicator.rule.type === 'level' ? 1 : 12.5;
        row.getCell(cols.get(`bukti:${indicator.code}`) ?? 1).value = `inv-${i + 1}-${indicator.code}.pdf`;
      }
    }
    rows = Math.max(rows, FIRST_DATA_ROW + group.maxItems - 1);
  }

  // The operator's notes fill what remains of both budgets, in sheets no longer than the row limit.
  const base = await wb.xlsx.writeBuffer();
  const cellsLeft = Math.floor(limits.maxCells * UNDER) - cellCount(wb);
  const bytesLeft = Math.floor(limits.maxInflatedBytes * UNDER) - (await inflatedSize(Buffer.from(base)));
  if (cellsLeft > 0 && bytesLeft > 0) {
    const width = 20;
    // Per cell: its sheet XML (~40 bytes) and its shared string (~20 bytes of tags around the text).
    const length = Math.max(1, Math.min(32_000, Math.floor(bytesLeft / cellsLeft) - 60));
    const sheetRows = Math.floor(limits.maxSheetRows * UNDER);
    let left = cellsLeft;
    for (let s = 1; left > 0; s++) {
      const ws = wb.addWorksheet(`Catatan ${s}`);
      for (let r = 1; r <= sheetRows && left > 0; r++) {
        const values: string[] = [];
        for (let c = 0; c < width && left > 0; c++, left--) values.push(text(`${s}.${r}.${c}`, length));
        ws.getRow(r).values = values;
      }
    }
  }
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return { bytes, cells: cellCount(wb), inflated: await inflatedSize(bytes), rows };
}
