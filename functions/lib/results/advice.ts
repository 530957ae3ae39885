import { runKeys } from '#adapters/bucket-layout';
import { adviseImprovements, type IndicatorStats, type RunStats } from '#domain/engine/index';
import { submissionSchema } from '#domain/submission';
import type { Caller } from '#http/auth';
import { conflict } from '#http/errors';
import type { RegionAdvice } from '#http/openapi-results';
import type { ResultsDeps } from './deps';
import { runResults } from './load';
import { cardOf, visibleRegionResult } from './region';
import { clusterName, cycleRef, extra, methodologyOf, num, obj, regionRef, runRef, str } from './views';

/**
 * GET /cycles/{cycleId}/regions/{kode}/advice: the five single improvements that raise the region's
 * index and rank most, scored on the fast engine against the run's other regions. Visible exactly
 * when the region's score card is (same checks, same 404s).
 */
export async function regionAdvice(
  deps: ResultsDeps,
  caller: Caller,
  cycleId: string,
  kode: string,
  runId: string | undefined,
): Promise<{ body: RegionAdvice; published: boolean }> {
  const { resolved, run, result } = await visibleRegionResult(deps, caller, cycleId, kode, runId);
  const methodology = methodologyOf(run);
  if (!methodology || methodology.hash !== run.methodology.hash)
    throw conflict(
      'METHODOLOGY_UNAVAILABLE',
      `Saran tidak dapat dihitung: metodologi ${run.methodology.id} yang dipakai penilaian ini tidak tersedia lagi dalam versi yang sama.`,
      `Advice cannot be computed: methodology ${run.methodology.id} used by this run is no longer available in the same version.`,
    );
  const base = {
    cycle: cycleRef(resolved.cycle),
    run: runRef(resolved, deps.now()),
    region: regionRef(kode, result.nama),
  };
  if (str(extra(result, 'outcome')) !== 'scored' || !result.traceKey)
    return {
      body: { ...base, available: false, baseline: null, improvements: [] },
      published: resolved.published,
    };

  const keys = runKeys(cycleId, run.runId);
  const [document, cardDocument, all] = await Promise.all([
    deps.traces.read(keys.frozenSubmission(kode)),
    deps.traces.read(result.traceKey),
    runResults(deps, run),
  ]);
  const submission = submissionSchema.parse(document);
  const card = cardOf(cardDocument, kode);
  const stats = statsOf(card?.breakdown);
  // The clusters the region is ranked in, each with the other ranked regions' index values.
  const others: Record<string, number[]> = {};
  for (const cluster of Object.keys(result.ranks ?? {})) others[cluster] = [];
  for (const other of all) {
    if (other.kode === kode) continue;
    const score = num(other.score);
    if (score === undefined) continue;
    for (const cluster of Object.keys(others))
      if (typeof other.ranks?.[cluster] === 'number') others[cluster]?.push(score);
  }
  const advice = adviseImprovements({ methodology, submission, stats, others });
  const named = <T extends { cluster: string }>(r: T) => ({
    ...r,
    name: clusterName(methodology, r.cluster),
  });
  return {
    body: {
      ...base,
      available: true,
      baseline: { ...advice.baseline, ranks: advice.baseline.ranks.map(named) },
      improvements: advice.improvements.map((i) => ({ ...i, ranks: i.ranks.map(named) })),
    },
    published: resolved.published,
  };
}

/** The run's statistics of the relative indicators, as the card's trace applied them. */
function statsOf(breakdown: unknown): RunStats {
  const stats = new Map<string, IndicatorStats>();
  const visit = (node: unknown) => {
    const o = obj(node);
    if (!o) return;
    if (o.kind === 'indicator') {
      const s = obj(o.stats);
      const code = str(o.code);
      if (code && s && ['count', 'min', 'max', 'mean', 'sd'].every((k) => typeof s[k] === 'number'))
        stats.set(code, s as unknown as IndicatorStats);
      return;
    }
    if (Array.isArray(o.children)) for (const child of o.children) visit(child);
  };
  visit(breakdown);
  return stats;
}
