import type { RegionCycleRecord, RegionResultRecord } from '#adapters/dynamo/index';
import type { LoadedMethodology } from '#domain/methodology/load';
import { REGIONS, type Region, type RegionType } from '#domain/regions';
import { describe, distribution } from '#domain/results';
import type { Caller } from '#http/auth';
import type { ResultsSummary } from '#http/openapi-results';
import { resolveRun } from './access';
import type { ResultsDeps } from './deps';
import { regionStatuses, runResults } from './load';
import { clusterName, cycleRef, displayOf, extra, methodologyOf, regionRef, runRef } from './views';

const JENIS: readonly RegionType[] = ['provinsi', 'kabupaten', 'kota'];

/** The region types a methodology assesses (its clusters' `jenis`; all when a cluster has none). */
function expectedRegions(methodology: LoadedMethodology | undefined): Region[] {
  const jenis = new Set<string>();
  for (const c of methodology?.clusters ?? []) for (const j of c.match.jenis ?? JENIS) jenis.add(j);
  return jenis.size === 0 ? [...REGIONS] : REGIONS.filter((r) => jenis.has(r.jenis));
}

interface Facts {
  uploaded: Set<string>;
  accepted: Set<string>;
  scored: Set<string>;
  assessed: RegionResultRecord[];
}

function facts(
  statuses: readonly RegionCycleRecord[],
  results: readonly RegionResultRecord[],
  methodology: LoadedMethodology | undefined,
): Facts {
  const uploaded = new Set(statuses.filter((s) => s.latest).map((s) => s.kode));
  const accepted = new Set(statuses.filter((s) => s.current).map((s) => s.kode));
  const notAssessable = methodology?.predikat.notAssessable.label;
  const scored = new Set<string>();
  const assessed: RegionResultRecord[] = [];
  for (const r of results) {
    const outcome = extra(r, 'outcome');
    const isScored =
      typeof outcome === 'string'
        ? outcome === 'scored'
        : accepted.has(r.kode) && typeof r.score === 'number';
    if (!isScored) continue;
    scored.add(r.kode);
    if (typeof r.score === 'number' && r.predikat !== notAssessable && extra(r, 'assessable') !== false)
      assessed.push(r);
  }
  return { uploaded, accepted, scored, assessed };
}

const countIn = (set: ReadonlySet<string>, regions: readonly Region[]) =>
  regions.reduce((n, r) => n + (set.has(r.kode) ? 1 : 0), 0);

/** GET /cycles/{cycleId}/summary. */
export async function resultsSummary(
  deps: ResultsDeps,
  caller: Caller,
  cycleId: string,
  runId: string | undefined,
): Promise<{ body: ResultsSummary; published: boolean }> {
  const resolved = await resolveRun(deps, caller, cycleId, runId);
  const methodology = methodologyOf(resolved.run);
  const [results, statuses] = await Promise.all([
    runResults(deps, resolved.run),
    regionStatuses(deps, cycleId),
  ]);
  const f = facts(statuses, results, methodology);
  const labels = methodology
    ? [...methodology.predikat.bands.map((b) => b.label), methodology.predikat.notAssessable.label]
    : [];

  const clusterIds = methodology
    ? methodology.clusters.map((c) => c.id)
    : [...new Set(results.flatMap((r) => r.clusters ?? []))].sort();
  const clusters = clusterIds.map((id) => {
    const members = results.filter((r) => r.clusters?.includes(id));
    const ranked = members
      .filter((r) => typeof r.ranks?.[id] === 'number')
      .sort((a, b) => (a.ranks[id] ?? 0) - (b.ranks[id] ?? 0) || (a.kode < b.kode ? -1 : 1));
    return {
      id,
      name: clusterName(methodology, id),
      members: members.length,
      ranked: ranked.length,
      unranked: members.length - ranked.length,
      distribution: distribution(
        labels,
        members.map((r) => r.predikat),
      ),
      statistics: describe(ranked.flatMap((r) => (typeof r.score === 'number' ? [r.score] : []))),
      top: ranked.slice(0, 3).map((r) => ({
        kode: r.kode,
        nama: r.nama ?? regionRef(r.kode).nama,
        rank: r.ranks[id] ?? 0,
        display: displayOf(r, methodology),
      })),
    };
  });

  const expected = expectedRegions(methodology);
  const provinces = expected.filter((r) => r.jenis === 'provinsi');
  const provinceCodes = provinces.length > 0 ? provinces : REGIONS.filter((r) => r.jenis === 'provinsi');
  const scoreOf = (r: RegionResultRecord) => (typeof r.score === 'number' ? [r.score] : []);
  const jenisOf = new Map(REGIONS.map((r) => [r.kode, r.jenis]));
  const body: ResultsSummary = {
    cycle: cycleRef(resolved.cycle),
    run: runRef(resolved, deps.now()),
    predikat: methodology
      ? {
          bands: methodology.predikat.bands.map((b) => ({
            label: b.label,
            en: b.en,
            min: b.min,
            max: b.max,
          })),
          notAssessable: {
            label: methodology.predikat.notAssessable.label,
            en: methodology.predikat.notAssessable.en,
          },
        }
      : null,
    clusters,
    participation: {
      expected: expected.length,
      uploaded: countIn(f.uploaded, expected),
      accepted: countIn(f.accepted, expected),
      scored: countIn(f.scored, expected),
      notSubmitted: expected.length - countIn(f.uploaded, expected),
      rate:
        expected.length === 0 ? 0 : Math.round((countIn(f.accepted, expected) / expected.length) * 1e4) / 1e4,
      byJenis: JENIS.map((jenis) => {
        const regions = expected.filter((r) => r.jenis === jenis);
        return {
          jenis,
          expected: regions.length,
          uploaded: countIn(f.uploaded, regions),
          accepted: countIn(f.accepted, regions),
          scored: countIn(f.scored, regions),
        };
      }),
      byProvince: provinceCodes.map((p) => {
        const regions = expected.filter((r) => r.provinsi === p.kode);
        return {
          kode: p.kode,
          nama: p.nama,
          expected: regions.length,
          uploaded: countIn(f.uploaded, regions),
          accepted: countIn(f.accepted, regions),
          scored: countIn(f.scored, regions),
        };
      }),
      neverSubmitted: expected.filter((r) => !f.uploaded.has(r.kode)).map((r) => regionRef(r.kode)),
    },
    national: {
      statistics: describe(f.assessed.flatMap(scoreOf)),
      byJenis: JENIS.map((jenis) => ({
        jenis,
        statistics: describe(f.assessed.filter((r) => jenisOf.get(r.kode) === jenis).flatMap(scoreOf)),
      })),
      distribution: distribution(
        labels,
        results.map((r) => r.predikat),
      ),
    },
  };
  return { body, published: resolved.published };
}
