import type { Problem } from '#domain/problems';
import { DECISION_KINDS, type DecisionInput } from '#domain/verification/decisions';
import { isReasonCode } from '#domain/verification/reasons';
import { readCsv } from './csv/read';
import { report } from './report';
import { cellText, type Table } from './table';
import { loadWorkbook, sheetTable } from './xlsx/workbook';
import { guardZip } from './zip-guard';

/**
 * An assessor's decision sheet (XLSX or CSV) with columns `kode,answer,decision,level,reason,note`:
 * one row per decision, `kode` the region. Read with the submission readers (encoding, delimiter,
 * zip guard); every problem names its row; the caller applies nothing unless there are none.
 */
export const DECISION_COLUMNS = ['kode', 'answer', 'decision', 'level', 'reason', 'note'] as const;
export const MAX_DECISION_ROWS = 50_000;

export interface DecisionRow {
  row: number;
  kode: string;
  input: DecisionInput;
}

export async function readDecisionSheet(
  bytes: Uint8Array,
  fileName: string,
): Promise<{ rows: DecisionRow[]; problems: Problem[] }> {
  const isXlsx = bytes[0] === 0x50 && bytes[1] === 0x4b;
  let table: Table | undefined;
  const problems: Problem[] = [];
  if (isXlsx) {
    const guard = await guardZip(Buffer.from(bytes), undefined, fileName);
    if (guard.problems.length > 0) return { rows: [], problems: guard.problems };
    const loaded = await loadWorkbook(Buffer.from(bytes), fileName);
    const ws = loaded.workbook?.worksheets[0];
    if (!ws) return { rows: [], problems: loaded.problems };
    const read = sheetTable(ws, MAX_DECISION_ROWS + 1);
    table = read.table;
    if (read.truncated) problems.push(tooMany(fileName));
  } else {
    const read = readCsv(bytes, MAX_DECISION_ROWS + 1);
    problems.push(...read.problems);
    table = read.table;
    if (read.truncated) problems.push(tooMany(fileName));
  }
  if (!table) return { rows: [], problems };
  const read = rowsOf(table, fileName);
  return { rows: read.rows, problems: [...problems, ...read.problems] };
}

const tooMany = (file: string) =>
  report(
    'TOO_MANY_ROWS',
    'error',
    { file },
    `lembar keputusan lebih dari ${MAX_DECISION_ROWS} baris; bagi menjadi beberapa berkas.`,
    `the decision sheet has more than ${MAX_DECISION_ROWS} rows; split it into several files.`,
  );

function rowsOf(table: Table, file: string): { rows: DecisionRow[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const [header, ...body] = table.rows;
  const names = (header?.cells ?? []).map((c) => cellText(c).trim().toLowerCase());
  const col = new Map(DECISION_COLUMNS.map((name) => [name, names.indexOf(name)]));
  const missing = DECISION_COLUMNS.filter((name) => (col.get(name) ?? -1) < 0);
  if (!header || missing.length > 0) {
    problems.push(
      report(
        'COLUMNS_MISSING',
        'error',
        { file, ...(table.sheet ? { sheet: table.sheet } : {}), row: header?.line ?? 1 },
        `baris judul harus memuat kolom ${DECISION_COLUMNS.join(',')}; tidak ada: ${missing.join(', ')}.`,
        `the header row must have the columns ${DECISION_COLUMNS.join(',')}; missing: ${missing.join(', ')}.`,
      ),
    );
    return { rows: [], problems };
  }
  const rows: DecisionRow[] = [];
  for (const r of body) {
    const text = (name: (typeof DECISION_COLUMNS)[number]) => cellText(r.cells[col.get(name) ?? -1]).trim();
    const where = { file, ...(table.sheet ? { sheet: table.sheet } : {}), row: r.line };
    const kode = text('kode');
    const answer = text('answer');
    const decision = text('decision').toLowerCase();
    const levelText = text('level').replace(',', '.');
    const reason = text('reason').toUpperCase();
    const note = text('note');
    const bad = (column: string, id: string, en: string) =>
      problems.push(report('DECISION_ROW_INVALID', 'error', { ...where, column }, id, en));
    if (!/^\d{2}(\.\d{2})?$/.test(kode))
      bad(
        'kode',
        `kode wilayah "${kode}" tidak sah (mis. 18.01).`,
        `region code "${kode}" is not valid (e.g. 18.01).`,
      );
    if (!answer) bad('answer', 'kolom answer kosong.', 'the answer column is empty.');
    if (!(DECISION_KINDS as readonly string[]).includes(decision))
      bad(
        'decision',
        `keputusan "${decision}" tidak dikenal; tulis accept, adjust atau reject.`,
        `decision "${decision}" is unknown; write accept, adjust or reject.`,
      );
    let level: number | undefined;
    let value: number | undefined;
    if (levelText) {
      const n = Number(levelText);
      if (!Number.isFinite(n))
        bad(
          'level',
          `level/nilai "${levelText}" bukan angka.`,
          `level/value "${levelText}" is not a number.`,
        );
      else if (Number.isInteger(n) && n >= 0 && !levelText.includes('.')) level = n;
      else value = n;
    }
    if (reason && !isReasonCode(reason))
      bad('reason', `kode alasan "${reason}" tidak dikenal.`, `reason code "${reason}" is unknown.`);
    if (problems.some((p) => p.location.row === r.line)) continue;
    rows.push({
      row: r.line,
      kode,
      input: {
        answer,
        decision: decision as DecisionInput['decision'],
        ...(level !== undefined ? { level } : {}),
        ...(value !== undefined ? { value } : {}),
        ...(reason && isReasonCode(reason) ? { reason } : {}),
        ...(note ? { note } : {}),
      },
    });
  }
  return { rows, problems };
}
