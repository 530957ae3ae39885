import { canonicalKey, scoreCardKey } from '#adapters/bucket-layout';
import { now } from '#adapters/clock';
import type { Repositories } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import { lambdaHandler } from '#adapters/observability';
import { retryable } from '#adapters/transient';
import { score } from '#domain/engine/index';
import { InternalError } from '#domain/errors';
import { getMethodology } from '#domain/methodology/registry';
import { submissionSchema } from '#domain/submission';
import { parsePayload, type ScoreResultPayload, scoreInputSchema } from './lib/submissions/contract';
import { cycleMethodology, type MethodologyLookup } from './lib/submissions/methodology';
import { sha256 } from './lib/submissions/report';
import { type ScoreCardDocument, scoreCardRecord } from './lib/submissions/score-card';
import { readCanonical, recordedScore } from './lib/submissions/scoring';
import { ports, repositoriesFromEnv, uploadStoreFromEnv } from './lib/wiring';

export interface ScoreDeps {
  repos: Pick<Repositories, 'cycles' | 'submissions' | 'scoreCards'>;
  objects: ObjectStore;
  methodologies: MethodologyLookup;
  now: () => Date;
}

/**
 * Submission state machine, task `Score`: scores the canonical submission validation stored
 * (provisional: relative indicators wait for the national run), writes the full card with its
 * trace under `scorecards/`, keeps a summary in the table, then ACCEPTED → SCORED (which moves the
 * region's current pointer). A replay returns the recorded card.
 */
export function createScoreSubmission(given: Partial<ScoreDeps> = {}) {
  const deps = ports<ScoreDeps>(given, {
    repos: repositoriesFromEnv,
    objects: uploadStoreFromEnv,
    methodologies: () => getMethodology,
    now: () => now,
  });

  return (payload: unknown): Promise<ScoreResultPayload> =>
    retryable(async () => {
      const input = parsePayload(scoreInputSchema, payload, 'Score input');
      const { repos, objects, methodologies, now } = deps();
      const ref = { cycleId: input.cycleId, kode: input.kode, submissionId: input.submissionId };
      const submission = await repos.submissions.get(ref);
      if (!submission)
        throw new InternalError('SubmissionNotFound', `submission ${ref.submissionId} not found`);
      if (submission.status === 'SCORED') {
        const recorded = await recordedScore(repos.scoreCards, ref);
        if (recorded) return recorded;
      }
      if (submission.status !== 'ACCEPTED' && submission.status !== 'SCORED')
        throw new InternalError('NotAccepted', `submission ${ref.submissionId} is ${submission.status}`);

      const cycle = await repos.cycles.get(input.cycleId);
      if (!cycle) throw new InternalError('CycleNotFound', `cycle ${input.cycleId} not found`);
      const methodology = cycleMethodology(cycle, methodologies);
      const key = canonicalKey(ref);
      const bytes = await readCanonical(objects, key);
      const canonical = parsePayload(submissionSchema, JSON.parse(bytes.toString('utf8')), key);
      const card = score(methodology, canonical);

      const computedAt = now().toISOString();
      const traceKey = scoreCardKey(ref);
      const document: ScoreCardDocument = {
        schema: 'indeks/score-card@1',
        ...ref,
        provisional: true,
        input: { key, sha256: sha256(bytes) },
        computedAt,
        card,
      };
      await objects.putJson(traceKey, document);
      const { card: summary } = await repos.scoreCards.put(
        scoreCardRecord(card, { ...ref, traceKey, computedAt }),
      );
      const moved = await repos.submissions.transition(ref, 'SCORED', {
        patch: { score: { scoreCardKey: traceKey, total: summary.indexValue, predikat: summary.predikat } },
      });
      if (moved.outcome === 'not-found' || moved.outcome === 'rejected')
        throw new InternalError('StatusConflict', `submission ${ref.submissionId} cannot move to SCORED`);
      return {
        status: 'SCORED',
        scoreCardKey: traceKey,
        indexValue: summary.indexValue ?? 0,
        display: card.display,
        predikat: summary.predikat ?? card.predikat,
        provisional: true,
      };
    });
}

export const handler = lambdaHandler(createScoreSubmission());
