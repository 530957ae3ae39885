import type { BilingualText, ClusterDefinition } from '../methodology/schema';
import { findRegion, type RegionLookup } from '../regions';

export interface Rankable {
  region: string;
  index: number;
  display: string;
  predikat: string;
  assessable: boolean;
  eligible: boolean;
  /** A survey dimension below the methodology's minimum: scored, not ranked. */
  surveyBelowMinimum?: boolean;
  profile: Readonly<Record<string, string>>;
}

export interface RankingEntry {
  region: string;
  nama: string;
  index: number;
  display: string;
  predikat: string;
  /** Standard competition rank ("1224") on full precision; null when unranked. */
  rank: number | null;
  unranked?: 'ineligible' | 'not-assessable' | 'survey-below-minimum';
}

export interface ClusterRanking {
  cluster: string;
  name: BilingualText;
  entries: RankingEntry[];
}

export function clusterMembers<T extends Pick<Rankable, 'region' | 'profile'>>(
  cluster: ClusterDefinition,
  results: readonly T[],
  regions: RegionLookup = findRegion,
): T[] {
  const { jenis, codes, profile } = cluster.match;
  const codeSet = codes ? new Set(codes) : undefined;
  return results.filter((r) => {
    if (jenis) {
      const region = regions(r.region);
      if (!region || !jenis.includes(region.jenis)) return false;
    }
    if (codeSet && !codeSet.has(r.region)) return false;
    if (profile) {
      const v = r.profile[profile.field];
      if (v === undefined || !profile.values.includes(v)) return false;
    }
    return true;
  });
}

/**
 * Per-cluster rankings. Ties share a rank and the next rank skips (1, 2, 2, 4); ties are listed
 * by region code so the order is deterministic. Ineligible, not-assessable and survey-below-minimum
 * regions are listed after the ranked ones, without a rank.
 */
export function rank(
  results: readonly Rankable[],
  clusters: readonly ClusterDefinition[],
  regions: RegionLookup = findRegion,
): ClusterRanking[] {
  return clusters.map((cluster) => {
    const members = clusterMembers(cluster, results, regions);
    const ranked = members.filter(isRanked).sort(byIndexThenCode);
    const unranked = members.filter((m) => !isRanked(m)).sort(byIndexThenCode);
    const entries: RankingEntry[] = [];
    let previous: number | undefined;
    let previousRank = 0;
    ranked.forEach((m, i) => {
      const position = previous !== undefined && m.index === previous ? previousRank : i + 1;
      previous = m.index;
      previousRank = position;
      entries.push(entry(m, position, regions));
    });
    for (const m of unranked) entries.push(entry(m, null, regions));
    return { cluster: cluster.id, name: cluster.name, entries };
  });
}

function entry(m: Rankable, position: number | null, regions: RegionLookup): RankingEntry {
  return {
    region: m.region,
    nama: regions(m.region)?.nama ?? m.region,
    index: m.index,
    display: m.display,
    predikat: m.predikat,
    rank: position,
    ...(position === null ? { unranked: unrankedBecause(m) } : {}),
  } as RankingEntry;
}

const isRanked = (m: Rankable): boolean => m.eligible && m.assessable && m.surveyBelowMinimum !== true;

/** The first reason that applies: who the head is, then what was submitted, then the survey's size. */
const unrankedBecause = (m: Rankable): RankingEntry['unranked'] =>
  !m.eligible ? 'ineligible' : !m.assessable ? 'not-assessable' : 'survey-below-minimum';

const byIndexThenCode = (a: Rankable, b: Rankable): number =>
  b.index - a.index || (a.region < b.region ? -1 : a.region > b.region ? 1 : 0);
