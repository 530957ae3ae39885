import type { StoredDocument } from '#adapters/documents';
import type {
  CycleRecord,
  EvidenceRecord,
  NotAdmittedUpload,
  RegionCycleRecord,
  ScoreCardRecord,
  SubmissionPointer,
  SubmissionRecord,
} from '#adapters/dynamo/index';
import { type CompletenessStatus, completenessOf } from '#domain/completeness';
import type { Region } from '#domain/regions';
import type { ValidationReport } from './report';
import type { ScoreCardDocument } from './score-card';

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
  /** Why a NOT_GRANTED or LATE upload is kept but never scored (Bahasa Indonesia, English). */
  admission?: { reason_id: string; reason_en: string };
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
    ...(s.admission
      ? { admission: { reason_id: s.admission.reason_id, reason_en: s.admission.reason_en } }
      : {}),
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

/** Problems answered inline, at most; the whole report is then a presigned link. */
export const MAX_INLINE_PROBLEMS = 500;

/** A stored document is linked (presigned) instead of inlined when it is too large to answer. */
export function needsLink(doc: StoredDocument<ValidationReport | ScoreCardDocument> | undefined): boolean {
  if (!doc) return false;
  if (!doc.found) return doc.tooLarge;
  return 'problems' in doc.value && doc.value.problems.length > MAX_INLINE_PROBLEMS;
}

export interface DetailInput {
  submission: SubmissionRecord;
  pointers: RegionCycleRecord | undefined;
  cycle: CycleRecord;
  card: ScoreCardRecord | undefined;
  report: StoredDocument<ValidationReport> | undefined;
  trace: StoredDocument<ScoreCardDocument> | undefined;
  links: { reportUrl?: string; traceUrl?: string };
}

/**
 * One submission for its operator: status and history, the report's problems (both languages,
 * with locations), the provisional score card with its trace, and the methodology (id + hash)
 * that produced them.
 */
export function submissionDetail(d: DetailInput) {
  const report = d.report?.found ? d.report.value : undefined;
  return {
    ...submissionView(d.submission, d.pointers),
    methodology: report?.methodology ?? d.card?.methodology ?? d.cycle.methodology,
    ...(report
      ? {
          report: {
            format: report.format,
            validatedAt: report.validatedAt,
            counts: report.counts,
            problems: report.problems.slice(0, MAX_INLINE_PROBLEMS),
            ...(report.problems.length > MAX_INLINE_PROBLEMS ? { problemsTruncated: true } : {}),
          },
        }
      : {}),
    ...(d.links.reportUrl ? { reportUrl: d.links.reportUrl } : {}),
    ...(d.card
      ? {
          scoreCard: {
            ...scoreCardView(d.card),
            ...(d.trace?.found ? { trace: d.trace.value.card } : {}),
            ...(d.links.traceUrl ? { traceUrl: d.links.traceUrl } : {}),
          },
        }
      : {}),
  };
}

export interface CompletenessRow {
  kode: string;
  nama: string;
  jenis: Region['jenis'];
  status: CompletenessStatus;
  latest?: Omit<SubmissionPointer, 'updatedAt'>;
  current?: Omit<SubmissionPointer, 'updatedAt'>;
  /** The latest upload is still in flight well past the time the pipeline takes: the sweeper settles it. */
  stalled?: { since: string; id: string; en: string };
}

const IN_FLIGHT_STATUSES = new Set(['UPLOADED', 'VALIDATING', 'ACCEPTED']);
const STALLED_AFTER_MS = 15 * 60_000;

const pointer = (p: SubmissionPointer | undefined) =>
  p ? { submissionId: p.submissionId, status: p.status, uploadedAt: p.uploadedAt } : undefined;

export function completenessRow(
  region: Region,
  record: RegionCycleRecord | undefined,
  now: Date,
): CompletenessRow {
  const latest = pointer(record?.latest);
  const current = pointer(record?.current);
  const since = record?.latest?.updatedAt;
  const stalled =
    record?.latest &&
    since &&
    IN_FLIGHT_STATUSES.has(record.latest.status) &&
    now.getTime() - Date.parse(since) > STALLED_AFTER_MS;
  return {
    kode: region.kode,
    nama: region.nama,
    jenis: region.jenis,
    status: completenessOf(record),
    ...(latest ? { latest } : {}),
    ...(current ? { current } : {}),
    ...(stalled
      ? {
          stalled: {
            since,
            id: `Unggahan terakhir belum selesai diproses sejak ${since}; pemulihan otomatis (tiap 15 menit) menuntaskannya.`,
            en: `The latest upload has not finished processing since ${since}; the automatic recovery (every 15 minutes) settles it.`,
          },
        }
      : {}),
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

/** One line of the admins' list of uploads kept but not admitted (data or evidence), with its reason. */
export function notAdmittedView(upload: NotAdmittedUpload) {
  const record = upload.kind === 'data' ? upload.submission : upload.evidence;
  return {
    kind: upload.kind,
    kode: record.kode,
    ...(record.fileName ? { fileName: record.fileName } : {}),
    key: record.object.key,
    ...(record.object.size !== undefined ? { size: record.object.size } : {}),
    uploadedAt: record.uploadedAt,
    ...(record.uploadedBy ? { uploadedBy: record.uploadedBy } : {}),
    ...(upload.kind === 'data' ? { submissionId: upload.submission.submissionId } : {}),
    // A data file recorded before admissions carried their reason still says why in its history.
    admission: record.admission ?? {
      reason_id: 'Tidak diterima saat masuk.',
      reason_en: 'Not admitted at ingestion.',
    },
  };
}
