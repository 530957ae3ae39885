import type { GroupDefinition } from '#domain/methodology/schema';
import { knownCodeValues } from '#domain/spelling';
import type { GroupItem, Submission } from '#domain/submission';
import { path } from '../paths';
import { placeIndicators } from '../placement';
import { report } from '../report';
import { checkAnswerSet } from './answers';
import type { Checker } from './context';

/** Repeated groups (IID innovations): count, unique ids, required fields, age, and each item's answers. */
export function checkGroups(c: Checker, submission: Submission): void {
  const m = c.ctx.methodology;
  const placement = placeIndicators(m);
  for (const key of Object.keys(submission.groups))
    if (!m.groups.some((g) => g.id === key))
      c.sink.push(
        report(
          'UNKNOWN_GROUP',
          'error',
          c.at(`groups.${key}`),
          `kelompok "${key}" tidak ada dalam metodologi. Kelompok yang dikenal: ${m.groups.map((g) => g.id).join(', ') || '(tidak ada)'}.`,
          `group "${key}" is not in the methodology. Known groups: ${m.groups.map((g) => g.id).join(', ') || '(none)'}.`,
        ),
      );

  for (const group of m.groups) {
    const items = submission.groups[group.id] ?? [];
    if (items.length === 0)
      c.sink.push(
        report(
          'NO_ITEMS',
          'warning',
          c.at(`groups.${group.id}`),
          `belum ada ${group.itemLabel.id} yang dilaporkan; bagian "${group.name.id}" akan bernilai 0.`,
          `no ${group.itemLabel.en} reported yet; "${group.name.en}" will score 0.`,
        ),
      );
    if (items.length > group.maxItems)
      c.sink.push(
        report(
          'TOO_MANY_ITEMS',
          'error',
          c.at(`groups.${group.id}`),
          `${items.length} ${group.itemLabel.id} dilaporkan, melebihi batas ${group.maxItems}. Laporkan paling banyak ${group.maxItems}.`,
          `${items.length} ${group.itemLabel.en} reported, above the limit of ${group.maxItems}. Report at most ${group.maxItems}.`,
        ),
      );
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const itemPath = path.item(group.id, index);
      const key = item.id.trim().toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        const earlier = c.at(path.item(group.id, first));
        const where = earlier.row !== undefined ? `baris ${earlier.row}` : path.item(group.id, first);
        const whereEn = earlier.row !== undefined ? `row ${earlier.row}` : path.item(group.id, first);
        c.sink.push(
          report(
            'DUPLICATE_ITEM',
            'error',
            c.at(path.field(itemPath, 'id')),
            `ID ${group.itemLabel.id} "${item.id}" sudah dipakai (${where}). Setiap ${group.itemLabel.id} harus punya ID unik: ganti salah satunya atau hapus baris ganda.`,
            `${group.itemLabel.en} ID "${item.id}" is already used (${whereEn}). Every ${group.itemLabel.en} needs a unique ID: change one or remove the duplicate row.`,
          ),
        );
      } else seen.set(key, index);
      checkItem(c, group, item, itemPath, submission.period);
      checkAnswerSet(
        c,
        item.indicators,
        placement.groups.get(group.id) ?? [],
        itemPath,
        { id: `${group.itemLabel.id} "${item.id}"`, en: `${group.itemLabel.en} "${item.id}"` },
        group.id,
      );
    });
  }
}

function checkItem(
  c: Checker,
  group: GroupDefinition,
  item: GroupItem,
  itemPath: string,
  period: number,
): void {
  const who = { id: `${group.itemLabel.id} "${item.id}"`, en: `${group.itemLabel.en} "${item.id}"` };
  for (const field of group.fields) {
    const value = item.fields[field.key];
    const at = c.at(path.field(itemPath, field.key));
    if (value === undefined || value === '') {
      if (field.required)
        c.sink.push(
          report(
            'FIELD_REQUIRED',
            'error',
            at,
            `kolom "${field.label.id}" untuk ${who.id} wajib diisi.`,
            `column "${field.label.en}" is required for ${who.en}.`,
          ),
        );
      continue;
    }
    if (field.type === 'code') {
      checkCode(c, group, field.key, String(value), who, at);
      continue;
    }
    if (field.type !== 'year') continue;
    const year =
      typeof value === 'number' ? value : /^\d{4}$/.test(String(value)) ? Number(value) : Number.NaN;
    if (!Number.isInteger(year)) {
      c.sink.push(
        report(
          'FIELD_INVALID',
          'error',
          at,
          `"${String(value)}" bukan tahun untuk kolom "${field.label.id}" (${who.id}). Tulis empat angka, mis. ${period}.`,
          `"${String(value)}" is not a year for column "${field.label.en}" (${who.en}). Write four digits, e.g. ${period}.`,
        ),
      );
      continue;
    }
    if (field.maxAgeYears !== undefined && year < period - field.maxAgeYears)
      c.sink.push(
        report(
          'ITEM_TOO_OLD',
          'error',
          at,
          `${who.id} dimulai tahun ${year}; metodologi periode ${period} hanya menerima tahun ${period - field.maxAgeYears} atau sesudahnya (paling lama ${field.maxAgeYears} tahun). Periksa tahunnya atau jangan laporkan ${group.itemLabel.id} ini.`,
          `${who.en} started in ${year}; the ${period} methodology only accepts ${period - field.maxAgeYears} or later (at most ${field.maxAgeYears} years old). Check the year or do not report this ${group.itemLabel.en}.`,
        ),
      );
    else if (year > period)
      c.sink.push(
        report(
          'YEAR_IN_FUTURE',
          'warning',
          at,
          `${who.id} tercatat tahun ${year}, sesudah periode penilaian ${period}. Periksa tahunnya.`,
          `${who.en} is dated ${year}, after the assessed period ${period}. Check the year.`,
        ),
      );
  }
  const known = new Set(group.fields.map((f) => f.key));
  for (const key of Object.keys(item.fields))
    if (!known.has(key))
      c.sink.push(
        report(
          'FIELD_UNKNOWN',
          'warning',
          c.at(path.field(itemPath, key)),
          `kolom "${key}" tidak dikenal untuk ${who.id} dan diabaikan.`,
          `column "${key}" is unknown for ${who.en} and is ignored.`,
        ),
      );
}

/**
 * A code the count condition does not know (the basic-service affairs): legitimate (not every
 * affair is a basic service) but it never counts for coverage, so the operator is told, with the codes.
 */
function checkCode(
  c: Checker,
  group: GroupDefinition,
  key: string,
  value: string,
  who: { id: string; en: string },
  at: ReturnType<Checker['at']>,
): void {
  const known = knownCodeValues(c.ctx.methodology, group.id, key);
  if (known.length === 0 || known.includes(value)) return;
  const list = known.join(', ');
  c.sink.push(
    report(
      'CODE_NOT_BASIC_SERVICE',
      'warning',
      at,
      `${key} "${value}" pada ${who.id} bukan salah satu dari ${known.length} urusan pelayanan dasar (${list}), sehingga tidak dihitung untuk syarat cakupan pelayanan dasar. Periksa ejaannya bila ini salah ketik.`,
      `${key} "${value}" of ${who.en} is not one of the ${known.length} basic-service affairs (${list}), so it does not count for the basic-service coverage condition. Check its spelling if it is a typo.`,
    ),
  );
}
