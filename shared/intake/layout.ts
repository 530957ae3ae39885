import type { GroupDefinition } from '#domain/methodology/schema';

/**
 * The template's fixed vocabulary, shared by the generator and the parsers so that a template
 * always parses back. Parsers find columns by these keys (a hidden key row), never by position.
 */

export const TEMPLATE_FORMAT = 'indeks-template/1';

export const SHEET = {
  instructions: 'Petunjuk',
  profile: 'Profil',
  indicators: 'Indikator',
  respondents: 'Responden',
  meta: '_meta',
} as const;

export const LABEL_ROW = 1;
export const KEY_ROW = 2;
export const FIRST_DATA_ROW = 3;

export const META_KEY = {
  format: 'format',
  kind: 'jenis',
  methodology: 'metodologi',
  hash: 'hash',
  period: 'periode',
  region: 'wilayah',
  regionName: 'nama_wilayah',
} as const;
export type MetaKey = keyof typeof META_KEY;

export const PROFILE_KEY = {
  field: 'kolom',
  hint: 'keterangan',
  choices: 'pilihan',
  value: 'isian',
} as const;

export const REGION_KEY = {
  code: 'kode',
  name: 'indikator',
  mandatory: 'wajib',
  evidenceRequired: 'bukti_wajib',
  kind: 'jenis_isian',
  input: 'isian',
  evidence: 'bukti',
  status: 'status',
} as const;
export const levelKey = (level: number): string => `level_${level}`;

export const ITEM_KEY = { id: 'id', name: 'nama', status: 'status' } as const;
export const answerKey = (code: string): string => `ind:${code}`;
export const evidenceKey = (code: string): string => `bukti:${code}`;

export const SURVEY_KEY = { respondent: 'responden', role: 'peran' } as const;

/** Verification status as operators write it; English accepted too. */
export const STATUS_WORDS: Record<string, 'accepted' | 'rejected'> = {
  diterima: 'accepted',
  accepted: 'accepted',
  terima: 'accepted',
  ditolak: 'rejected',
  rejected: 'rejected',
  tolak: 'rejected',
};
export const STATUS_CHOICES = ['diterima', 'ditolak'] as const;

const RESERVED = new Set(Object.values(SHEET).map((s) => s.toLowerCase()));

/** Excel sheet names: at most 31 characters, none of []:*?/\ and unique. */
export function groupSheetName(group: GroupDefinition): string {
  const cleaned = group.name.id
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const name = (cleaned || group.id).slice(0, 31);
  return RESERVED.has(name.toLowerCase()) ? `${name.slice(0, 24)} (${group.id})`.slice(0, 31) : name;
}

/** Sheet and key comparisons ignore case and surrounding spaces: operators retype headers. */
export const sameKey = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
