import { canonicalKey, packedKey, reportKey, type SubmissionLocation } from '#adapters/bucket-layout';
import type { SubmissionRecord } from '#adapters/dynamo/index';
import { type ObjectStore, ObjectTooLargeError } from '#adapters/object-store';
import { encodePacked, isPackable, packSubmission } from '#domain/engine/index';
import { InternalError } from '#domain/errors';
import type { LoadedMethodology } from '#domain/methodology/load';
import { submissionSchema } from '#domain/submission';
import { toSubmissionJson } from '#domain/submission-json';
import type { IntakeResult } from '#intake/index';
import type { ValidationResult } from './contract';
import { countProblems, sha256, type ValidationReport } from './report';

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
  throw new InternalError(
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
      throw new InternalError('ObjectMissing', `object ${key} (${versionId ?? 'no version'}) is gone`);
    throw error;
  }
}

export interface ValidationOutcome {
  ref: SubmissionLocation;
  submission: SubmissionRecord;
  fileName: string;
  methodology: LoadedMethodology;
  result: IntakeResult;
  evidenceUploaded: number;
  at: Date;
}

/**
 * Packs the canonical submission once, as the national run will read it back (parsed from the
 * same text), and stores it beside the canonical JSON. Derived like the JSON: a replay rewrites it.
 */
async function storePacked(objects: ObjectStore, o: ValidationOutcome, canonicalText: string) {
  if (!isPackable(o.methodology)) return;
  const submission = submissionSchema.parse(JSON.parse(canonicalText));
  const bytes = encodePacked(packSubmission(o.methodology, submission));
  await objects.put(packedKey(o.ref), bytes, 'application/octet-stream');
}

/**
 * Writes what validation found under `reports/`: the canonical submission of an accepted file
 * (the upload format, so it can be read back by the same schema and even uploaded again) and its
 * packed form, then the report. Both are derived documents: a replay overwrites them with the same content.
 */
export async function storeValidation(objects: ObjectStore, o: ValidationOutcome) {
  const counts = countProblems(o.result.problems);
  const valid = o.result.submission !== undefined && counts.errors === 0;
  let canonical: ValidationReport['canonical'];
  if (valid && o.result.submission) {
    const text = JSON.stringify(toSubmissionJson(o.result.submission));
    canonical = { key: canonicalKey(o.ref), sha256: sha256(text) };
    await objects.put(canonical.key, text, 'application/json');
    await storePacked(objects, o, text);
  }
  const report: ValidationReport = {
    schema: 'indeks/validation-report@1',
    ...o.ref,
    fileName: o.fileName,
    object: o.submission.object,
    methodology: { id: o.methodology.id, hash: o.methodology.hash },
    ...(o.result.format ? { format: o.result.format } : {}),
    valid,
    counts,
    problems: o.result.problems,
    evidenceUploaded: o.evidenceUploaded,
    ...(canonical ? { canonical } : {}),
    validatedAt: o.at.toISOString(),
  };
  await objects.putJson(reportKey(o.ref), report);
  return { valid, counts, canonical };
}
