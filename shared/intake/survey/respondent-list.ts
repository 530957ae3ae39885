import type { SurveyDefinition } from '#domain/methodology/schema';
import type { Problem } from '#domain/problems';
import { checkRespondentList, type RespondentEntry, respondentEntrySchema } from '#domain/survey/respondents';
import { readCsv } from '../csv/read';
import { detectFormat } from '../detect';
import { type CellReader, readText } from '../interpret';
import { report } from '../report';
import { aliasMap, columnLetter, findHeader, isBlankRow, type Table } from '../table';
import { loadWorkbook, sheetTable } from '../xlsx/workbook';
import { DEFAULT_ZIP_LIMITS, guardZip } from '../zip-guard';

/** The template's columns (the first row): what the operator fills in, one respondent per row. */
export const RESPONDENT_LIST_COLUMNS = ['nama', 'jabatan', 'kategori', 'kontak'] as const;
const KEYS = { name: 'nama', position: 'jabatan', category: 'kategori', contact: 'kontak' } as const;
const ALIASES = {
  nama: ['name', 'nama_lengkap'],
  jabatan: ['position', 'jabatan/posisi'],
  kategori: ['category', 'peran', 'role'],
  kontak: ['contact', 'email', 'telepon', 'no_hp', 'hp'],
};
const MAX_ROWS = 2_000;

/** The respondent-list template as CSV (semicolon, as Indonesian Excel writes it), with one example row. */
export function respondentListTemplateCsv(survey: SurveyDefinition): string {
  const example = [
    'Nama Lengkap',
    'Kepala Dinas Pendidikan',
    survey.roles?.[0] ?? 'kepala-opd',
    'nama@contoh.go.id',
  ];
  return `${RESPONDENT_LIST_COLUMNS.join(';')}\r\n${example.join(';')}\r\n`;
}

/**
 * A respondent list from an uploaded CSV or XLSX (first visible sheet): every row read, every
 * problem located by row and column, then checked against the methodology's quotas.
 */
export async function respondentListFromFile(
  bytes: Uint8Array,
  fileName: string,
  survey: SurveyDefinition,
): Promise<{ entries: RespondentEntry[]; problems: Problem[] }> {
  const detected = detectFormat({ bytes, fileName });
  if (!detected.format || detected.format === 'json') {
    const problems = detected.problems.length
      ? detected.problems
      : [
          report(
            'RESPONDENT_LIST_FORMAT',
            'error',
            { file: fileName },
            'daftar responden harus berupa XLSX atau CSV sesuai templat.',
            'the respondent list must be an XLSX or CSV file following the template.',
          ),
        ];
    return { entries: [], problems };
  }
  let table: Table | undefined;
  const problems: Problem[] = [...detected.problems];
  if (detected.format === 'csv') {
    const csv = readCsv(bytes, MAX_ROWS);
    problems.push(...csv.problems);
    table = csv.table;
  } else {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
    const guard = await guardZip(buffer, DEFAULT_ZIP_LIMITS);
    problems.push(...guard.problems);
    if (guard.problems.length === 0) {
      const loaded = await loadWorkbook(buffer, fileName);
      problems.push(...loaded.problems);
      const ws = loaded.workbook?.worksheets.find((w) => w.state === 'visible');
      if (ws) table = sheetTable(ws, MAX_ROWS).table;
    }
  }
  if (!table)
    return {
      entries: [],
      problems: problems.map((p) => ({ ...p, location: { file: fileName, ...p.location } })),
    };
  const read = respondentListFromTable(table, survey);
  return {
    entries: read.entries,
    problems: [...problems, ...read.problems].map((p) => ({
      ...p,
      location: { file: fileName, ...p.location },
    })),
  };
}

export function respondentListFromTable(
  table: Table,
  survey: SurveyDefinition,
): { entries: RespondentEntry[]; problems: Problem[] } {
  const reader: CellReader = { sink: [], decimal: table.decimal };
  const head = findHeader(table, aliasMap(RESPONDENT_LIST_COLUMNS, ALIASES), KEYS.name);
  if (!head?.columns.has(KEYS.category) || !head.columns.has(KEYS.position)) {
    reader.sink.push(
      report(
        'MISSING_COLUMN',
        'error',
        { sheet: table.sheet },
        `baris judul harus berisi kolom ${RESPONDENT_LIST_COLUMNS.join(', ')} (kontak boleh kosong). Gunakan templat daftar responden.`,
        `the header row must hold the columns ${RESPONDENT_LIST_COLUMNS.join(', ')} (contact may be empty). Use the respondent-list template.`,
      ),
    );
    return { entries: [], problems: reader.sink };
  }
  const entries: RespondentEntry[] = [];
  const rows: number[] = [];
  for (const row of table.rows.slice(head.index + 1)) {
    if (isBlankRow(row)) continue;
    const cell = (key: string) => {
      const col = head.columns.get(key);
      return col === undefined ? undefined : readText(reader, row.cells[col]);
    };
    const candidate = {
      name: cell(KEYS.name) ?? '',
      position: cell(KEYS.position) ?? '',
      category: (cell(KEYS.category) ?? '').trim().toLowerCase(),
      ...(cell(KEYS.contact) ? { contact: cell(KEYS.contact) } : {}),
    };
    const parsed = respondentEntrySchema.safeParse(candidate);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'name') as keyof typeof KEYS;
      const key = KEYS[field] ?? KEYS.name;
      const col = head.columns.get(key);
      reader.sink.push(
        report(
          'RESPONDENT_FIELD_INVALID',
          'error',
          { sheet: table.sheet, row: row.line, ...(col !== undefined ? { column: columnLetter(col) } : {}) },
          `kolom "${key}" kosong atau terlalu panjang (paling banyak 200 karakter). Isi ${key} responden ini.`,
          `column "${key}" is empty or too long (at most 200 characters). Fill in this respondent's ${key}.`,
        ),
      );
      continue;
    }
    entries.push(parsed.data);
    rows.push(row.line);
  }
  const checks = checkRespondentList(survey, entries, (i) => ({ sheet: table.sheet, row: rows[i] }));
  return { entries, problems: [...reader.sink, ...checks] };
}
