import type { ClusterRanking } from '../engine/rank';

/**
 * After the sanggah every region is re-ranked. A region whose rank in a cluster moved although its
 * own score did not change moved only because other regions' objections were upheld: it gets a
 * notice saying so (from → to, and which regions' upheld objections are behind it).
 */
export interface RankNotice {
  region: string;
  cluster: string;
  from: number | null;
  to: number | null;
  /** Regions of the same cluster whose upheld objections changed their scores. */
  causedBy: string[];
  message_id: string;
  message_en: string;
}

export function rankMoveNotices(
  before: readonly ClusterRanking[],
  after: readonly ClusterRanking[],
  /** Regions whose own score changed through upheld objections. */
  changed: ReadonlySet<string>,
): RankNotice[] {
  const notices: RankNotice[] = [];
  const previous = new Map(before.map((c) => [c.cluster, new Map(c.entries.map((e) => [e.region, e.rank]))]));
  for (const cluster of after) {
    const old = previous.get(cluster.cluster);
    if (!old) continue;
    const causedBy = cluster.entries
      .map((e) => e.region)
      .filter((r) => changed.has(r))
      .sort();
    if (causedBy.length === 0) continue;
    for (const entry of cluster.entries) {
      if (changed.has(entry.region) || !old.has(entry.region)) continue;
      const from = old.get(entry.region) ?? null;
      if (from === entry.rank) continue;
      const fromText = from ?? '-';
      const toText = entry.rank ?? '-';
      const others = causedBy.join(', ');
      notices.push({
        region: entry.region,
        cluster: cluster.cluster,
        from,
        to: entry.rank,
        causedBy,
        message_id: `Peringkat pada klaster ${cluster.name.id} berubah dari ${fromText} menjadi ${toText} tanpa perubahan nilai daerah Anda: sanggah daerah lain (${others}) dikabulkan.`,
        message_en: `Rank in cluster ${cluster.name.en} moved from ${fromText} to ${toText} with no change to your own score: other regions' objections (${others}) were upheld.`,
      });
    }
  }
  return notices;
}
