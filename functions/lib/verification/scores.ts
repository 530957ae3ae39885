import type { Repositories, StageRecord, StageResultRecord, StageScore } from '#adapters/dynamo/index';
import type { ScoreResult } from '#domain/engine/index';
import { STAGE_PHASES, type StagePhase, verificationOutcome } from '#domain/verification/index';
import { type Caller, hasRole } from '#http/auth';
import { notFound } from '#http/errors';
import { MINISTRY } from './access';
import { regionDecisions } from './decisions';
import { stageOf, type VerificationDeps } from './deps';

export const stageScore = (s: ScoreResult): StageScore => ({
  index: s.index,
  display: s.display,
  predikat: s.predikat,
  predikatEn: s.predikatEn,
});

/** The latest published phase results of a region (FINAL over PROVISIONAL), if any. */
export async function publishedStageResult(
  deps: { repos: Pick<Repositories, 'verification'> },
  stage: Pick<StageRecord, 'cycleId' | 'phase'>,
  kode: string,
): Promise<StageResultRecord | undefined> {
  // Rows of a phase are written before the phase is entered; they count once it is.
  const reached = (phase: StagePhase) =>
    stage.phase !== null && STAGE_PHASES.indexOf(stage.phase) >= STAGE_PHASES.indexOf(phase);
  if (reached('FINAL')) {
    const final = await deps.repos.verification.getStageResult(stage.cycleId, 'FINAL', kode);
    if (final) return final;
  }
  if (reached('PROVISIONAL'))
    return deps.repos.verification.getStageResult(stage.cycleId, 'PROVISIONAL', kode);
  return undefined;
}

/**
 * A region's self, verified (and final) scores with every change. Published phase results for
 * everyone who may read the region; before that, the ministry sees the live state of verification.
 */
export async function regionScores(deps: VerificationDeps, caller: Caller, cycleId: string, kode: string) {
  const stage = await stageOf(deps, cycleId);
  const stored = await publishedStageResult(deps, stage, kode);
  if (stored) return { ...stored, resultsOf: stored.phase, phase: stage.phase };
  if (!hasRole(caller, ...MINISTRY))
    throw notFound(`Hasil verifikasi wilayah ${kode}`, `Verification results of region ${kode}`);
  const r = await regionDecisions(deps, cycleId, kode);
  const o = verificationOutcome(r.methodology, r.submission, r.counted.counting, {}, r.catalogue);
  return {
    phase: stage.phase,
    live: true,
    kode,
    scores: { self: stageScore(o.self), verified: stageScore(o.verified) },
    changes: o.changes,
    progress: r.progress,
  };
}
