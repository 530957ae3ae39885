/**
 * The national assessment's result set: every region of the country appears, scored or not, with
 * the reason when it is not ranked; ranks per cluster, rank changes and the run summary. Pure.
 */
import { type ClusterRanking, type Rankable, rank, type ScoreCard } from './engine';
import { formatDecimal } from './engine/display';
import type { LoadedMethodology } from './methodology/load';
import type { BilingualText } from './methodology/schema';
import { findRegion, type RegionLookup } from './regions';

/**
 * - `scored`: the current submission was loaded, validated and scored;
 * - `not-submitted`: no accepted submission when the run froze its manifest;
 * - `invalid`: the frozen submission failed the run's checks (problems in the card);
 * - `failed`: the region's data could not be processed in this run (the run must be repeated).
 */
export type RegionOutcome = 'scored' | 'not-submitted' | 'invalid' | 'failed';

export type UnrankedReason =
  | 'not-submitted'
  | 'invalid'
  | 'failed'
  | 'ineligible'
  | 'not-assessable'
  | 'survey-below-minimum';

export interface NationalResult extends Rankable {
  outcome: RegionOutcome;
  predikatEn: string;
  submissionId?: string;
  /** Why the region is not ranked or not scored, Bahasa Indonesia and English; empty when ranked. */
  reasons: BilingualText[];
}

const REASON: Record<Exclude<RegionOutcome, 'scored'>, BilingualText> = {
  'not-submitted': {
    id: 'Tidak ada pengajuan yang diterima saat penilaian nasional dimulai.',
    en: 'No accepted submission when the national run started.',
  },
  invalid: {
    id: 'Data yang diajukan tidak lolos pemeriksaan penilaian nasional; rincian masalah ada di kartu nilai.',
    en: 'The submitted data failed the national run checks; the problems are listed in the score card.',
  },
  failed: {
    id: 'Data wilayah ini gagal diproses pada penilaian ini; penilaian perlu diulang.',
    en: "This region's data could not be processed in this run; the run must be repeated.",
  },
};

const NOT_ASSESSABLE: BilingualText = {
  id: 'Tidak ada isian berbasis bukti.',
  en: 'Nothing evidence-based was submitted.',
};

const SURVEY_BELOW_MINIMUM: BilingualText = {
  id: 'Survei kepemimpinan di bawah jumlah minimum responden sah: dimensinya bernilai 0 dan daerah tidak diperingkat.',
  en: 'The leadership survey has fewer valid respondents than the minimum: its dimensions score 0 and the region is not ranked.',
};

/** A region's result from its score card (computed with the run's statistics). */
export function scoredResult(card: ScoreCard, submissionId: string): NationalResult {
  const reasons: BilingualText[] = card.ineligibility.map((i) => ({ id: i.message_id, en: i.message_en }));
  if (!card.assessable) reasons.push(NOT_ASSESSABLE);
  if (card.surveyBelowMinimum) reasons.push(SURVEY_BELOW_MINIMUM);
  return {
    region: card.region,
    outcome: 'scored',
    index: card.index,
    display: card.display,
    predikat: card.predikat,
    predikatEn: card.predikatEn,
    assessable: card.assessable,
    eligible: card.eligible,
    surveyBelowMinimum: card.surveyBelowMinimum,
    profile: card.profile,
    submissionId,
    reasons,
  };
}

/** A region without a score: 0, "Tidak Dapat Dinilai", never ranked, with the reason. */
export function unscoredResult(
  methodology: LoadedMethodology,
  region: string,
  outcome: Exclude<RegionOutcome, 'scored'>,
  submissionId?: string,
): NationalResult {
  return {
    region,
    outcome,
    index: 0,
    display: formatDecimal(0, methodology.output.decimals),
    predikat: methodology.predikat.notAssessable.label,
    predikatEn: methodology.predikat.notAssessable.en,
    assessable: false,
    // No eligibility rule was found failing: the region is unranked for its outcome instead.
    eligible: true,
    profile: {},
    ...(submissionId ? { submissionId } : {}),
    reasons: [REASON[outcome]],
  };
}

export function unrankedReason(result: NationalResult): UnrankedReason | undefined {
  if (result.outcome !== 'scored') return result.outcome;
  if (!result.eligible) return 'ineligible';
  if (!result.assessable) return 'not-assessable';
  if (result.surveyBelowMinimum) return 'survey-below-minimum';
  return undefined;
}

export interface NationalRanking {
  rankings: ClusterRanking[];
  /** Region → cluster → rank (only the clusters it is ranked in). */
  ranks: Map<string, Record<string, number>>;
  /** Region → every cluster it belongs to, ranked or not. */
  clusters: Map<string, string[]>;
}

/** Standard competition ranks per cluster over every region's result. */
export function nationalRanking(
  methodology: LoadedMethodology,
  results: readonly NationalResult[],
  regions: RegionLookup = findRegion,
): NationalRanking {
  const rankings = rank(results, methodology.clusters, regions);
  const ranks = new Map<string, Record<string, number>>();
  const clusters = new Map<string, string[]>();
  for (const r of results) {
    ranks.set(r.region, {});
    clusters.set(r.region, []);
  }
  for (const ranking of rankings)
    for (const entry of ranking.entries) {
      clusters.get(entry.region)?.push(ranking.cluster);
      const own = ranks.get(entry.region);
      if (own && entry.rank !== null) own[ranking.cluster] = entry.rank;
    }
  return { rankings, ranks, clusters };
}

/**
 * Places gained per cluster since the previous cycle (positive = moved up), for the clusters the
 * region is ranked in both times.
 */
export function rankChanges(
  current: Readonly<Record<string, number>>,
  previous: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (!previous) return out;
  for (const [cluster, now] of Object.entries(current)) {
    const before = previous[cluster];
    if (before !== undefined) out[cluster] = before - now;
  }
  return out;
}

export interface RunCountsSummary {
  regions: number;
  scored: number;
  failed: number;
  ineligible: number;
  ranked: number;
}

export interface ClusterSummary {
  name: BilingualText;
  members: number;
  submitted: number;
  ranked: number;
  /** Predikat label → regions, in band order, "not assessable" last. */
  predikat: Record<string, number>;
}

export interface RunSummary {
  methodology: { id: string; hash: string };
  participation: {
    regions: number;
    submitted: number;
    scored: number;
    invalid: number;
    failed: number;
    notSubmitted: number;
    assessable: number;
    ineligible: number;
    ranked: number;
    /** submitted / regions, 4 decimals. */
    rate: number;
  };
  predikat: Record<string, number>;
  clusters: Record<string, ClusterSummary>;
  /** False when some region failed to process: the run should be repeated before it is final. */
  complete: boolean;
}

function predikatCounts(methodology: LoadedMethodology, results: readonly NationalResult[]) {
  const counts: Record<string, number> = {};
  for (const band of methodology.predikat.bands) counts[band.label] = 0;
  counts[methodology.predikat.notAssessable.label] = 0;
  for (const r of results) counts[r.predikat] = (counts[r.predikat] ?? 0) + 1;
  return counts;
}

export function summarizeRun(
  methodology: LoadedMethodology,
  results: readonly NationalResult[],
  ranking: NationalRanking,
): RunSummary {
  const count = (f: (r: NationalResult) => boolean) => results.filter(f).length;
  const byRegion = new Map(results.map((r) => [r.region, r]));
  const clusters: Record<string, ClusterSummary> = {};
  for (const c of ranking.rankings) {
    const members = c.entries.flatMap((e) => byRegion.get(e.region) ?? []);
    clusters[c.cluster] = {
      name: c.name,
      members: members.length,
      submitted: members.filter((r) => r.outcome !== 'not-submitted').length,
      ranked: c.entries.filter((e) => e.rank !== null).length,
      predikat: predikatCounts(methodology, members),
    };
  }
  const submitted = count((r) => r.outcome !== 'not-submitted');
  const failed = count((r) => r.outcome === 'failed');
  return {
    methodology: { id: methodology.id, hash: methodology.hash },
    participation: {
      regions: results.length,
      submitted,
      scored: count((r) => r.outcome === 'scored'),
      invalid: count((r) => r.outcome === 'invalid'),
      failed,
      notSubmitted: count((r) => r.outcome === 'not-submitted'),
      assessable: count((r) => r.outcome === 'scored' && r.assessable),
      ineligible: count((r) => r.outcome === 'scored' && !r.eligible),
      ranked: count((r) => Object.keys(ranking.ranks.get(r.region) ?? {}).length > 0),
      rate: results.length === 0 ? 0 : Math.round((submitted / results.length) * 10_000) / 10_000,
    },
    predikat: predikatCounts(methodology, results),
    clusters,
    complete: failed === 0,
  };
}

export function runCounts(summary: RunSummary): RunCountsSummary {
  const p = summary.participation;
  return {
    regions: p.regions,
    scored: p.scored,
    failed: p.failed,
    ineligible: p.ineligible,
    ranked: p.ranked,
  };
}
