import { Logger } from '@aws-lambda-powertools/logger';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { requiredEnv, sfnClient } from '#adapters/aws-clients';
import { parseUploadKey } from '#adapters/bucket-layout';
import { type Repositories, submissionIdFor } from '#adapters/dynamo/index';
import { InternalError } from '#domain/errors';
import type { ExecutionInput } from './lib/submissions/contract';
import { objectCreatedSchema, type PipelineStart, startPipeline } from './lib/submissions/object-created';
import { ports, repositoriesFromEnv } from './lib/wiring';

export interface IngestDeps {
  repos: Pick<Repositories, 'cycles' | 'submissions' | 'evidence'>;
  sfn: Pick<SFNClient, 'send'>;
  stateMachineArn: string;
  bucket: string;
  log: Pick<Logger, 'info' | 'warn'>;
}

export type IngestResult =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'evidence'; created: boolean; key: string }
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
 */
export function createIngestUpload(given: Partial<IngestDeps> = {}) {
  const deps = ports<IngestDeps>(given, {
    repos: repositoriesFromEnv,
    sfn: sfnClient,
    stateMachineArn: () => requiredEnv('SUBMISSION_STATE_MACHINE_ARN'),
    bucket: () => requiredEnv('UPLOAD_BUCKET'),
    log: () => new Logger(),
  });

  return async (event: unknown): Promise<IngestResult> => {
    const parsed = objectCreatedSchema.safeParse(event);
    if (!parsed.success)
      throw new InternalError(
        'BadInput',
        `not an S3 Object Created event: ${parsed.error.issues[0]?.message}`,
      );
    const { repos, sfn, stateMachineArn, bucket, log } = deps();
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
    if (!(await repos.cycles.get(cycleId))) return ignore(`unknown cycle ${cycleId}`);

    if (key.upload.kind === 'evidence') {
      const { created } = await repos.evidence.record({
        cycleId,
        kode,
        fileName,
        uploadId,
        object,
        uploadedAt: time,
      });
      log.info('evidence recorded', { cycleId, kode, key: object.key, created });
      return { outcome: 'evidence', created, key: object.key };
    }

    const submissionId = submissionIdFor(object);
    const { created, submission } = await repos.submissions.createFromUpload({
      cycleId,
      kode,
      object,
      uploadedAt: time,
      fileName,
      submissionId,
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

export const handler = createIngestUpload();
