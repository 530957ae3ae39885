import type { SurveyDefinition } from '#domain/methodology/schema';
import type { Problem } from '#domain/problems';
import type { Respondent } from '#domain/submission';
import { type CellReader, readId, readNumber, readText } from '../interpret';
import { SURVEY_KEY } from '../layout';
import { path, type SourceMap } from '../paths';
import { report } from '../report';
import { aliasMap, columnLetter, findHeader, isBlankRow, type Table } from '../table';

const ALIASES = {
  [SURVEY_KEY.respondent]: [
    'id',
    'id_responden',
    'no_responden',
    'respondent',
    'respondent_id',
    'responden_id',
  ],
  [SURVEY_KEY.role]: ['role', 'jabatan', 'kategori'],
};

/**
 * A respondents table (CSV or the survey template's sheet): a respondent-ID column, an optional
 * role column and one column per survey item, named by the item code. Range and duplicates are
 * checked later, the same way for JSON.
 */
export function respondentsFromTable(
  table: Table,
  survey: SurveyDefinition,
): { respondents: Respondent[]; sources: SourceMap; problems: Problem[] } {
  const reader: CellReader = { sink: [], decimal: table.decimal };
  const sources: SourceMap = new Map();
  const respondents: Respondent[] = [];
  const items = survey.items.map((i) => i.code);
  const head = findHeader(
    table,
    aliasMap([SURVEY_KEY.respondent, SURVEY_KEY.role, ...items], ALIASES),
    SURVEY_KEY.respondent,
  );
  if (!head) {
    reader.sink.push(
      report(
        'MISSING_COLUMN',
        'error',
        { sheet: table.sheet },
        `baris judul dengan kolom "${SURVEY_KEY.respondent}" tidak ditemukan. Baris pertama harus berisi judul: ${[SURVEY_KEY.respondent, SURVEY_KEY.role, ...items].join(', ')}.`,
        `no header row with a "${SURVEY_KEY.respondent}" column was found. The first row must hold the headers: ${[SURVEY_KEY.respondent, SURVEY_KEY.role, ...items].join(', ')}.`,
      ),
    );
    return { respondents, sources, problems: reader.sink };
  }
  const missing = items.filter((code) => !head.columns.has(code));
  for (const code of missing)
    reader.sink.push(
      report(
        'MISSING_COLUMN',
        'error',
        { sheet: table.sheet, row: head.line },
        `kolom butir survei "${code}" tidak ada. Tambahkan kolom berjudul "${code}".`,
        `survey item column "${code}" is missing. Add a column headed "${code}".`,
      ),
    );
  for (const unknown of head.unknown)
    reader.sink.push(
      report(
        'UNKNOWN_COLUMN',
        'warning',
        { sheet: table.sheet, row: head.line, column: columnLetter(unknown.column) },
        `kolom "${unknown.text}" bukan butir survei dan diabaikan.`,
        `column "${unknown.text}" is not a survey item and is ignored.`,
      ),
    );
  const idCol = head.columns.get(SURVEY_KEY.respondent) ?? 0;
  const roleCol = head.columns.get(SURVEY_KEY.role);
  for (const row of table.rows.slice(head.index + 1)) {
    if (isBlankRow(row)) continue;
    const id = readId(reader, row.cells[idCol]);
    if (!id) {
      reader.sink.push(
        report(
          'RESPONDENT_ID_MISSING',
          'error',
          { sheet: table.sheet, row: row.line, column: columnLetter(idCol) },
          'baris ini berisi jawaban tanpa ID responden. Isi ID responden yang unik.',
          'this row holds answers without a respondent ID. Fill in a unique respondent ID.',
        ),
      );
      continue;
    }
    const at = path.respondent(respondents.length);
    sources.set(at, { sheet: table.sheet, row: row.line });
    sources.set(`${at}.id`, { sheet: table.sheet, row: row.line, column: columnLetter(idCol) });
    const respondent: Respondent = { id, answers: {} };
    if (roleCol !== undefined) {
      sources.set(`${at}.role`, { sheet: table.sheet, row: row.line, column: columnLetter(roleCol) });
      const role = readText(reader, row.cells[roleCol]);
      if (role) respondent.role = role;
    }
    for (const code of items) {
      const col = head.columns.get(code);
      if (col === undefined) continue;
      sources.set(path.surveyAnswer(at, code), {
        sheet: table.sheet,
        row: row.line,
        column: columnLetter(col),
      });
      const cell = row.cells[col];
      respondent.answers[code] = cell ? (readNumber(reader, cell) ?? null) : null;
    }
    respondents.push(respondent);
  }
  return { respondents, sources, problems: reader.sink };
}
