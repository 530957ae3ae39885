import type { Repositories } from '#adapters/dynamo/index';
import { lambdaHandler } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { type FailureResult, failureInputSchema, parsePayload } from './lib/submissions/contract';
import { failureOf } from './lib/submissions/failure';
import { ports, repositoriesFromEnv } from './lib/wiring';

export interface RecordFailureDeps {
  repos: Pick<Repositories, 'submissions'>;
}

/**
 * Submission state machine, task `RecordFailure` (Catch target of Validate and Score): marks the
 * submission FAILED with the reason, so none stays VALIDATING. Idempotent: a replay, or a
 * submission already final (REJECTED, SCORED), changes nothing and is not an error.
 */
export function createRecordSubmissionFailure(given: Partial<RecordFailureDeps> = {}) {
  const deps = ports<RecordFailureDeps>(given, { repos: repositoriesFromEnv });

  return (payload: unknown): Promise<FailureResult> =>
    retryable(async () => {
      const input = parsePayload(failureInputSchema, payload, 'RecordFailure input');
      const failure = failureOf(input.error);
      const ref = { cycleId: input.cycleId, kode: input.kode, submissionId: input.submissionId };
      const moved = await deps().repos.submissions.transition(ref, 'FAILED', {
        reason: failure.reason,
        patch: { failure },
      });
      if (moved.outcome === 'not-found') return { recorded: false, outcome: moved.outcome };
      return {
        recorded: moved.outcome === 'applied',
        outcome: moved.outcome,
        status: moved.submission.status,
      };
    });
}

export const handler = lambdaHandler(createRecordSubmissionFailure());
