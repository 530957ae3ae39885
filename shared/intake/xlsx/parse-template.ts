import type ExcelJS from 'exceljs';
import type { LoadedMethodology } from '#domain/methodology/load';
import type { GroupDefinition } from '#domain/methodology/schema';
import type { Problem, ProblemLocation, Severity } from '#domain/problems';
import { type Draft, type DraftAnswer, emptyDraft } from '../draft';
import {
  answerKey,
  evidenceKey,
  groupSheetName,
  ITEM_KEY,
  META_KEY,
  type MetaKey,
  PROFILE_KEY,
  REGION_KEY,
  SHEET,
} from '../layout';
import { placeIndicators, profileFields } from '../placement';
import { report } from '../report';
import {
  aliasMap,
  cellText,
  columnLetter,
  findHeader,
  type Header,
  isBlankRow,
  type RawCell,
  type Table,
} from '../table';
import { sheetsByName, sheetTable } from './workbook';

export interface WorkbookReadOptions {
  maxRows: number;
  templateMismatch: Severity;
}

/** Reads a filled-in data template into a Draft. Sheets and columns are found by name and key. */
export function draftFromWorkbook(
  workbook: ExcelJS.Workbook,
  methodology: LoadedMethodology,
  options: WorkbookReadOptions,
): { draft: Draft; problems: Problem[] } {
  const problems: Problem[] = [];
  const draft = emptyDraft();
  const sheets = sheetsByName(workbook);
  const placement = placeIndicators(methodology);
  const expected = new Map<string, (table: Table) => void>();

  if (profileFields(methodology).length > 0)
    expected.set(SHEET.profile, (table) => readProfile(table, draft, problems));
  if (placement.region.length > 0)
    expected.set(SHEET.indicators, (table) => readIndicators(table, draft, problems));
  for (const group of methodology.groups)
    expected.set(groupSheetName(group), (table) => readGroup(table, group, methodology, draft, problems));

  readMeta(sheets.get(SHEET.meta.toLowerCase()), draft, problems, options, 'data');

  const found = workbook.worksheets.map((ws) => ws.name);
  for (const [name, read] of expected) {
    const ws = sheets.get(name.toLowerCase());
    if (!ws) {
      problems.push(
        report(
          'SHEET_MISSING',
          'error',
          { sheet: name },
          `lembar "${name}" tidak ditemukan (lembar yang ada: ${found.join(', ') || '-'}). Jangan mengganti nama atau menghapus lembar templat; salin isian ke templat asli bila perlu.`,
          `sheet "${name}" is missing (sheets found: ${found.join(', ') || '-'}). Do not rename or delete template sheets; copy your answers into the original template if needed.`,
        ),
      );
      continue;
    }
    const { table, truncated } = sheetTable(ws, options.maxRows);
    if (truncated) problems.push(tooManyRows(ws.name, options.maxRows));
    read(table);
  }
  const known = new Set([SHEET.instructions, SHEET.meta, ...expected.keys()].map((n) => n.toLowerCase()));
  for (const ws of workbook.worksheets)
    if (!known.has(ws.name.trim().toLowerCase()) && ws.actualRowCount > 0)
      problems.push(
        report(
          'SHEET_UNKNOWN',
          'warning',
          { sheet: ws.name },
          `lembar "${ws.name}" bukan bagian templat dan tidak dibaca. Bila berisi jawaban, pindahkan ke lembar templat yang sesuai.`,
          `sheet "${ws.name}" is not part of the template and is not read. If it holds answers, move them to the matching template sheet.`,
        ),
      );
  return { draft, problems };
}

export const tooManyRows = (sheet: string | undefined, max: number): Problem =>
  report(
    'TOO_MANY_ROWS',
    'error',
    { sheet },
    `lebih dari ${max} baris terisi; baris sesudahnya tidak dibaca. Hapus baris yang tidak perlu atau bagi datanya.`,
    `more than ${max} filled rows; rows after that are not read. Remove unneeded rows or split the data.`,
  );

const META_BY_LABEL = new Map<string, MetaKey>(
  (Object.entries(META_KEY) as [MetaKey, string][]).map(([key, label]) => [label, key]),
);

/** The hidden metadata sheet: which methodology, version, period and region the template was made for. */
export function readMeta(
  ws: ExcelJS.Worksheet | undefined,
  draft: Draft,
  problems: Problem[],
  options: WorkbookReadOptions,
  kind: 'data' | 'survey',
): void {
  if (!ws) {
    problems.push(
      report(
        'TEMPLATE_METADATA_MISSING',
        options.templateMismatch,
        {},
        'berkas ini bukan templat resmi siklus ini (data pengenal templat tidak ada). Unduh templat untuk wilayah Anda dan isi di sana.',
        "this file is not this cycle's official template (its identification data is missing). Download the template for your region and fill it in.",
      ),
    );
    return;
  }
  const { table } = sheetTable(ws, 50);
  for (const row of table.rows) {
    const key = META_BY_LABEL.get(cellText(row.cells[0]).trim().toLowerCase());
    const value = row.cells[1];
    if (key && value) draft.meta.set(key, value);
  }
  const found = cellText(draft.meta.get('kind')).trim().toLowerCase();
  const want = kind === 'data' ? 'data' : 'survei';
  if (found && found !== want)
    problems.push(
      report(
        'WRONG_TEMPLATE',
        'error',
        {},
        kind === 'data'
          ? 'ini templat survei responden, bukan templat data. Unggah sebagai data survei, atau unggah templat data.'
          : 'ini templat data, bukan templat survei responden. Unggah templat survei.',
        kind === 'data'
          ? 'this is the respondents survey template, not the data template. Upload it as survey data, or upload the data template.'
          : 'this is the data template, not the respondents survey template. Upload the survey template.',
      ),
    );
  draft.meta.delete('kind');
  draft.meta.delete('format');
  draft.meta.delete('regionName');
}

function missingColumn(sheet: string | undefined, key: string, severity: Severity = 'error'): Problem {
  return report(
    'MISSING_COLUMN',
    severity,
    { sheet },
    `kolom "${key}" tidak ditemukan di baris judul. Jangan menghapus atau mengganti judul kolom templat.`,
    `column "${key}" is missing from the header row. Do not delete or rename template columns.`,
  );
}

/** Location of a column in a row, whether or not the cell has a value. */
const cellAt = (table: Table, line: number, column: number | undefined): ProblemLocation => ({
  sheet: table.sheet,
  row: line,
  column: column === undefined ? undefined : columnLetter(column),
});

function header(table: Table, keys: string[], required: string, problems: Problem[]): Header | undefined {
  const found = findHeader(table, aliasMap(keys), required);
  if (!found) problems.push(missingColumn(table.sheet, required));
  return found;
}

function readProfile(table: Table, draft: Draft, problems: Problem[]): void {
  const head = header(table, Object.values(PROFILE_KEY), PROFILE_KEY.field, problems);
  if (!head) return;
  const valueCol = head.columns.get(PROFILE_KEY.value);
  if (valueCol === undefined) {
    problems.push(missingColumn(table.sheet, PROFILE_KEY.value));
    return;
  }
  const fieldCol = head.columns.get(PROFILE_KEY.field) ?? 0;
  for (const row of table.rows.slice(head.index + 1)) {
    const key = cellText(row.cells[fieldCol]).trim();
    if (!key) continue;
    if (draft.profileRows.has(key)) {
      problems.push(duplicateRow(table, row.line, key, draft.profileRows.get(key)?.row));
      continue;
    }
    draft.profileRows.set(key, cellAt(table, row.line, valueCol));
    const value = row.cells[valueCol];
    if (value) draft.profile.set(key, value);
  }
}

function duplicateRow(table: Table, line: number, what: string, firstLine: number | undefined): Problem {
  return report(
    'DUPLICATE_ROW',
    'error',
    { sheet: table.sheet, row: line },
    `"${what}" sudah ada di baris ${firstLine ?? '?'}; baris ini diabaikan. Hapus salah satu baris.`,
    `"${what}" already appears in row ${firstLine ?? '?'}; this row is ignored. Remove one of the rows.`,
  );
}

function readIndicators(table: Table, draft: Draft, problems: Problem[]): void {
  const head = header(table, Object.values(REGION_KEY), REGION_KEY.code, problems);
  if (!head) return;
  const col = (key: string) => head.columns.get(key);
  const inputCol = col(REGION_KEY.input);
  if (inputCol === undefined) {
    problems.push(missingColumn(table.sheet, REGION_KEY.input));
    return;
  }
  const codeCol = col(REGION_KEY.code) ?? 0;
  const evidenceCol = col(REGION_KEY.evidence);
  const statusCol = col(REGION_KEY.status);
  const seen = new Map<string, number>();
  for (const row of table.rows.slice(head.index + 1)) {
    const codeCell = row.cells[codeCol];
    const input = row.cells[inputCol];
    const evidence = evidenceCol === undefined ? undefined : row.cells[evidenceCol];
    const status = statusCol === undefined ? undefined : row.cells[statusCol];
    const code = cellText(codeCell).trim();
    if (!code) {
      if (input || evidence)
        problems.push(
          report(
            'ROW_WITHOUT_CODE',
            'error',
            { sheet: table.sheet, row: row.line },
            'baris ini berisi jawaban tetapi kolom kode indikatornya kosong, sehingga tidak dapat dinilai. Isi kodenya atau hapus baris ini.',
            'this row holds an answer but no indicator code, so it cannot be scored. Fill in the code or remove the row.',
          ),
        );
      continue;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      problems.push(duplicateRow(table, row.line, code, first));
      continue;
    }
    seen.set(code, row.line);
    const answer: DraftAnswer = { code, at: cellAt(table, row.line, inputCol) };
    if (evidenceCol !== undefined) answer.evidenceAt = cellAt(table, row.line, evidenceCol);
    if (input) answer.input = input;
    if (evidence) answer.evidence = evidence;
    if (status) answer.status = status;
    draft.indicators.push(answer);
  }
}

function readGroup(
  table: Table,
  group: GroupDefinition,
  methodology: LoadedMethodology,
  draft: Draft,
  problems: Problem[],
): void {
  const indicators = placeIndicators(methodology).groups.get(group.id) ?? [];
  const keys = [
    ITEM_KEY.id,
    ITEM_KEY.name,
    ITEM_KEY.status,
    ...group.fields.map((f) => f.key),
    ...indicators.flatMap((i) => [answerKey(i.code), evidenceKey(i.code)]),
  ];
  const head = header(table, keys, ITEM_KEY.id, problems);
  const items = draft.groups.get(group.id) ?? [];
  draft.groups.set(group.id, items);
  if (!head) return;
  const col = (key: string) => head.columns.get(key);
  for (const field of group.fields)
    if (col(field.key) === undefined && field.required) problems.push(missingColumn(table.sheet, field.key));
  for (const indicator of indicators)
    if (col(answerKey(indicator.code)) === undefined)
      problems.push(
        missingColumn(table.sheet, answerKey(indicator.code), indicator.mandatory ? 'error' : 'warning'),
      );
  for (const unknown of head.unknown)
    problems.push(
      report(
        'UNKNOWN_COLUMN',
        'warning',
        { sheet: table.sheet, row: head.line, column: columnLetter(unknown.column) },
        `kolom "${unknown.text}" tidak dikenal dan diabaikan.`,
        `column "${unknown.text}" is unknown and ignored.`,
      ),
    );

  const cellOf = (cells: Table['rows'][number]['cells'], key: string) => {
    const c = col(key);
    return c === undefined ? undefined : cells[c];
  };
  for (const row of table.rows.slice(head.index + 1)) {
    if (isBlankRow(row)) continue;
    const fields = new Map<string, RawCell>();
    for (const field of group.fields) {
      const cell = cellOf(row.cells, field.key);
      if (cell) fields.set(field.key, cell);
    }
    const answers: DraftAnswer[] = [];
    for (const indicator of indicators) {
      const inputCol = col(answerKey(indicator.code));
      if (inputCol === undefined) continue;
      const answer: DraftAnswer = { code: indicator.code, at: cellAt(table, row.line, inputCol) };
      const evidenceCol = col(evidenceKey(indicator.code));
      if (evidenceCol !== undefined) answer.evidenceAt = cellAt(table, row.line, evidenceCol);
      const input = row.cells[inputCol];
      const evidence = cellOf(row.cells, evidenceKey(indicator.code));
      if (input) answer.input = input;
      if (evidence) answer.evidence = evidence;
      answers.push(answer);
    }
    const id = cellOf(row.cells, ITEM_KEY.id);
    const name = cellOf(row.cells, ITEM_KEY.name);
    const status = cellOf(row.cells, ITEM_KEY.status);
    items.push({
      at: { sheet: table.sheet, row: row.line },
      ...(id ? { id } : {}),
      ...(name ? { name } : {}),
      ...(status ? { status } : {}),
      fields,
      answers,
    });
  }
}
