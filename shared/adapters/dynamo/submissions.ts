import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { guardedUpdate, putIfAbsent, statusEntry } from './guarded';
import { keys, provinceOf, utc } from './keys';
import { decodeCursor, pageSize, toPage } from './pagination';
import { fromItem, nowIso, type TableContext } from './records';
import { RegionStatusRepository } from './region-status';
import { GSI1, GSI2 } from './table-definition';
import type {
  EvidenceNotAdmittedRecord,
  NotAdmittedUpload,
  Page,
  PageRequest,
  S3ObjectRef,
  SubmissionAdmission,
  SubmissionPatch,
  SubmissionRecord,
  SubmissionStatus,
} from './types';

/**
 * Allowed predecessors of each status. UPLOADED → VALIDATING → REJECTED | ACCEPTED → SCORED,
 * and FAILED from any non-final status. REJECTED, SCORED and FAILED are final; NOT_GRANTED and
 * LATE are initial and final (an upload not admitted at ingestion).
 */
export const SUBMISSION_PREDECESSORS: Record<SubmissionStatus, readonly SubmissionStatus[]> = {
  UPLOADED: [],
  VALIDATING: ['UPLOADED'],
  REJECTED: ['VALIDATING'],
  ACCEPTED: ['VALIDATING'],
  SCORED: ['ACCEPTED'],
  FAILED: ['UPLOADED', 'VALIDATING', 'ACCEPTED'],
  // Decided at ingestion, once: created with this status and never moved (never scored).
  NOT_GRANTED: [],
  LATE: [],
};

/**
 * Deterministic id of the submission an S3 object version creates: the same object event delivered
 * twice yields the same id (and the same Step Functions execution name: `[A-Za-z0-9-]`, 34 chars).
 * Uses the version id (the bucket is versioned), else the ETag.
 */
export function submissionIdFor(object: S3ObjectRef): string {
  const version = object.versionId ?? `etag:${object.etag ?? ''}`;
  const digest = createHash('sha256').update(`${object.bucket}\n${object.key}\n${version}`).digest('hex');
  return `s-${digest.slice(0, 32)}`;
}

export interface NewSubmission {
  cycleId: string;
  kode: string;
  object: S3ObjectRef;
  /** Object creation instant (S3 event time). */
  uploadedAt: string;
  uploadedBy?: string;
  fileName?: string;
  contentType?: string;
  executionName?: string;
  /** Defaults to `submissionIdFor(object)`. */
  submissionId?: string;
  /** Defaults to the clock. */
  at?: string;
  /** An upload not admitted at ingestion is created NOT_GRANTED or LATE (kept, never scored). */
  status?: 'UPLOADED' | 'NOT_GRANTED' | 'LATE';
  admission?: SubmissionAdmission;
}

export interface SubmissionRef {
  cycleId: string;
  kode: string;
  submissionId: string;
}

export interface TransitionOptions {
  at?: string;
  by?: string;
  reason?: string;
  patch?: SubmissionPatch;
}

export type SubmissionTransition =
  /** The status changed now. */
  | { outcome: 'applied'; submission: SubmissionRecord }
  /** It already had the target status (a retry): nothing changed. */
  | { outcome: 'unchanged'; submission: SubmissionRecord }
  /** Its current status does not allow the move (out-of-order or final): nothing changed. */
  | { outcome: 'rejected'; submission: SubmissionRecord }
  | { outcome: 'not-found' };

export class SubmissionRepository {
  private readonly regions: RegionStatusRepository;

  constructor(private readonly ctx: TableContext) {
    this.regions = new RegionStatusRepository(ctx);
  }

  /**
   * Records an upload once. The same object event twice yields one submission: the second call
   * returns the existing record with `created: false`.
   */
  async createFromUpload(input: NewSubmission): Promise<{ created: boolean; submission: SubmissionRecord }> {
    const at = input.at ?? nowIso(this.ctx);
    const submissionId = input.submissionId ?? submissionIdFor(input.object);
    const uploadedAt = utc(input.uploadedAt);
    const status = input.status ?? 'UPLOADED';
    const record: SubmissionRecord = {
      cycleId: input.cycleId,
      kode: input.kode,
      provinsi: provinceOf(input.kode),
      submissionId,
      status,
      history: [
        {
          status,
          at,
          ...(input.uploadedBy ? { by: input.uploadedBy } : {}),
          ...(input.admission ? { reason: input.admission.reason_en } : {}),
        },
      ],
      object: input.object,
      uploadedAt,
      uploadedBy: input.uploadedBy,
      fileName: input.fileName,
      contentType: input.contentType,
      executionName: input.executionName,
      ...(input.admission ? { admission: input.admission } : {}),
      createdAt: at,
      updatedAt: at,
    };
    const key = keys.submission(input.cycleId, input.kode, submissionId);
    const created = await putIfAbsent(this.ctx, {
      ...key,
      ...keys.submissionByStatus(input.cycleId, status, uploadedAt, input.kode, submissionId),
      ...keys.submissionByUploadTime(input.cycleId, input.kode, uploadedAt, submissionId),
      entity: 'SUBMISSION',
      ...record,
    });
    const submission = created ? record : await this.get({ ...input, submissionId });
    if (!submission) throw new Error(`submission ${submissionId} vanished after a conditional put`);
    // Idempotent ordering: the submission first, then the pointer (safe to replay).
    await this.regions.recordSubmission(submission);
    return { created, submission };
  }

  async get(ref: SubmissionRef): Promise<SubmissionRecord | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({
        TableName: this.ctx.tableName,
        Key: keys.submission(ref.cycleId, ref.kode, ref.submissionId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem<SubmissionRecord>(out.Item) : undefined;
  }

  /**
   * Moves a submission to `to` only from an allowed predecessor (one conditional update, with the
   * history entry appended atomically). Replays report `unchanged`, stale moves `rejected`.
   */
  async transition(
    ref: SubmissionRef,
    to: SubmissionStatus,
    options: TransitionOptions = {},
  ): Promise<SubmissionTransition> {
    const from = SUBMISSION_PREDECESSORS[to];
    const at = options.at ?? nowIso(this.ctx);
    const names: Record<string, string> = { '#history': 'history' };
    const values: Record<string, unknown> = {
      ':to': to,
      ':at': at,
      ':entry': [statusEntry(to, at, options)],
      ':gsi1pk': keys.submissionStatusPartition(ref.cycleId, to),
    };
    const sets = [
      '#status = :to',
      'updatedAt = :at',
      '#history = list_append(#history, :entry)',
      `${GSI1.partitionKey} = :gsi1pk`,
    ];
    for (const [field, value] of Object.entries(options.patch ?? {})) {
      if (value === undefined) continue;
      names[`#p_${field}`] = field;
      values[`:p_${field}`] = value;
      sets.push(`#p_${field} = :p_${field}`);
    }
    const item = await guardedUpdate(this.ctx, {
      key: keys.submission(ref.cycleId, ref.kode, ref.submissionId),
      from,
      update: `SET ${sets.join(', ')}`,
      names,
      values,
    });
    if (!item) return this.afterRefusal(ref, to);
    const submission = fromItem<SubmissionRecord>(item);
    await this.regions.recordSubmission(submission);
    return { outcome: 'applied', submission };
  }

  private async afterRefusal(ref: SubmissionRef, to: SubmissionStatus): Promise<SubmissionTransition> {
    const submission = await this.get(ref);
    if (!submission) return { outcome: 'not-found' };
    if (submission.status !== to) return { outcome: 'rejected', submission };
    // A replay: make sure the pointer step of the first attempt happened too.
    await this.regions.recordSubmission(submission);
    return { outcome: 'unchanged', submission };
  }

  /** A region's submissions in a cycle, newest upload first. */
  async listForRegion(cycleId: string, kode: string, request?: PageRequest): Promise<Page<SubmissionRecord>> {
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: GSI2.indexName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': GSI2.partitionKey, '#sk': GSI2.sortKey },
        ExpressionAttributeValues: { ':pk': keys.regionPartition(cycleId, kode), ':prefix': 'SUBAT#' },
        ScanIndexForward: false,
        Limit: pageSize(request),
        ExclusiveStartKey: decodeCursor(request?.cursor, {
          index: GSI2,
          partition: keys.regionPartition(cycleId, kode),
          sortPrefix: 'SUBAT#',
        }),
      }),
    );
    return toPage(
      (out.Items ?? []).map((item) => fromItem<SubmissionRecord>(item)),
      out.LastEvaluatedKey,
    );
  }

  /**
   * A cycle's uploads not admitted at ingestion with `status` (NOT_GRANTED or LATE), data files and
   * evidence files together, oldest upload first: both sit in the cycle's status partition of GSI1.
   */
  async listNotAdmitted(
    cycleId: string,
    status: 'NOT_GRANTED' | 'LATE',
    request?: PageRequest,
  ): Promise<Page<NotAdmittedUpload>> {
    const out = await this.statusPage(cycleId, status, request);
    const items = (out.Items ?? []).map(
      (item): NotAdmittedUpload =>
        item.entity === 'EVIDENCE_NOT_ADMITTED'
          ? { kind: 'evidence', evidence: fromItem<EvidenceNotAdmittedRecord>(item) }
          : { kind: 'data', submission: fromItem<SubmissionRecord>(item) },
    );
    return toPage(items, out.LastEvaluatedKey);
  }

  /** A cycle's submissions currently in `status`, oldest upload first (e.g. stuck VALIDATING). */
  async listByStatus(
    cycleId: string,
    status: SubmissionStatus,
    request?: PageRequest,
  ): Promise<Page<SubmissionRecord>> {
    const out = await this.statusPage(cycleId, status, request);
    return toPage(
      (out.Items ?? []).map((item) => fromItem<SubmissionRecord>(item)),
      out.LastEvaluatedKey,
    );
  }

  /** One page of the cycle's status partition of GSI1 (submissions, and evidence not admitted). */
  private statusPage(cycleId: string, status: string, request?: PageRequest) {
    const partition = keys.submissionStatusPartition(cycleId, status);
    return this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
        Limit: pageSize(request),
        ExclusiveStartKey: decodeCursor(request?.cursor, { index: GSI1, partition }),
      }),
    );
  }
}
