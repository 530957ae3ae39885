import type { ProblemLocation } from '#domain/problems';

/**
 * What a cell held, before any interpretation. XLSX keeps its types (a number cell stays a number);
 * CSV only has text. Formula cells keep their formula text and are never evaluated.
 */
export type RawValue =
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number; percent: boolean }
  | { kind: 'date'; value: Date }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'formula'; text: string }
  | { kind: 'error'; text: string };

export interface RawCell {
  raw: RawValue;
  at: ProblemLocation;
}

export interface TableRow {
  /** Row number as the operator sees it (Excel row, or CSV line). */
  line: number;
  /** Indexed by 0-based column; a missing entry is an empty cell. */
  cells: (RawCell | undefined)[];
}

/** One sheet or one CSV file, cells already located for problem reports. */
export interface Table {
  sheet?: string;
  rows: TableRow[];
  /** How a text number's separators read: Indonesian CSV uses a decimal comma. */
  decimal: ',' | '.' | 'auto';
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The cell as plain text: what a text field stores and what header matching compares. */
export function cellText(cell: RawCell | undefined): string {
  if (!cell) return '';
  const raw = cell.raw;
  switch (raw.kind) {
    case 'text':
    case 'formula':
    case 'error':
      return raw.text;
    case 'number':
      return String(raw.value);
    case 'boolean':
      return raw.value ? 'TRUE' : 'FALSE';
    case 'date':
      return raw.value.toISOString().slice(0, 10);
  }
}

export interface Header {
  /** Index into `table.rows` of the header row. */
  index: number;
  line: number;
  /** Normalized key → 0-based column. */
  columns: Map<string, number>;
  /** Header cells that name no known key, for an "ignored column" warning. */
  unknown: { text: string; column: number }[];
}

const normalizeHeader = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, '_');

/**
 * Finds the header row among the first rows: the one naming the most known keys (ties go to the
 * later row, so a template's hidden key row wins over its label row). Aliases map to their key.
 */
export function findHeader(
  table: Table,
  aliases: ReadonlyMap<string, string>,
  required: string,
  scanRows = 5,
): Header | undefined {
  let best: Header | undefined;
  let bestScore = 0;
  for (let i = 0; i < Math.min(scanRows, table.rows.length); i++) {
    const row = table.rows[i];
    if (!row) continue;
    const columns = new Map<string, number>();
    const unknown: Header['unknown'] = [];
    let score = 0;
    row.cells.forEach((cell, col) => {
      const text = normalizeHeader(cellText(cell));
      if (!text) return;
      const key = aliases.get(text);
      if (key === undefined) {
        unknown.push({ text: cellText(cell).trim(), column: col });
        return;
      }
      score++;
      if (!columns.has(key)) columns.set(key, col);
    });
    if (!columns.has(required)) continue;
    if (score >= bestScore) {
      best = { index: i, line: row.line, columns, unknown };
      bestScore = score;
    }
  }
  return best;
}

/** Identity map plus aliases, for `findHeader`. */
export function aliasMap(
  keys: readonly string[],
  aliases: Record<string, readonly string[]> = {},
): Map<string, string> {
  const map = new Map<string, string>();
  for (const key of keys) map.set(normalizeHeader(key), key);
  for (const [key, names] of Object.entries(aliases))
    for (const name of names) map.set(normalizeHeader(name), key);
  return map;
}

export const isBlankRow = (row: TableRow): boolean => row.cells.every((c) => c === undefined);
