import { type ClusterRanking, type Rankable, rank } from '../engine/rank';
import type { ScoreResult } from '../engine/score';
import type { ClusterDefinition } from '../methodology/schema';
import { type RankNotice, rankMoveNotices } from './rerank';

/**
 * The ranking of a stage phase, once every region's scores are in: PROVISIONAL ranks the verified
 * scores; FINAL ranks the scores after the sanggah and tells each region whose rank moved only
 * because of others' upheld objections (one ranking before, one after: everyone re-ranked once).
 */
export interface StageStanding {
  kode: string;
  verified: Rankable;
  /** FINAL only: after upheld objections (equal to verified for a region without any). */
  final?: Rankable;
}

export interface StageRanking {
  rankings: ClusterRanking[];
  /** Each region's rank per cluster (null: listed, not ranked). */
  ranks: Map<string, Record<string, number | null>>;
  notices: RankNotice[];
  /** Regions whose own score changed through upheld objections. */
  changed: string[];
}

/** What ranking keeps of a score: no trace, nothing the ranking does not read. */
export const rankableOf = (s: ScoreResult): Rankable => ({
  region: s.region,
  index: s.index,
  display: s.display,
  predikat: s.predikat,
  assessable: s.assessable,
  eligible: s.eligible,
  surveyBelowMinimum: s.surveyBelowMinimum,
  profile: s.profile,
});

export function rankStage(
  standings: readonly StageStanding[],
  clusters: readonly ClusterDefinition[],
  phase: 'PROVISIONAL' | 'FINAL',
): StageRanking {
  const sorted = [...standings].sort((a, b) => (a.kode < b.kode ? -1 : 1));
  const rankings = rank(
    sorted.map((s) => (phase === 'FINAL' ? (s.final ?? s.verified) : s.verified)),
    clusters,
  );
  const changed =
    phase === 'FINAL'
      ? sorted.filter((s) => s.final && s.final.index !== s.verified.index).map((s) => s.kode)
      : [];
  const notices =
    phase === 'FINAL'
      ? rankMoveNotices(
          rank(
            sorted.map((s) => s.verified),
            clusters,
          ),
          rankings,
          new Set(changed),
        )
      : [];
  const ranks = new Map<string, Record<string, number | null>>(sorted.map((s) => [s.kode, {}]));
  for (const c of rankings)
    for (const e of c.entries) {
      const of = ranks.get(e.region);
      if (of) of[c.cluster] = e.rank;
    }
  return { rankings, ranks, notices, changed };
}
