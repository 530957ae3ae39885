import { CsvError, parse } from 'csv-parse/sync';
import type { Problem } from '#domain/problems';
import { report } from '../report';
import { columnLetter, type Table, type TableRow } from '../table';
import { decodeText } from '../text';

export type Delimiter = ';' | ',' | '\t';

/**
 * The delimiter of the header line, counted outside quotes: Indonesian Excel writes `;` (its list
 * separator, because the comma is the decimal mark), English Excel `,`, "Unicode text" a tab.
 * csv-parse cannot be given both, or `5,23` would split.
 */
export function sniffDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  const ranked = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a]);
  const best = ranked[0] ?? ';';
  return counts[best] > 0 ? best : ';';
}

const LETTERS = Array.from({ length: 32 }, (_, i) => columnLetter(i));
const letter = (col: number): string => LETTERS[col] ?? columnLetter(col);

/**
 * CSV bytes as a Table: encoding detected (UTF-8 with or without BOM, UTF-16, Windows-1252),
 * delimiter sniffed, CRLF handled, every cell located by line and column letter.
 */
export function readCsv(
  bytes: Uint8Array,
  maxRows: number,
): { table?: Table; delimiter?: Delimiter; truncated: boolean; problems: Problem[] } {
  const decoded = decodeText(bytes).text;
  // Excel honours (and some exports write) a first line "sep=;" naming the delimiter.
  const hint = /^sep=([;,\t])\r?\n/i.exec(decoded);
  const text = hint ? decoded.slice(hint[0].length) : decoded;
  const delimiter = (hint?.[1] as Delimiter | undefined) ?? sniffDelimiter(text.slice(0, 65536).trimStart());
  let records: string[][];
  try {
    // Empty lines are kept (and skipped later as blank rows) so that record i sits on a line we
    // can count; csv-parse's per-record context would double the parse time on a 10 MB file.
    records = parse(text, { delimiter, bom: true, relax_column_count: true, to: maxRows + 1 });
  } catch (error) {
    const line = error instanceof CsvError && typeof error.lines === 'number' ? error.lines : undefined;
    const detail = (error instanceof Error ? error.message : String(error)).slice(0, 160);
    return {
      truncated: false,
      problems: [
        report(
          'CSV_INVALID',
          'error',
          { row: line },
          `CSV tidak dapat dibaca (${detail}). Periksa tanda kutip yang tidak ditutup, lalu ekspor ulang dari Excel sebagai "CSV (dipisahkan titik koma)".`,
          `the CSV cannot be read (${detail}). Check for unclosed quotes, then export it again from Excel as CSV.`,
        ),
      ],
    };
  }
  const truncated = records.length > maxRows;
  const rows: TableRow[] = [];
  let line = hint ? 2 : 1;
  for (const record of records.slice(0, maxRows)) {
    const row: TableRow = { line, cells: [] };
    record.forEach((value, col) => {
      if (value.includes('\n')) line += value.split('\n').length - 1;
      const trimmed = value.trim();
      if (trimmed)
        row.cells[col] = { raw: { kind: 'text', text: trimmed }, at: { row: row.line, column: letter(col) } };
    });
    if (row.cells.length > 0) rows.push(row);
    line++;
  }
  return {
    table: { rows, decimal: delimiter === ',' ? 'auto' : ',' },
    delimiter,
    truncated,
    problems: [],
  };
}
