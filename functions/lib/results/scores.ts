import type { RegionDetail } from '#http/openapi-results';
import { publishedStageResult } from '../verification/scores';
import type { ResultsDeps } from './deps';

/**
 * `scores` of the region detail: the self-assessed score beside the verified one (and the final one
 * once final), with every change that explains the difference. Verified and final come from the
 * verification stage's published phase results only (nothing a region may not see yet).
 */
export async function regionScores(
  deps: Pick<ResultsDeps, 'repos'>,
  cycleId: string,
  kode: string,
  fromRun: { index: number | null; display: string | null; predikat: string | null },
): Promise<RegionDetail['scores']> {
  const stage = await deps.repos.verification.getStage(cycleId);
  const stored = stage ? await publishedStageResult(deps, stage, kode) : undefined;
  const self =
    fromRun.index !== null && fromRun.display !== null && fromRun.predikat !== null
      ? { index: fromRun.index, display: fromRun.display, predikat: fromRun.predikat }
      : null;
  if (!stored) return { phase: stage?.phase ?? null, resultsOf: null, self, verified: null, changes: [] };
  return {
    phase: stage?.phase ?? null,
    resultsOf: stored.phase === 'FINAL' ? 'FINAL' : 'PROVISIONAL',
    self: stored.scores.self,
    verified: stored.scores.verified,
    ...(stored.scores.final ? { final: stored.scores.final } : {}),
    // Changes are plain records (the schema lists their members and allows more).
    changes: stored.changes.map((c) => ({ ...c })),
  };
}
