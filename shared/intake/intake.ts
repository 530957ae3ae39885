import type { LoadedMethodology } from '#domain/methodology/load';
import { hasErrors, type Problem } from '#domain/problems';
import { canonicalSpelling } from '#domain/spelling';
import type { Submission } from '#domain/submission';
import { assemble } from './assemble';
import { draftFromCsv } from './csv/parse-long';
import { readCsv } from './csv/read';
import { detectFormat, type Format } from './detect';
import { type Draft, emptyDraft } from './draft';
import { respondentsFromJson, submissionFromJson } from './json/parse';
import { SHEET } from './layout';
import { type IntakeLimits, intakeLimits, tooLargeForMethodology } from './limits';
import { orderProblems } from './order';
import type { SourceMap } from './paths';
import { report } from './report';
import { respondentsFromTable } from './survey/parse';
import type { Table } from './table';
import { type ValidationOptions, validateSubmission, validateSurveySubmission } from './validate';
import { draftFromWorkbook, readMeta, tooManyRows } from './xlsx/parse-template';
import { loadWorkbook, sheetsByName, sheetTable } from './xlsx/workbook';
import { DEFAULT_ZIP_LIMITS, guardZip, type ZipLimits } from './zip-guard';

export interface IntakeOptions extends ValidationOptions {
  /** A data file (default) or the survey respondents file. */
  content?: 'submission' | 'survey';
  /** Re-checked here whatever the upload policy allowed: never trust an upload. Default 10 MB. */
  maxBytes?: number;
  /** Rows per sheet or CSV file. Default: derived from the methodology (`intakeLimits`). */
  maxRows?: number;
  /** Overrides of the limits derived from the methodology (tests lower them). */
  limits?: Partial<IntakeLimits>;
  zip?: Partial<ZipLimits>;
}

export interface IntakeInput {
  bytes: Uint8Array;
  fileName: string;
  contentType?: string;
  methodology: LoadedMethodology;
  /** The region the upload was made for (from the authorised URL), e.g. "18.01". */
  region: string;
  /** Evidence files uploaded so far; omit to skip the "evidence never uploaded" check. */
  evidenceNames?: readonly string[];
  options?: IntakeOptions;
}

export interface IntakeResult {
  /** Present only when no problem is an error; warnings may remain. */
  submission?: Submission;
  /** Every problem found, in reading order, each naming the file. */
  problems: Problem[];
  format?: Format;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * One uploaded file to a canonical submission: format detection by magic bytes, zip-bomb guard,
 * parsing (XLSX template, long CSV, canonical JSON, or survey respondents), then validation.
 * Never throws on bad input; everything wrong is in `problems`.
 */
export async function intakeFile(input: IntakeInput): Promise<IntakeResult> {
  const options = input.options ?? {};
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const finish = (
    problems: Problem[],
    submission?: Submission,
    format?: Format,
    sheets?: string[],
  ): IntakeResult => {
    const located = orderProblems(problems, sheets).map((p) => ({
      ...p,
      location: { file: input.fileName, ...p.location },
    }));
    return !hasErrors(located) && submission
      ? { submission, problems: located, format }
      : { problems: located, format };
  };

  if (input.bytes.length > maxBytes)
    return finish([
      report(
        'FILE_TOO_LARGE',
        'error',
        {},
        `berkas berukuran ${(input.bytes.length / 1048576).toFixed(1)} MB, melebihi batas ${(maxBytes / 1048576).toFixed(0)} MB. Hapus lembar atau gambar yang tidak perlu.`,
        `the file is ${(input.bytes.length / 1048576).toFixed(1)} MB, above the ${(maxBytes / 1048576).toFixed(0)} MB limit. Remove unneeded sheets or images.`,
      ),
    ]);
  const detected = detectFormat(input);
  if (!detected.format) return finish(detected.problems);
  const format = detected.format;
  const parsed = await parse(format, input, options).catch(
    (): Parsed => ({
      // exceljs can still trip over exotic content after loading; the operator gets a fix, not a 500,
      // and never the library's internals (a RangeError's text means nothing to an operator).
      problems: [
        report(
          'CORRUPT_FILE',
          'error',
          {},
          'berkas tidak dapat diproses. Simpan ulang dari Excel sebagai .xlsx atau .csv lalu unggah kembali.',
          'the file cannot be processed. Save it again from Excel as .xlsx or .csv and upload it again.',
        ),
      ],
    }),
  );
  const sheets = parsed.sheets;
  if (!parsed.submission || brokenStructure(parsed.problems))
    return finish(parsed.problems, undefined, format, sheets);
  // One spelling whatever the format: "SOSIAL" is "sosial", "Definitif" is "definitif".
  const submission = canonicalSpelling(parsed.submission, input.methodology);

  const ctx = {
    methodology: input.methodology,
    region: input.region,
    evidenceNames: input.evidenceNames,
    options,
    sources: parsed.sources,
  };
  const semantic =
    options.content === 'survey'
      ? validateSurveySubmission(submission, ctx)
      : validateSubmission(submission, ctx);
  return finish([...parsed.problems, ...semantic], submission, format, sheets);
}

/**
 * Problems that make the file's content unreliable as a whole. Semantic checks are skipped then:
 * "mandatory indicator missing" on a sheet that was never read would only bury the real cause.
 */
const STRUCTURAL = new Set([
  'MISSING_COLUMN',
  'SHEET_MISSING',
  'TOO_MANY_ROWS',
  'CSV_INVALID',
  'WRONG_TEMPLATE',
]);
const brokenStructure = (problems: readonly Problem[]): boolean =>
  problems.some((p) => p.severity === 'error' && STRUCTURAL.has(p.code));

interface Parsed {
  submission?: Submission;
  sources?: SourceMap;
  problems: Problem[];
  sheets?: string[];
}

async function parse(format: Format, input: IntakeInput, options: IntakeOptions): Promise<Parsed> {
  const m = input.methodology;
  const survey = options.content === 'survey';
  const limits = { ...intakeLimits(m, survey ? 'survey' : 'submission'), ...options.limits };
  if (format === 'json') {
    const jsonLimit = {
      maxEntries: limits.maxJsonEntries,
      refuse: () => tooLargeForMethodology(m, 'entries', limits.maxJsonEntries),
    };
    if (!survey) return submissionFromJson(input.bytes, jsonLimit);
    const frame = { methodology: m.id, region: input.region, period: m.period };
    const result = respondentsFromJson(input.bytes, frame, jsonLimit);
    return result.respondents
      ? {
          submission: {
            ...frame,
            profile: {},
            indicators: {},
            groups: {},
            survey: { respondents: result.respondents },
          },
          problems: result.problems,
        }
      : { problems: result.problems };
  }

  if (format === 'csv') {
    const maxRecords = options.maxRows ?? limits.maxCsvRecords;
    const csv = readCsv(input.bytes, maxRecords);
    const problems = [...csv.problems];
    if (csv.truncated) problems.push(tooLargeForMethodology(m, 'rows', maxRecords));
    if (!csv.table) return { problems };
    if (survey) return surveyFrom(csv.table, emptyDraft(), input, problems);
    const drafted = draftFromCsv(csv.table, m);
    problems.push(...drafted.problems);
    const assembled = assemble(drafted.draft, m, input.region, csv.table.decimal);
    return { ...assembled, problems: [...problems, ...assembled.problems] };
  }

  const bytes = Buffer.isBuffer(input.bytes) ? input.bytes : Buffer.from(input.bytes);
  // `<row>` elements counted while inflating include header and styled empty rows: the derived
  // limit allows for both. `maxRows` (non-empty rows read into a table) stays a separate cap.
  const maxRows = options.maxRows ?? limits.maxSheetRows;
  const zipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.zip };
  // Rows, cells and inflated bytes are counted while the parts inflate, before exceljs loads anything.
  const guard = await guardZip(
    bytes,
    { ...zipLimits, maxUncompressedBytes: Math.min(zipLimits.maxUncompressedBytes, limits.maxInflatedBytes) },
    undefined,
    {
      maxSheetRows: limits.maxSheetRows,
      maxCells: limits.maxCells,
      maxSharedStrings: limits.maxSharedStrings,
      refuse: (what, limit) => tooLargeForMethodology(m, what, limit),
    },
  );
  if (guard.problems.length > 0) return { problems: guard.problems };
  const loaded = await loadWorkbook(bytes);
  if (!loaded.workbook) return { problems: loaded.problems };
  const workbook = loaded.workbook;
  const sheets = workbook.worksheets.map((ws) => ws.name);
  const readOptions = { maxRows, templateMismatch: options.templateMismatch ?? 'error' };
  if (survey) {
    const problems: Problem[] = [];
    const draft = emptyDraft();
    const byName = sheetsByName(workbook);
    // A respondents workbook made by hand is as acceptable as a CSV; template metadata, when present, is checked.
    const meta = byName.get(SHEET.meta.toLowerCase());
    if (meta) readMeta(meta, draft, problems, readOptions, 'survey');
    const ws =
      byName.get(SHEET.respondents.toLowerCase()) ??
      workbook.worksheets.find(
        (w) => w.state === 'visible' && w.name !== SHEET.instructions && w.name !== SHEET.meta,
      );
    if (!ws)
      return {
        problems: [
          ...problems,
          report(
            'SHEET_MISSING',
            'error',
            { sheet: SHEET.respondents },
            `lembar "${SHEET.respondents}" tidak ditemukan. Pakai templat survei.`,
            `sheet "${SHEET.respondents}" is missing. Use the survey template.`,
          ),
        ],
        sheets,
      };
    const { table, truncated } = sheetTable(ws, maxRows);
    if (truncated) problems.push(tooManyRows(ws.name, maxRows));
    return { ...surveyFrom(table, draft, input, problems), sheets };
  }
  const drafted = draftFromWorkbook(workbook, m, readOptions);
  const assembled = assemble(drafted.draft, m, input.region, 'auto');
  return { ...assembled, problems: [...drafted.problems, ...assembled.problems], sheets };
}

/** A respondents table plus whatever identity the file carries (template metadata) as a survey-only submission. */
function surveyFrom(table: Table, meta: Draft, input: IntakeInput, problems: Problem[]): Parsed {
  const survey = input.methodology.survey;
  if (!survey)
    return {
      problems: [
        ...problems,
        report(
          'SURVEY_NOT_EXPECTED',
          'error',
          {},
          `metodologi "${input.methodology.id}" tidak memakai survei; data responden tidak diterima.`,
          `methodology "${input.methodology.id}" has no survey; respondent data is not accepted.`,
        ),
      ],
    };
  const frame = assemble(meta, input.methodology, input.region, table.decimal);
  const read = respondentsFromTable(table, survey);
  const all = [...problems, ...frame.problems, ...read.problems];
  if (!frame.submission) return { problems: all };
  const sources = new Map([...frame.sources, ...read.sources]);
  return {
    submission: { ...frame.submission, survey: { respondents: read.respondents } },
    sources,
    problems: all,
  };
}
