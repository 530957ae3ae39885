import { CsvError, parse } from 'csv-parse/sync';
import type { Problem } from '../../domain/problems';
import { report } from '../report';
import { columnLetter, type RawCell, type Table, type TableRow } from '../table';
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

/**
 * CSV bytes as a Table: encoding detected (UTF-8 with or without BOM, UTF-16, Windows-1252),
 * delimiter sniffed, CRLF handled, every cell located by line and column letter.
 */
export function readCsv(
  bytes: Uint8Array,
  maxRows: number,
): { table?: Table; delimiter?: Delimiter; truncated: boolean; problems: Problem[] } {
  const { text } = decodeText(bytes);
  const delimiter = sniffDelimiter(text.replace(/^\s+/, ''));
  let records: string[][];
  const lines: number[] = [];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      to: maxRows + 1,
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        return record;
      },
    });
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
  const rows: TableRow[] = records.slice(0, maxRows).map((cells, i) => {
    const line = lines[i] ?? i + 1;
    return {
      line,
      cells: cells.map((value, col): RawCell | undefined => {
        const trimmed = value.trim();
        if (!trimmed) return undefined;
        return { raw: { kind: 'text', text: trimmed }, at: { row: line, column: columnLetter(col) } };
      }),
    };
  });
  return {
    table: { rows, decimal: delimiter === ',' ? 'auto' : ',' },
    delimiter,
    truncated,
    problems: [],
  };
}
