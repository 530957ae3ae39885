import { publishEdition } from '#domain/verification/index';
import { conflict } from '#http/errors';
import { refusal } from './access';
import { stageOf, type VerificationDeps } from './deps';

/**
 * Publishes final results as the next edition (once FINAL): edition 1 is the publication, a
 * correction is a new edition with its reason; editions are put-if-absent, never overwritten.
 */
export async function publishFinalEdition(
  deps: VerificationDeps,
  cycleId: string,
  by: string,
  reason?: string,
) {
  const stage = await stageOf(deps, cycleId);
  if (stage.phase !== 'FINAL')
    throw conflict(
      'NOT_FINAL',
      'Hasil akhir diterbitkan setelah tahap FINAL.',
      'Final results are published once the stage is FINAL.',
    );
  const editions = await deps.repos.verification.listEditions(cycleId);
  const out = publishEdition(
    editions.map((e) => ({ ...e, results: e.phase })),
    { results: 'FINAL', at: deps.now(), by, ...(reason ? { reason } : {}) },
  );
  if (!out.ok) throw refusal(out.problems, 'EDITION_REFUSED', 'conflict');
  const latest = out.value.at(-1);
  if (!latest) throw conflict('EDITION_REFUSED', 'Edisi tidak dibuat.', 'No edition was made.');
  const record = {
    cycleId,
    edition: latest.edition,
    publishedAt: latest.publishedAt,
    publishedBy: latest.publishedBy,
    phase: 'FINAL',
    ...(latest.reason ? { reason: latest.reason } : {}),
  };
  if (!(await deps.repos.verification.putEdition(record)))
    throw conflict(
      'EDITION_EXISTS',
      'Edisi ini baru saja diterbitkan oleh proses lain.',
      'This edition was just published by another process.',
    );
  return record;
}

/** The latest edition and every earlier one. */
export async function cycleEditions(deps: VerificationDeps, cycleId: string) {
  const items = await deps.repos.verification.listEditions(cycleId);
  return { latest: items.at(-1) ?? null, items };
}
