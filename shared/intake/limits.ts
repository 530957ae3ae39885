import type { LoadedMethodology } from '#domain/methodology/load';
import type { Problem } from '#domain/problems';
import { FIRST_DATA_ROW } from './layout';
import { placeIndicators, profileFields } from './placement';
import { report } from './report';

/**
 * How much one upload may hold, derived from the methodology: a region reports at most
 * `group.maxItems` items per repeated group (IID: 1000 innovations), each with its fields and the
 * group's indicators, plus its region-level indicators and profile facts. Anything larger cannot be
 * a legal submission, so it is refused while it is still being inflated, before a spreadsheet
 * library builds it in memory. The budget these limits keep: any accepted file validates in under
 * 30 s and 512 MB (`npm run bench -- intake-worst` measures the worst legal workbook).
 */
export interface IntakeLimits {
  /** Rows (`<row>` elements) in any one worksheet; the template's rows plus header and slack. */
  maxSheetRows: number;
  /** Cells (`<c>` elements, styled empty ones included: exceljs builds each) in the whole workbook. */
  maxCells: number;
  /** Entries of the shared-strings table (each cell holds at most one). */
  maxSharedStrings: number;
  /** Bytes of the whole workbook once inflated. */
  maxInflatedBytes: number;
  /** Records of a CSV file. */
  maxCsvRecords: number;
  /** Values (array elements and object members, at any depth) of a JSON file. */
  maxJsonEntries: number;
}

/**
 * Respondents one survey upload may hold. The methodology declares a minimum, not a maximum; a
 * regional survey of public servants and residents stays in the hundreds, so ten thousand leaves
 * ample room while keeping the file's cost bounded.
 */
export const SURVEY_MAX_RESPONDENTS = 10_000;

/** Header rows above the data (labels, hidden keys). */
const HEADER_ROWS = FIRST_DATA_ROW - 1;
/** Rows below a table that operators add (notes, totals) or Excel keeps formatted. */
const ROW_SLACK = 200;
/** Extra columns (an operator's own notes) on top of the template's. */
const CELL_MARGIN = 1.5;
/** Instructions, metadata and a small sheet of the operator's own. */
const OTHER_CELLS = 5_000;
/**
 * Inflated bytes per cell: its sheet XML (~40–60 bytes) plus an average shared string of ~200
 * characters. Most cells are levels, numbers, codes and file names; innovation names are the long
 * ones. Measured: exceljs' time and memory grow with these bytes, so this keeps the worst legal
 * workbook well inside the 30 s / 512 MB budget.
 */
const BYTES_PER_CELL = 256;
/** Styles, theme, workbook parts, the instructions' notes and data validations. */
const FIXED_BYTES = 4 * 1024 * 1024;
/** The zip guard's absolute ceiling, whatever a methodology allows. */
const CEILING_BYTES = 100 * 1024 * 1024;
/** Keys a canonical JSON answer carries at most (value, evidence, status, note). */
const JSON_ANSWER_ENTRIES = 6;

export function intakeLimits(m: LoadedMethodology, content: 'submission' | 'survey'): IntakeLimits {
  const placement = placeIndicators(m);
  const sheets: { rows: number; columns: number }[] = [];
  let csvRecords = 0;
  let jsonEntries = 0;
  if (content === 'survey') {
    const items = m.survey?.items.length ?? 0;
    sheets.push({ rows: SURVEY_MAX_RESPONDENTS, columns: items + 2 });
    csvRecords = SURVEY_MAX_RESPONDENTS + 1;
    jsonEntries = SURVEY_MAX_RESPONDENTS * (items + 4);
  } else {
    const profile = profileFields(m).length;
    const levels = Math.max(
      0,
      ...placement.region.map((i) => (i.rule.type === 'level' ? i.rule.levels.length : 0)),
    );
    sheets.push({ rows: profile, columns: 4 }, { rows: placement.region.length, columns: 9 + levels });
    csvRecords = 1 + 8 + profile + placement.region.length;
    jsonEntries = 16 + profile + placement.region.length * JSON_ANSWER_ENTRIES;
    for (const group of m.groups) {
      const indicators = placement.groups.get(group.id)?.length ?? 0;
      const fields = group.fields.length;
      sheets.push({ rows: group.maxItems, columns: 3 + fields + 2 * indicators });
      csvRecords += group.maxItems * (2 + fields + indicators);
      jsonEntries += group.maxItems * (4 + fields + indicators * JSON_ANSWER_ENTRIES);
    }
  }
  const maxCells = Math.ceil(
    sheets.reduce((sum, s) => sum + (s.rows + HEADER_ROWS) * s.columns, 0) * CELL_MARGIN + OTHER_CELLS,
  );
  return {
    maxSheetRows: HEADER_ROWS + Math.max(0, ...sheets.map((s) => s.rows)) + ROW_SLACK,
    maxCells,
    maxSharedStrings: maxCells,
    maxInflatedBytes: Math.min(CEILING_BYTES, FIXED_BYTES + maxCells * BYTES_PER_CELL),
    maxCsvRecords: csvRecords + ROW_SLACK,
    maxJsonEntries: jsonEntries * 2 + 1_000,
  };
}

/** Why a limit is what it is, in the operator's terms. */
function because(m: LoadedMethodology): { id: string; en: string } {
  const group = m.groups[0];
  return group
    ? {
        id: `metodologi ${m.id} membolehkan paling banyak ${group.maxItems} ${group.itemLabel.id} per wilayah`,
        en: `methodology ${m.id} allows at most ${group.maxItems} ${group.itemLabel.en} items per region`,
      }
    : {
        id: `metodologi ${m.id} hanya memuat ${placeIndicators(m).region.length} indikator`,
        en: `methodology ${m.id} has only ${placeIndicators(m).region.length} indicators`,
      };
}

/** A file larger than any legal submission: refused before it is read. */
export function tooLargeForMethodology(
  m: LoadedMethodology,
  what: 'rows' | 'cells' | 'strings' | 'entries',
  limit: number,
  sheet?: string,
): Problem {
  const why = because(m);
  const noun = {
    rows: { id: 'baris', en: 'rows' },
    cells: { id: 'sel', en: 'cells' },
    strings: { id: 'teks berbeda', en: 'distinct texts' },
    entries: { id: 'nilai', en: 'values' },
  }[what];
  return report(
    what === 'rows' ? 'TOO_MANY_ROWS' : 'FILE_TOO_COMPLEX',
    'error',
    { sheet },
    `berkas memuat lebih dari ${limit.toLocaleString('id-ID')} ${noun.id}, lebih banyak daripada yang mungkin untuk satu wilayah (${why.id}); berkas tidak dibaca. Pakai templat resmi, hapus baris, kolom, atau lembar tambahan, lalu unggah ulang.`,
    `the file holds more than ${limit.toLocaleString('en-US')} ${noun.en}, more than one region can have (${why.en}); the file is not read. Use the official template, remove extra rows, columns or sheets, and upload it again.`,
  );
}
