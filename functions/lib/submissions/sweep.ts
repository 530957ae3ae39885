import { parseUploadKey } from '#adapters/bucket-layout';
import type { Repositories, SubmissionRecord, SubmissionStatus } from '#adapters/dynamo/index';
import { SUBMISSION_STATUSES } from '#adapters/dynamo/types';
import {
  MAX_PIPELINE_ATTEMPTS,
  type PipelineStart,
  type SfnSender,
  startPipeline,
} from '#adapters/executions';
import type { ObjectInfo } from '#adapters/object-store';
import type { ExecutionInput } from './contract';

/** Statuses a submission passes through while its pipeline runs; anything else is terminal. */
export const IN_FLIGHT: readonly SubmissionStatus[] = ['UPLOADED', 'VALIDATING', 'ACCEPTED'];

/** A submission in flight longer than this (no status change) is stuck; the pipeline takes seconds. */
export const DEFAULT_STUCK_AFTER_MINUTES = 15;

export interface SweepDeps {
  repos: Pick<Repositories, 'submissions'>;
  sfn: SfnSender;
  stateMachineArn: string;
  uploads: {
    bucket: string;
    list(prefix: string): AsyncIterable<ObjectInfo>;
    head(key: string): Promise<ObjectInfo>;
  };
  /** ingest-upload's own logic, given the Object Created event S3 would have sent. */
  ingest: (event: unknown) => Promise<unknown>;
  now: () => Date;
}

export interface SweepOptions {
  /** Minutes without a status change after which an in-flight submission is driven again. */
  stuckAfterMinutes?: number;
}

export interface SweptSubmission {
  kode: string;
  submissionId: string;
  status: SubmissionStatus;
  /** `redriven`: a new execution (distinct name) started; `running`: its execution still runs; `failed`: attempts exhausted, now FAILED. */
  outcome: 'redriven' | 'running' | 'failed' | 'settled';
}

export interface SweepReport {
  cycleId: string;
  stuckAfterMinutes: number;
  submissions: SweptSubmission[];
  /** Data objects under `submissions/` that had no submission record: ingested now. */
  unrecorded: { key: string; kode: string }[];
}

const inputOf = (s: SubmissionRecord): ExecutionInput => ({
  cycleId: s.cycleId,
  kode: s.kode,
  submissionId: s.submissionId,
  bucket: s.object.bucket,
  key: s.object.key,
  ...(s.object.versionId ? { versionId: s.object.versionId } : {}),
});

const OUTCOME: Record<PipelineStart, SweptSubmission['outcome']> = {
  started: 'redriven',
  'already-started': 'running',
  exhausted: 'failed',
};

/**
 * Drives every submission of the cycle that a crash left behind to a terminal status: one in
 * flight (UPLOADED, VALIDATING, ACCEPTED) with no status change for `stuckAfterMinutes` gets a new
 * execution under the next free attempt name unless its execution still runs (the pipeline's
 * tasks are replay-safe: a recorded validation is returned, scoring continues), and after
 * MAX_PIPELINE_ATTEMPTS closed executions it is marked FAILED with the reason. A data object under
 * `submissions/{cycleId}/` without a submission (its event was lost) is ingested as S3 would have
 * announced it. Idempotent: a second sweep finds nothing new to do, two sweeps derive the same names.
 */
export async function sweepCycle(
  cycleId: string,
  deps: SweepDeps,
  options: SweepOptions = {},
): Promise<SweepReport> {
  const stuckAfterMinutes = options.stuckAfterMinutes ?? DEFAULT_STUCK_AFTER_MINUTES;
  const cutoff = deps.now().getTime() - stuckAfterMinutes * 60_000;
  const report: SweepReport = { cycleId, stuckAfterMinutes, submissions: [], unrecorded: [] };

  // Every submission of the cycle, one paged query per status partition (a handful of requests,
  // not one per region: the sweep covers every cycle past DRAFT every 15 minutes). Read before the
  // objects are ingested: one ingested now is UPLOADED with a fresh execution, not stuck.
  const byStatus = new Map<SubmissionStatus, SubmissionRecord[]>();
  for (const status of SUBMISSION_STATUSES) byStatus.set(status, await allInStatus(cycleId, status, deps));
  const recorded = new Set([...byStatus.values()].flat().map((s) => s.object.key));
  report.unrecorded = await ingestUnrecorded(cycleId, recorded, deps);

  for (const status of IN_FLIGHT) {
    for (const submission of byStatus.get(status) ?? []) {
      if (Date.parse(submission.updatedAt) > cutoff) continue;
      const current = await deps.repos.submissions.get(submission);
      // Listed by an index but missing itself (a store killed between the writes of one item):
      // recorded again from its object with the same upload time, so the item has the index
      // keys of the entries left behind and replaces them.
      if (!current) {
        await ingestObject(submission.object.key, deps, submission.uploadedAt);
        report.unrecorded.push({ key: submission.object.key, kode: submission.kode });
        continue;
      }
      // A stale index entry of a submission that moved on meanwhile.
      if (!IN_FLIGHT.includes(current.status) || Date.parse(current.updatedAt) > cutoff) continue;
      report.submissions.push(await drive(current, deps, stuckAfterMinutes));
    }
  }
  return report;
}

async function drive(
  submission: SubmissionRecord,
  deps: SweepDeps,
  stuckAfterMinutes: number,
): Promise<SweptSubmission> {
  const base = { kode: submission.kode, submissionId: submission.submissionId, status: submission.status };
  const started = await startPipeline(deps.sfn, deps.stateMachineArn, inputOf(submission));
  if (started !== 'exhausted') return { ...base, outcome: OUTCOME[started] };
  const reason = `Pemrosesan tidak selesai setelah ${MAX_PIPELINE_ATTEMPTS} percobaan; unggah ulang berkas. | Processing did not finish after ${MAX_PIPELINE_ATTEMPTS} attempts; upload the file again.`;
  const moved = await deps.repos.submissions.transition(submission, 'FAILED', {
    reason,
    patch: {
      failure: {
        reason,
        error: 'PipelineAttemptsExhausted',
        cause: `in ${submission.status} for over ${stuckAfterMinutes} minutes, every execution closed`,
      },
    },
  });
  // Settled meanwhile (its last execution finished after all): nothing to do.
  return {
    ...base,
    outcome: moved.outcome === 'applied' || moved.outcome === 'unchanged' ? 'failed' : 'settled',
  };
}

async function allInStatus(
  cycleId: string,
  status: SubmissionStatus,
  deps: SweepDeps,
): Promise<SubmissionRecord[]> {
  const found: SubmissionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.repos.submissions.listByStatus(cycleId, status, {
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return found;
}

/** Data objects under `submissions/{cycleId}/` whose key no submission records: ingested now. */
async function ingestUnrecorded(
  cycleId: string,
  recorded: ReadonlySet<string>,
  deps: SweepDeps,
): Promise<{ key: string; kode: string }[]> {
  const data: { key: string; kode: string }[] = [];
  for await (const object of deps.uploads.list(`submissions/${cycleId}/`)) {
    const parsed = parseUploadKey(object.key);
    if (!parsed.ok || parsed.upload.kind !== 'data' || parsed.upload.cycleId !== cycleId) continue;
    data.push({ key: object.key, kode: parsed.upload.kode });
  }
  const ingested: { key: string; kode: string }[] = [];
  for (const object of data) {
    if (recorded.has(object.key)) continue;
    await ingestObject(object.key, deps);
    ingested.push(object);
  }
  return ingested;
}

async function ingestObject(key: string, deps: SweepDeps, uploadedAt?: string): Promise<void> {
  const object = await deps.uploads.head(key);
  const time = uploadedAt ? new Date(uploadedAt) : (object.lastModified ?? deps.now());
  await deps.ingest(objectCreated(deps.uploads.bucket, object, time));
}

/** The EventBridge event S3 sends for `object` (time = when it landed, as S3 would have said). */
function objectCreated(bucket: string, object: ObjectInfo, time: Date) {
  return {
    version: '0',
    source: 'aws.s3',
    'detail-type': 'Object Created',
    time: time.toISOString(),
    detail: {
      bucket: { name: bucket },
      object: {
        key: object.key,
        size: object.size,
        ...(object.etag ? { etag: object.etag } : {}),
        ...(object.versionId ? { 'version-id': object.versionId } : {}),
      },
      reason: 'PutObject',
    },
  };
}
