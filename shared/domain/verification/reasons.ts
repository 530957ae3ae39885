/**
 * Why an assessor did not accept an answer: a closed catalogue, so reports can group by reason
 * and operators read the same words everywhere (Bahasa Indonesia first, English second).
 */
export const REASON_CODES = [
  'EVIDENCE_MISSING',
  'EVIDENCE_NOT_SUPPORTING',
  'EVIDENCE_OUTDATED',
  'EVIDENCE_UNREADABLE',
  'DUPLICATE_INNOVATION',
  'INNOVATION_TOO_OLD',
  'OTHER',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface ReasonText {
  id: string;
  en: string;
  /** Only meaningful for an innovation or one of its answers. */
  innovationOnly: boolean;
  /** The note must say what "other" means. */
  noteRequired: boolean;
}

export const REASONS: Readonly<Record<ReasonCode, ReasonText>> = {
  EVIDENCE_MISSING: {
    id: 'Dokumen bukti tidak ada',
    en: 'Evidence missing',
    innovationOnly: false,
    noteRequired: false,
  },
  EVIDENCE_NOT_SUPPORTING: {
    id: 'Dokumen bukti tidak mendukung level yang dipilih',
    en: 'Evidence does not support the chosen level',
    innovationOnly: false,
    noteRequired: false,
  },
  EVIDENCE_OUTDATED: {
    id: 'Dokumen bukti kedaluwarsa',
    en: 'Evidence out of date',
    innovationOnly: false,
    noteRequired: false,
  },
  EVIDENCE_UNREADABLE: {
    id: 'Dokumen bukti tidak terbaca',
    en: 'Evidence unreadable',
    innovationOnly: false,
    noteRequired: false,
  },
  DUPLICATE_INNOVATION: {
    id: 'Inovasi ganda (sudah dilaporkan)',
    en: 'Duplicate innovation (already reported)',
    innovationOnly: true,
    noteRequired: false,
  },
  INNOVATION_TOO_OLD: {
    id: 'Inovasi berusia lebih dari dua tahun',
    en: 'Innovation older than two years',
    innovationOnly: true,
    noteRequired: false,
  },
  OTHER: { id: 'Alasan lain', en: 'Other reason', innovationOnly: false, noteRequired: true },
};

export const isReasonCode = (value: string): value is ReasonCode =>
  (REASON_CODES as readonly string[]).includes(value);
