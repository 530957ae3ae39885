import { reportKey } from '#adapters/bucket-layout';
import { now } from '#adapters/clock';
import type { LedgerPort, Repositories } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import { retryable } from '#adapters/transient';
import { DEFAULT_UPLOAD_LIMITS } from '#adapters/upload-policy';
import { InternalError } from '#domain/errors';
import { getMethodology } from '#domain/methodology/registry';
import { type IntakeResult, intakeFile } from '#intake/index';
import { executionInputSchema, parsePayload, type ValidationResult } from './lib/submissions/contract';
import { recordValidation } from './lib/submissions/ledger';
import { cycleMethodology, type MethodologyLookup } from './lib/submissions/methodology';
import { tooLargeProblem } from './lib/submissions/report';
import { readUpload, recordedResult, statusConflict, storeValidation } from './lib/submissions/validation';
import { ledgerFromEnv, ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

export interface ValidateDeps {
  repos: Pick<Repositories, 'cycles' | 'submissions' | 'evidence'>;
  objects: ObjectStore;
  /** The cycle ledger: the upload (sha256 of the bytes read here) and the validation outcome. */
  ledger: LedgerPort;
  methodologies: MethodologyLookup;
  now: () => Date;
  /** Size cap re-checked whatever the upload policy allowed (default: the data upload limit). */
  maxBytes: number;
}

/**
 * Submission state machine, task `Validate`: UPLOADED → VALIDATING, intake of the original object
 * (never modified), report (and, when accepted, the canonical submission) under `reports/`, then
 * ACCEPTED or REJECTED. Returns what the IsValid Choice reads. A replay returns the recorded result.
 */
export function createValidateSubmission(given: Partial<ValidateDeps> = {}) {
  const deps = ports<ValidateDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    ledger: ledgerFromEnv,
    methodologies: () => getMethodology,
    now: () => now,
    maxBytes: () => DEFAULT_UPLOAD_LIMITS.data.maxBytes,
  });

  return (payload: unknown): Promise<ValidationResult> =>
    retryable(async () => {
      const input = parsePayload(executionInputSchema, payload, 'Validate input');
      const { repos, objects, ledger, methodologies, now, maxBytes } = deps();
      if (input.bucket !== objects.bucket)
        throw new InternalError('BadInput', `bucket ${input.bucket} is not the upload bucket`);
      const ref = { cycleId: input.cycleId, kode: input.kode, submissionId: input.submissionId };

      const found = await repos.submissions.get(ref);
      if (!found) throw new InternalError('SubmissionNotFound', `submission ${ref.submissionId} not found`);
      const recorded = recordedResult(found);
      if (recorded) return recorded;
      const started = await repos.submissions.transition(ref, 'VALIDATING');
      if (started.outcome === 'not-found')
        throw new InternalError('SubmissionNotFound', `submission ${ref.submissionId} not found`);
      if (started.outcome === 'rejected')
        return recordedResult(started.submission) ?? statusConflict(started.submission, 'VALIDATING');
      const submission = started.submission;

      const cycle = await repos.cycles.get(input.cycleId);
      if (!cycle) throw new InternalError('CycleNotFound', `cycle ${input.cycleId} not found`);
      const methodology = cycleMethodology(cycle, methodologies);
      const evidence = await repos.evidence.listForRegion(input.cycleId, input.kode);
      const fileName = submission.fileName ?? input.key.split('/').pop() ?? 'berkas';

      const bytes = await readUpload(objects, input.key, input.versionId ?? undefined, maxBytes, submission);
      const result: IntakeResult =
        'tooLarge' in bytes
          ? { problems: [tooLargeProblem(fileName, bytes.tooLarge, maxBytes)] }
          : await intakeFile({
              bytes: bytes.body,
              fileName,
              methodology,
              region: input.kode,
              evidenceNames: evidence.map((e) => e.fileName),
              options: { maxBytes },
            });
      const { valid, counts, canonical } = await storeValidation(objects, {
        ref,
        submission,
        fileName,
        methodology,
        result,
        evidenceUploaded: evidence.length,
        at: now(),
      });

      // Recorded before the status moves: a retry after a crash here records the same entries once.
      await recordValidation(ledger, {
        submission,
        key: input.key,
        versionId: input.versionId,
        ...('body' in bytes ? { bytes: bytes.body } : {}),
        valid,
        counts,
        ...(canonical ? { canonicalSha256: canonical.sha256 } : {}),
        at: now(),
      });
      const status = valid ? 'ACCEPTED' : 'REJECTED';
      const moved = await repos.submissions.transition(ref, status, {
        patch: {
          validation: { reportKey: reportKey(ref), errorCount: counts.errors, warningCount: counts.warnings },
        },
        ...(valid ? {} : { reason: `${counts.errors} kesalahan | ${counts.errors} errors` }),
      });
      if (moved.outcome === 'not-found')
        throw new InternalError('SubmissionNotFound', `submission ${ref.submissionId} vanished`);
      if (moved.outcome === 'rejected')
        return recordedResult(moved.submission) ?? statusConflict(moved.submission, status);
      return {
        valid,
        status,
        reportKey: reportKey(ref),
        ...(canonical ? { canonicalKey: canonical.key } : {}),
        errorCount: counts.errors,
        warningCount: counts.warnings,
        ...(result.format ? { format: result.format } : {}),
      };
    });
}

export const handler = createValidateSubmission();
