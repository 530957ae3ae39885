import type { CYCLE_TIME_ZONE } from '#domain/cycle';
/**
 * Records stored in the single table. Timestamps are ISO 8601 strings; instants that are compared
 * or sorted (upload time, transition due time, run start) are stored in UTC (`...Z`) so that string
 * order is time order. Calendar dates keep the `+07:00` (WIB) offset they were decided in.
 */

export interface MethodologyRef {
  /** Methodology id, e.g. `iid-2025`. */
  id: string;
  /** `sha256:<hex>` of the normalized methodology (see shared/domain/methodology/load.ts). */
  hash: string;
}

export interface StatusChange<S extends string> {
  status: S;
  at: string;
  by?: string;
  reason?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

// --- cycles -------------------------------------------------------------------------------------

export const CYCLE_STATUSES = ['DRAFT', 'OPEN', 'CLOSED', 'ASSESSING', 'ASSESSED', 'PUBLISHED'] as const;
export type CycleStatus = (typeof CYCLE_STATUSES)[number];

export interface CalendarExtension {
  /** New deadline, ISO 8601 with offset, normally `...T23:59:00+07:00`. */
  until: string;
  reason: string;
  decidedBy?: string;
  decidedAt: string;
}

/** A cycle's calendar, decided in Asia/Jakarta time. Changing it is a data change, never a redeploy. */
export interface CycleCalendar {
  timeZone: typeof CYCLE_TIME_ZONE;
  opensAt: string;
  /** Original deadline (23:59 WIB). The effective deadline is the last extension's `until`, if any. */
  closesAt: string;
  extensions: CalendarExtension[];
  /** Late uploads accepted this many minutes after the effective deadline (declared grace). */
  graceMinutes?: number;
  nationalRunAt: string;
  publishAt?: string;
}

export interface CycleRecord {
  cycleId: string;
  /** IKKD, IID or IPKD. */
  index: string;
  period: number;
  name: string;
  status: CycleStatus;
  statusHistory: StatusChange<CycleStatus>[];
  calendar: CycleCalendar;
  methodology: MethodologyRef;
  /** Incremented on every write; calendar edits are guarded by it (optimistic locking). */
  version: number;
  /** UTC instant of the next calendar transition; absent when nothing is pending. */
  nextTransitionAt?: string;
  /** Run started by the latest national assessment transition, if any. */
  currentRunId?: string;
  /** Days each ledger export of the cycle stays locked (S3 Object Lock, governance); default 3650 (issue 13). */
  ledgerRetentionDays?: number;
  createdAt: string;
  updatedAt: string;
}

// --- submissions --------------------------------------------------------------------------------

export const SUBMISSION_STATUSES = [
  'UPLOADED',
  'VALIDATING',
  'REJECTED',
  'ACCEPTED',
  'SCORED',
  'FAILED',
  /** Kept but never scored: the object matches no upload grant (key, size) (issue 9 §3). */
  'NOT_GRANTED',
  /** Kept and visible but never scored: it arrived after the window's end (deadline + grace). */
  'LATE',
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export interface S3ObjectRef {
  bucket: string;
  key: string;
  versionId?: string;
  etag?: string;
  size?: number;
}

export interface SubmissionValidation {
  reportKey: string;
  errorCount: number;
  warningCount: number;
}

export interface SubmissionScore {
  scoreCardKey: string;
  total?: number;
  predikat?: string;
}

export interface SubmissionFailure {
  reason: string;
  error?: string;
  cause?: string;
}

export interface SubmissionRecord {
  cycleId: string;
  /** Kemendagri region code (string, `PP` or `PP.KK`). */
  kode: string;
  /** Province code (`PP`) the region belongs to. */
  provinsi: string;
  submissionId: string;
  status: SubmissionStatus;
  history: StatusChange<SubmissionStatus>[];
  object: S3ObjectRef;
  /** UTC instant the object was created (from the S3 event). */
  uploadedAt: string;
  uploadedBy?: string;
  fileName?: string;
  contentType?: string;
  executionName?: string;
  validation?: SubmissionValidation;
  score?: SubmissionScore;
  failure?: SubmissionFailure;
  /** Why an upload was not admitted (NOT_GRANTED, LATE), bilingual, with the grant it was judged by. */
  admission?: SubmissionAdmission;
  createdAt: string;
  updatedAt: string;
}

export interface SubmissionAdmission {
  reason_id: string;
  reason_en: string;
  /** The grant the object was judged against, when one exists for its upload id. */
  uploadId?: string;
  grantedAt?: string;
  grantExpiresAt?: string;
  windowEndsAt?: string;
}

/** What a status transition may record alongside the new status. */
export interface SubmissionPatch {
  executionName?: string;
  validation?: SubmissionValidation;
  score?: SubmissionScore;
  failure?: SubmissionFailure;
}

// --- upload grants ------------------------------------------------------------------------------

/** One presigned upload issued by request-upload: who, when, where, what size, until when. */
export interface UploadGrantRecord {
  cycleId: string;
  kode: string;
  uploadId: string;
  kind: 'data' | 'evidence';
  /** The exact object key the policy pins. */
  key: string;
  fileName: string;
  contentType: string;
  minBytes: number;
  maxBytes: number;
  /** The caller's subject (JWT `sub`). */
  grantedBy: string;
  grantedAt: string;
  /** Product-clock instant the policy expires; never after the window's end. */
  expiresAt: string;
  /** The window's end (effective deadline + declared grace) when the grant was issued. */
  windowEndsAt: string;
}

// --- evidence -----------------------------------------------------------------------------------

/** An evidence file (PDF, image) a region uploaded in a cycle; data files reference it by name. */
export interface EvidenceRecord {
  cycleId: string;
  kode: string;
  /** Storage-safe file name (the last segment of the object key). */
  fileName: string;
  uploadId: string;
  object: S3ObjectRef;
  /** UTC instant the object was created (from the S3 event). */
  uploadedAt: string;
  recordedAt: string;
}

// --- region status in a cycle (pointers) --------------------------------------------------------

export interface SubmissionPointer {
  submissionId: string;
  status: SubmissionStatus;
  uploadedAt: string;
  updatedAt: string;
}

/** One per region and cycle: its latest upload and its current (latest accepted) submission. */
export interface RegionCycleRecord {
  cycleId: string;
  kode: string;
  provinsi: string;
  latest?: SubmissionPointer;
  current?: SubmissionPointer;
}

// --- score cards --------------------------------------------------------------------------------

/** Provisional score card of one accepted submission; the full trace is in S3 (`traceKey`). */
export interface ScoreCardRecord {
  cycleId: string;
  kode: string;
  submissionId: string;
  methodology: MethodologyRef;
  total: number;
  maximum?: number;
  /** Score on the index scale (e.g. 0..100) when the methodology defines one. */
  indexValue?: number;
  predikat?: string;
  eligible: boolean;
  ineligibleReason?: string;
  /** Small per-component summary (dimension or aspect → points). */
  components?: Record<string, number>;
  /** S3 key of the full trace under `scorecards/`. */
  traceKey: string;
  computedAt: string;
}

// --- runs ---------------------------------------------------------------------------------------

export const RUN_STATUSES = ['RUNNING', 'PROVISIONAL', 'FINAL', 'FAILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunCounts {
  regions: number;
  scored: number;
  failed: number;
  ineligible: number;
  ranked: number;
}

export interface RunRecord {
  cycleId: string;
  /** The national state machine's execution name; a re-run is a new execution, hence a new id. */
  runId: string;
  status: RunStatus;
  history: StatusChange<RunStatus>[];
  methodology: MethodologyRef;
  trigger: string;
  /** UTC. */
  startedAt: string;
  manifestKey: string;
  regionCount: number;
  resultKey?: string;
  counts?: RunCounts;
  summary?: Record<string, unknown>;
  failure?: { error?: string; cause?: string };
  completedAt?: string;
  finalizedAt?: string;
  finalizedBy?: string;
  /** The cycle ledger's head (seq, hash) at the run's latest publication: PROVISIONAL, then FINAL (issue 13). */
  ledgerHead?: { seq: number; hash: string };
}

export interface RunResults {
  resultKey: string;
  counts: RunCounts;
  summary?: Record<string, unknown>;
}

// --- rankings and results -----------------------------------------------------------------------

/** One region's place in one cluster of one run. `rank` is absent for unranked (ineligible) regions. */
export interface RankingEntry {
  cycleId: string;
  runId: string;
  cluster: string;
  kode: string;
  nama?: string;
  provinsi: string;
  rank?: number;
  score?: number;
  predikat?: string;
  eligible: boolean;
  reason?: string;
}

/** One region's result in one run, with its rank in every cluster it belongs to. */
export interface RegionResultRecord {
  cycleId: string;
  runId: string;
  kode: string;
  nama?: string;
  provinsi: string;
  score?: number;
  predikat?: string;
  eligible: boolean;
  reason?: string;
  /** cluster → rank (absent when not ranked in that cluster). */
  ranks: Record<string, number>;
  clusters: string[];
  methodology: MethodologyRef;
  /** S3 key of the region's full trace under `runs/`. */
  traceKey?: string;
}

/** A region's result in a cycle, as last published (PROVISIONAL or FINAL run). */
export interface RegionHistoryEntry {
  kode: string;
  index: string;
  period: number;
  cycleId: string;
  runId: string;
  runStatus: 'PROVISIONAL' | 'FINAL';
  /** UTC start of the run; with the status it orders competing writes. */
  runStartedAt: string;
  score?: number;
  predikat?: string;
  eligible: boolean;
  ranks: Record<string, number>;
  methodology: MethodologyRef;
  recordedAt: string;
}

// --- idempotency --------------------------------------------------------------------------------

export interface IdempotencyRecord {
  scope: string;
  key: string;
  status: 'IN_PROGRESS' | 'COMPLETED';
  result?: Record<string, unknown>;
  /** Epoch seconds (TTL). */
  expiresAt: number;
  createdAt: string;
}
