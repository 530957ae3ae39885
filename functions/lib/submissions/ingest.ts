import type { Logger } from '@aws-lambda-powertools/logger';
import { requiredEnv, sfnClient } from '#adapters/aws-clients';
import { parseUploadKey } from '#adapters/bucket-layout';
import { type Repositories, submissionIdFor } from '#adapters/dynamo/index';
import { type PipelineStart, type SfnSender, startPipeline } from '#adapters/executions';
import { logger, type OperatorMetrics, operatorMetrics } from '#adapters/observability';
import { windowEndsAt } from '#domain/cycle';
import { InternalError } from '#domain/errors';
import { admitObject } from '#domain/upload-grant';
import { ports, repositoriesFromEnv } from '../wiring';
import type { ExecutionInput } from './contract';
import { objectCreatedSchema } from './object-created';

export interface IngestDeps {
  repos: Pick<Repositories, 'cycles' | 'submissions' | 'evidence' | 'grants'>;
  sfn: SfnSender;
  stateMachineArn: string;
  bucket: string;
  log: Pick<Logger, 'info' | 'warn'>;
  metrics: Pick<OperatorMetrics, 'submission'>;
}

export type IngestResult =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'evidence'; created: boolean; key: string }
  /** New evidence of an objection (sanggah), granted in the sanggah window. */
  | { outcome: 'objection-evidence'; key: string }
  /** An evidence file that matches no grant or came late: kept in S3, recorded as not admitted (with its reason), never as evidence. */
  | { outcome: 'evidence-not-admitted'; status: 'NOT_GRANTED' | 'LATE'; key: string; created: boolean }
  | {
      outcome: 'submission';
      created: boolean;
      submissionId: string;
      status: string;
      pipeline?: PipelineStart;
    };

/**
 * EventBridge `Object Created` under `submissions/`. A data file becomes one submission (id derived
 * from bucket, key and version, so a duplicate event finds it) and one execution named after it;
 * an evidence file is recorded for its region and never validated. Foreign keys are ignored, logged.
 * Only what was granted counts: the object must match the grant of its upload id (exact key, size
 * in range) and have arrived (event time) before the window's end; otherwise the data file is kept
 * as a NOT_GRANTED or LATE submission (visible, never validated nor scored). The uploader is the
 * grant's holder.
 */
export function createIngestUpload(given: Partial<IngestDeps> = {}) {
  const deps = ports<IngestDeps>(given, {
    repos: repositoriesFromEnv,
    sfn: sfnClient,
    stateMachineArn: () => requiredEnv('SUBMISSION_STATE_MACHINE_ARN'),
    bucket: () => requiredEnv('UPLOAD_BUCKET'),
    log: logger,
    metrics: () => operatorMetrics,
  });

  return async (event: unknown): Promise<IngestResult> => {
    const parsed = objectCreatedSchema.safeParse(event);
    if (!parsed.success)
      throw new InternalError(
        'BadInput',
        `not an S3 Object Created event: ${parsed.error.issues[0]?.message}`,
      );
    const { repos, sfn, stateMachineArn, bucket, log, metrics } = deps();
    const { detail, time } = parsed.data;
    const object = {
      bucket: detail.bucket.name,
      key: detail.object.key,
      ...(detail.object['version-id'] ? { versionId: detail.object['version-id'] } : {}),
      ...(detail.object.etag ? { etag: detail.object.etag } : {}),
      ...(detail.object.size !== undefined ? { size: detail.object.size } : {}),
    };
    const ignore = (reason: string): IngestResult => {
      log.warn('object ignored', { reason, bucket: object.bucket, key: object.key.slice(0, 300) });
      return { outcome: 'ignored', reason };
    };
    if (object.bucket !== bucket) return ignore('not the upload bucket');
    const key = parseUploadKey(object.key);
    if (!key.ok) return ignore(key.reason);
    const { cycleId, kode, uploadId, fileName } = key.upload;
    const cycle = await repos.cycles.get(cycleId);
    if (!cycle) return ignore(`unknown cycle ${cycleId}`);
    const grant = await repos.grants.get(cycleId, kode, uploadId);
    const admission = admitObject({
      grant,
      key: object.key,
      size: object.size,
      arrivedAt: new Date(time),
      // An objection's evidence is granted in the sanggah window, which its grant records.
      windowEndsAt:
        key.upload.kind === 'objection' && grant
          ? Date.parse(grant.windowEndsAt)
          : windowEndsAt(cycle.calendar),
    });
    const uploadedBy = grant?.grantedBy;
    // What every data file's record starts from, admitted or not (the id derives from the object).
    // An evidence file as both evidence repositories record it (admitted or not).
    const evidenceUpload = () => ({ cycleId, kode, fileName, uploadId, object, uploadedAt: time });
    const dataUpload = () => ({
      cycleId,
      kode,
      object,
      uploadedAt: time,
      fileName,
      submissionId: submissionIdFor(object),
      ...(uploadedBy ? { uploadedBy } : {}),
    });
    if (!admission.admitted) {
      const detail = {
        reason_id: admission.reason_id,
        reason_en: admission.reason_en,
        ...(grant
          ? {
              uploadId,
              grantedAt: grant.grantedAt,
              grantExpiresAt: grant.expiresAt,
              windowEndsAt: grant.windowEndsAt,
            }
          : {}),
      };
      log.warn('upload not admitted', {
        cycleId,
        kode,
        key: object.key,
        status: admission.status,
        ...detail,
      });
      if (key.upload.kind !== 'data') {
        // Evidence or an objection's new evidence: recorded with its reason (listed for admins),
        // never as evidence a data file or an objection may cite.
        const { created } = await repos.evidence.recordNotAdmitted({
          ...evidenceUpload(),
          status: admission.status,
          admission: detail,
          ...(uploadedBy ? { uploadedBy } : {}),
        });
        return { outcome: 'evidence-not-admitted', status: admission.status, key: object.key, created };
      }
      const { created, submission } = await repos.submissions.createFromUpload({
        ...dataUpload(),
        status: admission.status,
        admission: detail,
      });
      // Counted once per upload: a duplicate event finds the record already there.
      if (created && admission.status === 'LATE') metrics.submission(cycleId, 'late');
      return {
        outcome: 'submission',
        created,
        submissionId: submission.submissionId,
        status: submission.status,
      };
    }

    if (key.upload.kind === 'objection') {
      // Kept where it landed; the objection that names its key is what assessors open.
      log.info('objection evidence admitted', { cycleId, kode, key: object.key });
      return { outcome: 'objection-evidence', key: object.key };
    }
    if (key.upload.kind === 'evidence') {
      const { created } = await repos.evidence.record(evidenceUpload());
      log.info('evidence recorded', { cycleId, kode, key: object.key, created });
      return { outcome: 'evidence', created, key: object.key };
    }

    const upload = dataUpload();
    const { submissionId } = upload;
    const { created, submission } = await repos.submissions.createFromUpload({
      ...upload,
      executionName: submissionId,
    });
    const result = { outcome: 'submission', created, submissionId, status: submission.status } as const;
    // Past UPLOADED, its execution has run: a late duplicate must not start anything again.
    if (submission.status !== 'UPLOADED') return result;
    const input: ExecutionInput = {
      cycleId,
      kode,
      submissionId,
      bucket: object.bucket,
      key: object.key,
      ...(object.versionId ? { versionId: object.versionId } : {}),
    };
    const pipeline = await startPipeline(sfn, stateMachineArn, input);
    log.info('submission ingested', { cycleId, kode, submissionId, created, pipeline });
    return { ...result, pipeline };
  };
}
