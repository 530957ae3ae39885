import type ExcelJS from 'exceljs';

/** The look shared by every generated sheet: grey locked headers, yellow unlocked inputs. */

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
export const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
export const LOCKED: Partial<ExcelJS.Protection> = { locked: true };
export const UNLOCKED: Partial<ExcelJS.Protection> = { locked: false };
export const TEXT_FORMAT = '@';

/** Excel caps an input message at 255 characters and its title at 32. */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

export function styleLabelRow(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'top' };
  row.height = 45;
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.protection = LOCKED;
  });
}

/** The machine-readable key row: hidden from operators, read by the parser. */
export function styleKeyRow(row: ExcelJS.Row): void {
  row.hidden = true;
  row.font = { color: { argb: 'FF808080' }, size: 8 };
  row.eachCell((cell) => {
    cell.protection = LOCKED;
  });
}

/** Sheet protection without a password: it stops accidental edits of headers, not determined users. */
export async function protect(ws: ExcelJS.Worksheet, password: string | undefined): Promise<void> {
  await ws.protect(password ?? '', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    formatCells: false,
    insertRows: false,
    deleteRows: true,
    sort: true,
    autoFilter: true,
    spinCount: 1000,
  });
}

interface ValidationTarget {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

/**
 * One validation for a whole range: exceljs types lack `ws.dataValidations`, and a range entry is
 * written as one `sqref` instead of thousands of per-cell rules.
 */
export function validateRange(
  ws: ExcelJS.Worksheet,
  range: string,
  validation: ExcelJS.DataValidation,
): void {
  (ws as unknown as ValidationTarget).dataValidations.add(range, validation);
}

/**
 * An inline dropdown list, or undefined when Excel cannot hold it inline (over 255 characters, or a
 * value with a comma or quote); the caller then shows the choices in the input message instead.
 */
export function listFormula(values: readonly (string | number)[]): string | undefined {
  const texts = values.map(String);
  if (texts.some((v) => v.includes(',') || v.includes('"'))) return undefined;
  const joined = texts.join(',');
  return joined.length > 0 && joined.length <= 250 ? `"${joined}"` : undefined;
}
