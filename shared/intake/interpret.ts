import type { Problem, ProblemLocation } from '#domain/problems';
import { STATUS_CHOICES, STATUS_WORDS } from './layout';
import { looksLikeFormula } from './neutralise';
import { parseDecimal, tidy } from './numbers';
import { report } from './report';
import { cellText, type RawCell } from './table';

/**
 * Reading one cell as the type a column expects. Every reader reports into `sink` and returns
 * undefined when the cell cannot be used, so one bad cell never hides the others.
 */
export interface CellReader {
  sink: Problem[];
  decimal: ',' | '.' | 'auto';
}

const at = (cell: RawCell, indicator?: string): ProblemLocation =>
  indicator ? { ...cell.at, indicator } : cell.at;

function formulaProblem(
  reader: CellReader,
  cell: RawCell,
  indicator: string | undefined,
  typed: { id: string; en: string },
): void {
  reader.sink.push(
    report(
      'FORMULA_CELL',
      'error',
      at(cell, indicator),
      `sel berisi rumus "${cellText(cell)}". Rumus tidak pernah dihitung oleh sistem: ketik ${typed.id} secara langsung.`,
      `the cell holds the formula "${cellText(cell)}". Formulas are never calculated here: type ${typed.en} directly.`,
    ),
  );
}

/** Text fields keep formulas as inert text (exports neutralise it) and say so. */
export function readText(
  reader: CellReader,
  cell: RawCell | undefined,
  indicator?: string,
): string | undefined {
  if (!cell) return undefined;
  const raw = cell.raw;
  if (raw.kind === 'error') {
    reader.sink.push(
      report(
        'CELL_ERROR',
        'error',
        at(cell, indicator),
        `sel berisi galat Excel ${raw.text}. Ganti dengan isian yang benar.`,
        `the cell holds the Excel error ${raw.text}. Replace it with the real value.`,
      ),
    );
    return undefined;
  }
  const text = cellText(cell);
  if (raw.kind === 'formula' || looksLikeFormula(text))
    reader.sink.push(
      report(
        raw.kind === 'formula' ? 'FORMULA_CELL' : 'FORMULA_TEXT',
        'warning',
        at(cell, indicator),
        `isian "${text.slice(0, 60)}" berbentuk rumus. Disimpan sebagai teks biasa dan tidak pernah dijalankan; ketik teksnya saja bila bukan maksud Anda.`,
        `"${text.slice(0, 60)}" looks like a formula. It is stored as plain text and never run; type the plain text if that was not intended.`,
      ),
    );
  return text;
}

/** Identifiers: an ID typed as 7 stays "7", never "7.0". */
export function readId(reader: CellReader, cell: RawCell | undefined): string | undefined {
  if (!cell) return undefined;
  if (cell.raw.kind === 'number' && Number.isInteger(cell.raw.value)) return String(cell.raw.value);
  return readText(reader, cell);
}

export function readNumber(
  reader: CellReader,
  cell: RawCell | undefined,
  indicator?: string,
): number | undefined {
  if (!cell) return undefined;
  const raw = cell.raw;
  if (raw.kind === 'number') return raw.percent ? tidy(raw.value * 100) : raw.value;
  if (raw.kind === 'formula') {
    formulaProblem(reader, cell, indicator, { id: 'angkanya', en: 'the number' });
    return undefined;
  }
  if (raw.kind === 'text') {
    const parsed = parseDecimal(raw.text, reader.decimal);
    if (parsed) {
      if (parsed.ambiguous)
        reader.sink.push(
          report(
            'NUMBER_AMBIGUOUS',
            'warning',
            at(cell, indicator),
            `"${raw.text}" dibaca sebagai ${parsed.value}. Bila maksudnya ribuan, tulis tanpa pemisah ribuan; desimal pakai koma, mis. 5,23.`,
            `"${raw.text}" was read as ${parsed.value}. If thousands were meant, write the number without a thousands separator; use a decimal comma, e.g. 5,23.`,
          ),
        );
      return parsed.value;
    }
  }
  const hint =
    raw.kind === 'date'
      ? {
          id: ' Excel mengubahnya menjadi tanggal: format sel sebagai Angka lalu ketik ulang, mis. 5,23.',
          en: ' Excel turned it into a date: format the cell as Number and type it again, e.g. 5,23.',
        }
      : {
          id: ' Tulis angka saja, desimal dengan koma, mis. 5,23.',
          en: ' Write just the number, e.g. 5,23 or 5.23.',
        };
  reader.sink.push(
    report(
      'NUMBER_INVALID',
      'error',
      at(cell, indicator),
      `"${cellText(cell)}" bukan angka.${hint.id}`,
      `"${cellText(cell)}" is not a number.${hint.en}`,
    ),
  );
  return undefined;
}

const LEVEL_TEXT = /^(?:level\s*)?(\d+)(?:\s*[-–—.:)]\s*.*)?$/i;

/** A level as picked from the dropdown ("2"), typed ("Level 2"), or pasted with its label ("2 - …"). */
export function readLevel(
  reader: CellReader,
  cell: RawCell | undefined,
  choices: readonly number[],
  indicator?: string,
): number | undefined {
  if (!cell) return undefined;
  const raw = cell.raw;
  if (raw.kind === 'formula') {
    formulaProblem(reader, cell, indicator, { id: 'levelnya', en: 'the level' });
    return undefined;
  }
  if (raw.kind === 'number' && Number.isInteger(raw.value) && !raw.percent) return raw.value;
  const match = raw.kind === 'text' ? LEVEL_TEXT.exec(raw.text) : null;
  if (match?.[1]) return Number(match[1]);
  const list = choices.join(', ');
  reader.sink.push(
    report(
      'LEVEL_INVALID',
      'error',
      at(cell, indicator),
      `"${cellText(cell)}" bukan level. Pilih salah satu dari daftar: ${list}.`,
      `"${cellText(cell)}" is not a level. Pick one from the list: ${list}.`,
    ),
  );
  return undefined;
}

/** A year field: 2021, "2021", or a date someone typed (its year). */
export function readYear(reader: CellReader, cell: RawCell | undefined, label: string): number | undefined {
  if (!cell) return undefined;
  const raw = cell.raw;
  if (raw.kind === 'date') return raw.value.getUTCFullYear();
  if (raw.kind === 'number' && Number.isInteger(raw.value) && !raw.percent) return raw.value;
  const text = cellText(cell).trim();
  if (raw.kind === 'text' && /^\d{4}$/.test(text)) return Number(text);
  if (raw.kind === 'formula') {
    formulaProblem(reader, cell, undefined, { id: 'tahunnya', en: 'the year' });
    return undefined;
  }
  reader.sink.push(
    report(
      'FIELD_INVALID',
      'error',
      cell.at,
      `"${text}" bukan tahun untuk kolom ${label}. Tulis empat angka, mis. 2021.`,
      `"${text}" is not a year for column ${label}. Write four digits, e.g. 2021.`,
    ),
  );
  return undefined;
}

export function readStatus(
  reader: CellReader,
  cell: RawCell | undefined,
  indicator?: string,
): 'accepted' | 'rejected' | undefined {
  if (!cell) return undefined;
  const text = cellText(cell).trim().toLowerCase();
  const status = STATUS_WORDS[text];
  if (status) return status;
  reader.sink.push(
    report(
      'STATUS_INVALID',
      'error',
      at(cell, indicator),
      `status "${cellText(cell)}" tidak dikenal. Pilih ${STATUS_CHOICES.join(' atau ')}, atau kosongkan.`,
      `status "${cellText(cell)}" is unknown. Use ${STATUS_CHOICES.join(' or ')} (accepted / rejected), or leave it empty.`,
    ),
  );
  return undefined;
}
