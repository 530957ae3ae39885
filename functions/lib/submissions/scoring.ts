import type { SubmissionLocation } from '#adapters/bucket-layout';
import type { ScoreCardRepository } from '#adapters/dynamo/index';
import type { ObjectStore } from '#adapters/object-store';
import { InternalError } from '#domain/errors';
import type { ScoreResultPayload } from './contract';

/** A submission scored before (a retried or replayed task) answers with its recorded card. */
export async function recordedScore(
  cards: Pick<ScoreCardRepository, 'get'>,
  ref: SubmissionLocation,
): Promise<ScoreResultPayload | undefined> {
  const card = await cards.get(ref.cycleId, ref.kode, ref.submissionId);
  if (!card) return undefined;
  return {
    status: 'SCORED',
    scoreCardKey: card.traceKey,
    indexValue: card.indexValue ?? 0,
    display: String(card.indexValue ?? 0),
    predikat: card.predikat ?? '',
    provisional: true,
  };
}

/** The canonical submission validation wrote; its absence is a broken pipeline, not bad input. */
export async function readCanonical(objects: ObjectStore, key: string): Promise<Buffer> {
  try {
    return await objects.getBytes(key);
  } catch (error) {
    if (error instanceof Error && error.name === 'NoSuchKey')
      throw new InternalError('ObjectMissing', `canonical submission ${key} is missing`);
    throw error;
  }
}
