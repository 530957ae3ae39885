import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './client';
import { putIfAbsent } from './guarded';
import { keys, utc } from './keys';
import { queryPrefix } from './query-all';
import { nowIso, type TableContext } from './records';
import type { EvidenceNotAdmittedRecord, EvidenceRecord, S3ObjectRef, SubmissionAdmission } from './types';

export interface NewEvidence {
  cycleId: string;
  kode: string;
  fileName: string;
  uploadId: string;
  object: S3ObjectRef;
  /** Object creation instant (S3 event time). */
  uploadedAt: string;
  /** Defaults to the clock. */
  at?: string;
}

/**
 * Evidence uploads of a region in a cycle (`CYCLE#{c}#REGION#{k}` / `EVID#{fileName}#{uploadId}`),
 * so validation can tell which referenced files exist without listing the bucket. One item per
 * object key; a newer version of the same key replaces an older one, a stale event changes nothing.
 */
export class EvidenceRepository {
  constructor(private readonly ctx: TableContext) {}

  /** Idempotent: the same object event twice (or an older version after a newer one) is `created: false`. */
  async record(input: NewEvidence): Promise<{ created: boolean }> {
    const evidence: EvidenceRecord = {
      cycleId: input.cycleId,
      kode: input.kode,
      fileName: input.fileName,
      uploadId: input.uploadId,
      object: input.object,
      uploadedAt: utc(input.uploadedAt),
      recordedAt: input.at ?? nowIso(this.ctx),
    };
    try {
      await this.ctx.doc.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: {
            ...keys.evidence(input.cycleId, input.kode, input.fileName, input.uploadId),
            entity: 'EVIDENCE',
            ...evidence,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR uploadedAt < :uploadedAt',
          ExpressionAttributeValues: { ':uploadedAt': evidence.uploadedAt },
        }),
      );
      return { created: true };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return { created: false };
      throw error;
    }
  }

  /**
   * Records an evidence object that matched no grant or came late (kept in S3, never counted as
   * evidence): listed with its reason among the cycle's not-admitted uploads. Idempotent per object
   * key: the same event twice is `created: false`.
   */
  async recordNotAdmitted(
    input: NewEvidence & {
      status: 'NOT_GRANTED' | 'LATE';
      admission: SubmissionAdmission;
      uploadedBy?: string;
    },
  ): Promise<{ created: boolean }> {
    const record: EvidenceNotAdmittedRecord = {
      cycleId: input.cycleId,
      kode: input.kode,
      fileName: input.fileName,
      uploadId: input.uploadId,
      status: input.status,
      object: input.object,
      uploadedAt: utc(input.uploadedAt),
      ...(input.uploadedBy ? { uploadedBy: input.uploadedBy } : {}),
      admission: input.admission,
      recordedAt: input.at ?? nowIso(this.ctx),
    };
    const created = await putIfAbsent(this.ctx, {
      ...keys.evidenceNotAdmitted(input.cycleId, input.kode, input.fileName, input.uploadId),
      ...keys.submissionByStatus(input.cycleId, input.status, record.uploadedAt, input.kode, input.uploadId),
      entity: 'EVIDENCE_NOT_ADMITTED',
      ...record,
    });
    return { created };
  }

  /** Every evidence file of a region in a cycle, in file-name order (all pages). */
  async listForRegion(cycleId: string, kode: string): Promise<EvidenceRecord[]> {
    return queryPrefix<EvidenceRecord>(this.ctx, keys.regionPartition(cycleId, kode), 'EVID#');
  }
}
