import type { LoadedMethodology } from '#domain/methodology/load';
import type { GroupDefinition } from '#domain/methodology/schema';
import type { Problem } from '#domain/problems';
import { type Draft, type DraftAnswer, type DraftItem, emptyDraft } from '../draft';
import { groupSheetName, META_KEY, type MetaKey } from '../layout';
import { report } from '../report';
import { aliasMap, cellText, columnLetter, findHeader, isBlankRow, type RawCell, type Table } from '../table';

/** Columns of the long CSV layout (see README): one row per answer. */
export const CSV_COLUMNS = ['bagian', 'item', 'kode', 'nilai', 'bukti', 'status'] as const;
const ALIASES = {
  bagian: ['section', 'lembar'],
  item: ['id_item', 'item_id', 'id'],
  kode: ['code', 'kolom', 'field'],
  nilai: ['value', 'isian'],
  bukti: ['evidence', 'berkas_bukti'],
  status: ['status_verifikasi'],
};

const SECTION_META = new Set(['meta']);
const SECTION_PROFILE = new Set(['profil', 'profile']);
const SECTION_INDICATORS = new Set(['indikator', 'indicator', 'indicators']);
const ITEM_NAME = new Set(['nama', 'name']);
const ITEM_STATUS = 'status';
const META_BY_KEY = new Map<string, MetaKey>([
  ...(Object.entries(META_KEY) as [MetaKey, string][]).map(([key, label]): [string, MetaKey] => [label, key]),
  ['methodology', 'methodology'],
  ['methodologyhash', 'hash'],
  ['region', 'region'],
  ['period', 'period'],
]);

/**
 * Reads the long CSV layout into a Draft. A repeated (section, item, code) is a duplicate row; a
 * section that is neither meta, profil, indikator nor a group is reported once per section.
 */
export function draftFromCsv(
  table: Table,
  methodology: LoadedMethodology,
): { draft: Draft; problems: Problem[] } {
  const problems: Problem[] = [];
  const draft = emptyDraft();
  const head = findHeader(table, aliasMap([...CSV_COLUMNS], ALIASES), 'bagian', 1);
  const missing = ['bagian', 'kode', 'nilai'].filter((k) => !head?.columns.has(k));
  if (!head || missing.length > 0) {
    problems.push(
      report(
        'MISSING_COLUMN',
        'error',
        { row: 1 },
        `baris pertama harus berisi judul kolom ${CSV_COLUMNS.join(';')}; tidak ditemukan: ${missing.join(', ')}. Lihat contoh format CSV pada petunjuk.`,
        `the first line must hold the headers ${CSV_COLUMNS.join(';')}; missing: ${missing.join(', ')}. See the CSV layout in the instructions.`,
      ),
    );
    return { draft, problems };
  }
  const col = (key: string) => head.columns.get(key);
  const cell = (cells: (RawCell | undefined)[], key: string) => {
    const c = col(key);
    return c === undefined ? undefined : cells[c];
  };
  const groupBySection = new Map<string, GroupDefinition>();
  for (const g of methodology.groups) {
    groupBySection.set(g.id.toLowerCase(), g);
    groupBySection.set(groupSheetName(g).toLowerCase(), g);
  }
  const seen = new Map<string, number>();
  const itemIndex = new Map<string, DraftItem>();
  const unknownSections = new Set<string>();

  for (const row of table.rows.slice(head.index + 1)) {
    if (isBlankRow(row)) continue;
    const section = cellText(cell(row.cells, 'bagian')).trim().toLowerCase();
    const itemId = cellText(cell(row.cells, 'item')).trim();
    const code = cellText(cell(row.cells, 'kode')).trim();
    const value = cell(row.cells, 'nilai');
    const evidence = cell(row.cells, 'bukti');
    const status = cell(row.cells, 'status');
    if (!section || !code) {
      problems.push(
        report(
          'ROW_INCOMPLETE',
          'error',
          { row: row.line },
          'kolom "bagian" dan "kode" wajib diisi di setiap baris. Lengkapi atau hapus baris ini.',
          'columns "bagian" (section) and "kode" (code) are required on every line. Complete or remove this line.',
        ),
      );
      continue;
    }
    const group = groupBySection.get(section);
    const known =
      group || SECTION_META.has(section) || SECTION_PROFILE.has(section) || SECTION_INDICATORS.has(section);
    if (!known) {
      if (!unknownSections.has(section))
        problems.push(
          report(
            'UNKNOWN_SECTION',
            'error',
            { row: row.line },
            `bagian "${section}" tidak dikenal. Pakai meta, profil, indikator${methodology.groups.map((g) => `, ${g.id}`).join('')}.`,
            `section "${section}" is unknown. Use meta, profil, indikator${methodology.groups.map((g) => `, ${g.id}`).join('')}.`,
          ),
        );
      unknownSections.add(section);
      continue;
    }
    const canonicalSection =
      group?.id ??
      (SECTION_META.has(section) ? 'meta' : SECTION_PROFILE.has(section) ? 'profil' : 'indikator');
    const identity = `${canonicalSection}\u0000${group ? itemId.toLowerCase() : ''}\u0000${code.toLowerCase()}`;
    const first = seen.get(identity);
    if (first !== undefined) {
      problems.push(
        report(
          'DUPLICATE_ROW',
          'error',
          { row: row.line },
          `isian ${section}${itemId ? ` ${itemId}` : ''} "${code}" sudah ada di baris ${first}; baris ini diabaikan. Hapus salah satu baris.`,
          `${section}${itemId ? ` ${itemId}` : ''} "${code}" already appears on line ${first}; this line is ignored. Remove one of the lines.`,
        ),
      );
      continue;
    }
    seen.set(identity, row.line);
    const valueCol = col('nilai');
    const location = { row: row.line, column: valueCol === undefined ? undefined : columnLetter(valueCol) };

    if (SECTION_META.has(section)) {
      const key = META_BY_KEY.get(code.toLowerCase());
      if (key && value) draft.meta.set(key, value);
      else if (!key)
        problems.push(
          report(
            'UNKNOWN_CODE',
            'warning',
            { row: row.line },
            `kunci meta "${code}" tidak dikenal dan diabaikan (dikenal: metodologi, hash, periode, wilayah).`,
            `meta key "${code}" is unknown and ignored (known: metodologi, hash, periode, wilayah).`,
          ),
        );
      continue;
    }
    if (SECTION_PROFILE.has(section)) {
      draft.profileRows.set(code, { row: row.line, column: location.column });
      if (value) draft.profile.set(code, value);
      continue;
    }
    if (SECTION_INDICATORS.has(section)) {
      draft.indicators.push(answer(code, location, value, evidence, status));
      continue;
    }
    if (!group) continue;
    if (!itemId) {
      problems.push(
        report(
          'ITEM_ID_MISSING',
          'error',
          { row: row.line },
          `baris ${group.itemLabel.id} tanpa ID di kolom "item". Isi ID ${group.itemLabel.id}, mis. INV-1.`,
          `a ${group.itemLabel.en} line without an ID in column "item". Fill in the ${group.itemLabel.en} ID, e.g. INV-1.`,
        ),
      );
      continue;
    }
    const key = `${group.id}\u0000${itemId.toLowerCase()}`;
    let item = itemIndex.get(key);
    if (!item) {
      const idCell = cell(row.cells, 'item');
      item = { at: { row: row.line }, fields: new Map(), answers: [], ...(idCell ? { id: idCell } : {}) };
      itemIndex.set(key, item);
      const items = draft.groups.get(group.id) ?? [];
      items.push(item);
      draft.groups.set(group.id, items);
    }
    const lower = code.toLowerCase();
    const isField = group.fields.some((f) => f.key === code);
    if (ITEM_NAME.has(lower) || lower === ITEM_STATUS || isField) {
      if (evidence)
        problems.push(
          report(
            'EVIDENCE_IGNORED',
            'warning',
            { row: row.line },
            `kolom "bukti" hanya berlaku untuk baris indikator; di baris "${code}" diabaikan.`,
            `column "bukti" only applies to indicator lines; it is ignored on the "${code}" line.`,
          ),
        );
      if (!value) continue;
      if (ITEM_NAME.has(lower)) item.name = value;
      else if (lower === ITEM_STATUS) item.status = value;
      else item.fields.set(code, value);
      continue;
    }
    item.answers.push(answer(code, location, value, evidence, status));
  }
  return { draft, problems };
}

function answer(
  code: string,
  at: DraftAnswer['at'],
  input: RawCell | undefined,
  evidence: RawCell | undefined,
  status: RawCell | undefined,
): DraftAnswer {
  return {
    code,
    at,
    ...(input ? { input } : {}),
    ...(evidence ? { evidence } : {}),
    ...(status ? { status } : {}),
  };
}
