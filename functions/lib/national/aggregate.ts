import { runKeys } from '#adapters/bucket-layout';
import type { CycleRecord, Repositories } from '#adapters/dynamo/index';
import { asTransient, isMissingObject } from '#adapters/transient';
import {
  decodePacked,
  type RelativeInputs,
  type RunStats,
  rankIntervals,
  type ScoreResult,
  score,
  scorePacked,
  statsFromInputs,
  type UncertaintyModel,
  uncertaintyModel,
} from '#domain/engine/index';
import { InternalError } from '#domain/errors';
import type { LoadedMethodology } from '#domain/methodology/load';
import {
  type NationalResult,
  nationalRanking,
  rankChanges,
  runCounts,
  scoredResult,
  summarizeRun,
  unrankedReason,
  unscoredResult,
} from '#domain/national';
import type { Region } from '#domain/regions';
import { submissionSchema } from '#domain/submission';
import { mapLimit } from '#util/pool';
import {
  type AggregateInput,
  type AggregateResult,
  type ManifestItem,
  manifestItem,
  type NationalRankingEntry,
  type NationalRegionResult,
  type RegionFile,
  regionFile,
  runContext,
} from './contracts';
import { cycleMethodology } from './freeze';

export interface AggregateObjects {
  getBytes(key: string): Promise<Buffer>;
  getJson<T = unknown>(key: string): Promise<T>;
  putJson(key: string, value: unknown): Promise<void>;
}

export interface AggregateDeps {
  repos: Pick<Repositories, 'cycles' | 'runs' | 'rankings'>;
  objects: AggregateObjects;
  methodologyOf: (id: string) => LoadedMethodology | undefined;
  /** Every region of the country (552): each appears in the results. */
  regions: readonly Region[];
}

const read = <T>(objects: AggregateObjects, key: string): Promise<T> =>
  objects.getJson<T>(key).catch((e: unknown) => asTransient(e, `reading ${key}`));
const write = (objects: AggregateObjects, key: string, value: unknown): Promise<void> =>
  objects.putJson(key, value).catch((e: unknown) => asTransient(e, `writing ${key}`));

/**
 * The sequential half of the national run: statistics over every region's relative inputs, each
 * region's score card with its derivation trace, predikat, standard competition ranks per cluster
 * (every region of the country listed, unranked ones with the reason), rank changes since the
 * previous cycle of the same index, rank intervals under the methodology's declared uncertainty
 * (seeded; the settings are stored with the results), the run summary. Deterministic: the same manifest gives the
 * same results; writes are per run id, so a replay rewrites the same and a re-run writes anew.
 */
export async function aggregateRun(input: AggregateInput, deps: AggregateDeps): Promise<AggregateResult> {
  const { cycleId } = input;
  const { runId } = input.run;
  const keys = runKeys(cycleId, runId);
  if (input.manifest.manifestKey !== keys.manifest)
    throw new InternalError('ManifestMismatch', `manifest ${input.manifest.manifestKey} is not the run's`);

  const [cycle, run] = await Promise.all([
    deps.repos.cycles.get(cycleId),
    deps.repos.runs.get(cycleId, runId),
  ]);
  if (!cycle) throw new InternalError('CycleNotFound', `cycle ${cycleId} does not exist`);
  if (!run) throw new InternalError('RunNotFound', `run ${runId} does not exist`);
  if (run.status !== 'RUNNING')
    throw new InternalError('RunNotRunning', `run ${runId} is ${run.status}; its results are frozen`);
  const context = runContext.parse(await read(deps.objects, keys.context));
  const methodology = cycleMethodology(deps.methodologyOf, context.methodology);
  const manifest = manifestItem.array().parse(await read(deps.objects, keys.manifest));

  // A region whose batch never completed has no file: it is `failed` (the run is then incomplete).
  const files = await mapLimit(manifest, 16, async (item): Promise<RegionFile | undefined> => {
    const raw = await deps.objects.getJson(keys.region(item.kode)).catch((e: unknown) => {
      if (isMissingObject(e)) return undefined;
      return asTransient(e, `reading ${keys.region(item.kode)}`);
    });
    return raw === undefined ? undefined : regionFile.parse(raw);
  });

  // Manifest order (region code): statistics are summed in the same order on every run.
  const inputs: RelativeInputs[] = files.flatMap((f) =>
    f?.outcome === 'loaded' && f.inputs ? [f.inputs] : [],
  );
  const stats = statsFromInputs(methodology, inputs);

  // Each scored card is reduced at once to its row of leaf values: the rank intervals need no traces.
  const model = uncertaintyModel(methodology);
  const rows = new Map<string, Float64Array>();
  const scored = await mapLimit(manifest, 8, (item, i) =>
    regionResult(item, files[i], methodology, stats, deps.objects, input, context.methodology, {
      model,
      rows,
    }),
  );
  const byCode = new Map(scored.map((r) => [r.region, r]));
  const results = deps.regions.map(
    (region) => byCode.get(region.kode) ?? unscoredResult(methodology, region.kode, 'not-submitted'),
  );
  const cardKeys = new Set(manifest.map((m) => m.kode));

  const ranking = nationalRanking(methodology, results);
  const intervals = rankIntervals(model, rows, ranking.rankings);
  const previous = await previousRanks(deps.repos, cycle);
  const regionOf = new Map(deps.regions.map((r) => [r.kode, r]));
  const ref = { id: methodology.id, hash: methodology.hash };

  const regionResults: NationalRegionResult[] = results.map((r) => {
    const ranks = ranking.ranks.get(r.region) ?? {};
    const before = previous.get(r.region);
    const unranked = unrankedReason(r);
    return {
      cycleId,
      runId,
      kode: r.region,
      nama: regionOf.get(r.region)?.nama ?? r.region,
      provinsi: regionOf.get(r.region)?.provinsi ?? r.region.slice(0, 2),
      score: r.index,
      display: r.display,
      predikat: r.predikat,
      predikatEn: r.predikatEn,
      eligible: r.eligible,
      outcome: r.outcome,
      ...(unranked ? { unranked } : {}),
      ...(r.reasons[0] ? { reason: r.reasons[0].id } : {}),
      reasons: r.reasons,
      ranks,
      clusters: ranking.clusters.get(r.region) ?? [],
      rankChange: rankChanges(ranks, before),
      ...(before ? { previousRanks: before } : {}),
      ...(intervals.has(r.region) ? { intervals: intervals.get(r.region) } : {}),
      methodology: ref,
      ...(r.submissionId ? { submissionId: r.submissionId } : {}),
      ...(cardKeys.has(r.region) ? { traceKey: keys.card(r.region) } : {}),
    };
  });
  const resultOf = new Map(regionResults.map((r) => [r.kode, r]));
  const entries: NationalRankingEntry[] = ranking.rankings.flatMap((c) =>
    c.entries.map((e) => {
      const r = resultOf.get(e.region);
      const change = r?.rankChange[c.cluster];
      const interval = r?.intervals?.[c.cluster];
      return {
        cycleId,
        runId,
        cluster: c.cluster,
        kode: e.region,
        nama: e.nama,
        provinsi: r?.provinsi ?? e.region.slice(0, 2),
        ...(e.rank !== null ? { rank: e.rank } : {}),
        score: e.index,
        display: e.display,
        predikat: e.predikat,
        eligible: r?.eligible ?? true,
        outcome: r?.outcome ?? 'not-submitted',
        ...(r?.unranked ? { unranked: r.unranked } : {}),
        ...(r?.reason ? { reason: r.reason } : {}),
        ...(change !== undefined ? { rankChange: change } : {}),
        ...(interval ? { interval } : {}),
      };
    }),
  );

  const summary = summarizeRun(methodology, results, ranking);
  const counts = runCounts(summary);
  await deps.repos.rankings.putEntries(entries);
  await deps.repos.rankings.putRegionResults(regionResults);
  await write(deps.objects, keys.results, {
    cycleId,
    runId,
    methodology: ref,
    summary,
    uncertainty: model.settings,
    results: regionResults,
  });
  const recorded = await deps.repos.runs.recordResults(cycleId, runId, {
    resultKey: keys.results,
    counts,
    summary: { ...summary },
  });
  if (recorded.outcome !== 'applied')
    throw new InternalError('RunNotRunning', `run ${runId} left RUNNING while aggregating`);
  return { resultKey: keys.results, counts };
}

/** Scores one submitting region with the run's statistics and writes its card (or its problems). */
async function regionResult(
  item: ManifestItem,
  file: RegionFile | undefined,
  methodology: LoadedMethodology,
  stats: RunStats,
  objects: AggregateObjects,
  input: AggregateInput,
  ref: { id: string; hash: string },
  uncertainty: { model: UncertaintyModel; rows: Map<string, Float64Array> },
): Promise<NationalResult> {
  const keys = runKeys(input.cycleId, input.run.runId);
  const base = {
    cycleId: input.cycleId,
    runId: input.run.runId,
    kode: item.kode,
    submissionId: item.submissionId,
    sourceKey: item.sourceKey,
    methodology: ref,
  };
  if (file?.outcome !== 'loaded' || !file.submissionKey) {
    const outcome = file?.outcome === 'invalid' ? 'invalid' : 'failed';
    const result = unscoredResult(methodology, item.kode, outcome, item.submissionId);
    await write(objects, keys.card(item.kode), {
      ...base,
      outcome,
      result,
      problems: file?.problems ?? [],
    });
    return result;
  }
  const submission = submissionSchema.parse(await read(objects, file.submissionKey));
  const card = score(methodology, submission, { stats, explain: false });
  // The published value comes from the packed form frozen for the run (the fast path); the card
  // keeps the derivation. Both must say the same, or the run stops rather than publish either.
  let published: ScoreResult = card;
  if (file.packedKey) {
    const key = file.packedKey;
    const bytes = await objects.getBytes(key).catch((e: unknown) => asTransient(e, `reading ${key}`));
    published = scorePacked(methodology, decodePacked(bytes), { stats });
    assertSamePublication(item.kode, published, card);
  }
  uncertainty.rows.set(item.kode, uncertainty.model.row(card.breakdown, stats));
  await write(objects, keys.card(item.kode), { ...base, outcome: 'scored', card, problems: file.problems });
  const result = scoredResult(card, item.submissionId);
  return {
    ...result,
    index: published.index,
    display: published.display,
    predikat: published.predikat,
    predikatEn: published.predikatEn,
  };
}

function assertSamePublication(kode: string, fast: ScoreResult, card: ScoreResult) {
  if (fast.index === card.index && fast.display === card.display && fast.predikat === card.predikat) return;
  throw new InternalError(
    'EngineMismatch',
    `${kode}: packed ${fast.display} (${fast.predikat}) differs from the traced card ${card.display} (${card.predikat})`,
  );
}

/**
 * Ranks of the previous cycle of the same index (latest FINAL run, else latest PROVISIONAL), by
 * region. Empty when there is none.
 */
async function previousRanks(
  repos: Pick<Repositories, 'cycles' | 'runs' | 'rankings'>,
  cycle: CycleRecord,
): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  let previous: CycleRecord | undefined;
  let cursor: string | undefined;
  do {
    const page = await repos.cycles.list({ limit: 100, cursor });
    for (const c of page.items)
      if (c.index === cycle.index && c.period < cycle.period && (!previous || c.period > previous.period))
        previous = c;
    cursor = page.cursor;
  } while (cursor);
  if (!previous) return out;
  const run =
    (await repos.runs.latest(previous.cycleId, 'FINAL')) ??
    (await repos.runs.latest(previous.cycleId, 'PROVISIONAL'));
  if (!run) return out;
  cursor = undefined;
  do {
    const page = await repos.rankings.listRegionResults(run.runId, { limit: 500, cursor });
    for (const r of page.items) out.set(r.kode, r.ranks);
    cursor = page.cursor;
  } while (cursor);
  return out;
}
