import type { SubmissionRecord } from '../../../shared/adapters/dynamo';
import { type ObjectStore, ObjectTooLargeError } from '../../../shared/adapters/object-store';
import type { ValidationResult } from './contract';
import { PipelineError } from './errors';
import { canonicalKey } from './layout';

/** A submission validated before (a retried or replayed task) answers with what was recorded. */
export function recordedResult(s: SubmissionRecord): ValidationResult | undefined {
  if (!s.validation || !['ACCEPTED', 'REJECTED', 'SCORED'].includes(s.status)) return undefined;
  const valid = s.status !== 'REJECTED';
  return {
    valid,
    status: valid ? 'ACCEPTED' : 'REJECTED',
    reportKey: s.validation.reportKey,
    ...(valid ? { canonicalKey: canonicalKey(s) } : {}),
    errorCount: s.validation.errorCount,
    warningCount: s.validation.warningCount,
  };
}

export function statusConflict(s: SubmissionRecord, to: string): never {
  throw new PipelineError(
    'StatusConflict',
    `submission ${s.submissionId} is ${s.status}, cannot move to ${to}`,
  );
}

/** The exact object version of the event, refused unread above the cap. */
export async function readUpload(
  objects: ObjectStore,
  key: string,
  versionId: string | undefined,
  maxBytes: number,
  submission: SubmissionRecord,
): Promise<{ body: Buffer } | { tooLarge: number }> {
  if ((submission.object.size ?? 0) > maxBytes) return { tooLarge: submission.object.size ?? 0 };
  try {
    return { body: await objects.getBytes(key, { versionId, maxBytes }) };
  } catch (error) {
    if (error instanceof ObjectTooLargeError) return { tooLarge: error.size };
    if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NoSuchVersion'))
      throw new PipelineError('ObjectMissing', `object ${key} (${versionId ?? 'no version'}) is gone`);
    throw error;
  }
}
