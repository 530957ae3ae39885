import type {
  EvidenceRecord,
  RegionCycleRecord,
  ScoreCardRecord,
  SubmissionPointer,
  SubmissionRecord,
} from '../../../shared/adapters/dynamo';
import { type CompletenessStatus, completenessOf } from '../../../shared/domain/completeness';
import type { Region } from '../../../shared/domain/regions';

/** What an operator sees of one submission in a list (no storage keys, no internals). */
export interface SubmissionView {
  submissionId: string;
  status: SubmissionRecord['status'];
  fileName?: string;
  uploadedAt: string;
  updatedAt: string;
  history: SubmissionRecord['history'];
  problemCounts?: { errors: number; warnings: number };
  score?: { indexValue?: number; predikat?: string };
  failure?: { reason: string };
  /** The region's latest upload / the accepted one that counts. */
  latest: boolean;
  current: boolean;
}

export function submissionView(s: SubmissionRecord, region: RegionCycleRecord | undefined): SubmissionView {
  return {
    submissionId: s.submissionId,
    status: s.status,
    ...(s.fileName ? { fileName: s.fileName } : {}),
    uploadedAt: s.uploadedAt,
    updatedAt: s.updatedAt,
    history: s.history,
    ...(s.validation
      ? { problemCounts: { errors: s.validation.errorCount, warnings: s.validation.warningCount } }
      : {}),
    ...(s.score ? { score: { indexValue: s.score.total, predikat: s.score.predikat } } : {}),
    ...(s.failure ? { failure: { reason: s.failure.reason } } : {}),
    latest: region?.latest?.submissionId === s.submissionId,
    current: region?.current?.submissionId === s.submissionId,
  };
}

export interface EvidenceView {
  fileName: string;
  uploadedAt: string;
}

/** One line per evidence name (the newest upload of it). */
export function evidenceView(records: readonly EvidenceRecord[]): EvidenceView[] {
  const newest = new Map<string, EvidenceView>();
  for (const r of records) {
    const seen = newest.get(r.fileName);
    if (!seen || seen.uploadedAt < r.uploadedAt)
      newest.set(r.fileName, { fileName: r.fileName, uploadedAt: r.uploadedAt });
  }
  return [...newest.values()];
}

/** The table's score card summary without its storage key. */
export function scoreCardView(card: ScoreCardRecord) {
  const { traceKey: _key, cycleId: _cycle, kode: _kode, submissionId: _id, ...summary } = card;
  return { ...summary, provisional: true };
}

export interface CompletenessRow {
  kode: string;
  nama: string;
  jenis: Region['jenis'];
  status: CompletenessStatus;
  latest?: Omit<SubmissionPointer, 'updatedAt'>;
  current?: Omit<SubmissionPointer, 'updatedAt'>;
}

const pointer = (p: SubmissionPointer | undefined) =>
  p ? { submissionId: p.submissionId, status: p.status, uploadedAt: p.uploadedAt } : undefined;

export function completenessRow(region: Region, record: RegionCycleRecord | undefined): CompletenessRow {
  const latest = pointer(record?.latest);
  const current = pointer(record?.current);
  return {
    kode: region.kode,
    nama: region.nama,
    jenis: region.jenis,
    status: completenessOf(record),
    ...(latest ? { latest } : {}),
    ...(current ? { current } : {}),
  };
}

export function countByStatus(rows: readonly CompletenessRow[]): Record<CompletenessStatus, number> {
  const counts: Record<CompletenessStatus, number> = {
    'not-submitted': 0,
    'in-progress': 0,
    rejected: 0,
    failed: 0,
    accepted: 0,
    scored: 0,
  };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}
