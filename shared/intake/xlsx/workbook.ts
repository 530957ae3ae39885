import ExcelJS from 'exceljs';
import type { Problem } from '#domain/problems';
import { report } from '../report';
import { columnLetter, type RawCell, type Table, type TableRow } from '../table';
import { toRaw } from './cells';

/** Loads a workbook that already passed the zip guard; a parse failure becomes a problem. */
export async function loadWorkbook(
  bytes: Buffer,
  file?: string,
): Promise<{ workbook?: ExcelJS.Workbook; problems: Problem[] }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    return { workbook, problems: [] };
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).slice(0, 120);
    return {
      problems: [
        report(
          'CORRUPT_FILE',
          'error',
          { file },
          `buku kerja tidak dapat dibaca (${detail}). Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah kembali.`,
          `the workbook cannot be read (${detail}). Open it in Excel, save it again as .xlsx and upload it again.`,
        ),
      ],
    };
  }
}

/** Sheets by their normalized name, so " inovasi" and "Inovasi" are the same sheet. */
export function sheetsByName(workbook: ExcelJS.Workbook): Map<string, ExcelJS.Worksheet> {
  const map = new Map<string, ExcelJS.Worksheet>();
  for (const ws of workbook.worksheets) map.set(ws.name.trim().toLowerCase(), ws);
  return map;
}

/**
 * A worksheet as a Table, stopping after `maxRows` non-empty rows: the caller reports the overflow
 * (`truncated`) instead of reading a million rows.
 */
export function sheetTable(ws: ExcelJS.Worksheet, maxRows: number): { table: Table; truncated: boolean } {
  const rows: TableRow[] = [];
  let truncated = false;
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    if (truncated) return;
    const cells: (RawCell | undefined)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const raw = toRaw(cell.value, cell.numFmt);
      if (raw) cells[col - 1] = { raw, at: { sheet: ws.name, row: line, column: columnLetter(col - 1) } };
    });
    if (cells.length === 0) return;
    if (rows.length >= maxRows) {
      truncated = true;
      return;
    }
    rows.push({ line, cells });
  });
  return { table: { sheet: ws.name, rows, decimal: 'auto' }, truncated };
}
