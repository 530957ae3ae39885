import { problem } from '../problems';
import type { Outcome } from './objections';

/**
 * Final results are published in editions: edition 1 is the final publication; a correction is a
 * new edition with its reason, never an overwrite. Editions are frozen once made.
 */
export interface Edition<T> {
  edition: number;
  publishedAt: string;
  publishedBy: string;
  /** Why this edition replaces the previous one (required from edition 2 on). */
  reason?: string;
  results: T;
}

export function publishEdition<T>(
  editions: readonly Edition<T>[],
  input: { results: T; at: Date; by: string; reason?: string },
): Outcome<Edition<T>[]> {
  const reason = input.reason?.trim();
  if (editions.length > 0 && !reason)
    return {
      ok: false,
      problems: [
        problem(
          'CORRECTION_REASON_REQUIRED',
          'error',
          { path: 'reason' },
          `Hasil akhir sudah terbit (edisi ${editions.length}); koreksi menjadi edisi baru dan wajib disertai alasan.`,
          `Final results are already published (edition ${editions.length}); a correction is a new edition and needs a reason.`,
        ),
      ],
    };
  const edition: Edition<T> = Object.freeze({
    edition: editions.length + 1,
    publishedAt: input.at.toISOString(),
    publishedBy: input.by,
    ...(reason ? { reason } : {}),
    results: input.results,
  });
  return { ok: true, value: [...editions, edition] };
}

export const latestEdition = <T>(editions: readonly Edition<T>[]): Edition<T> | undefined => editions.at(-1);
