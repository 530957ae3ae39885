import type { RegionResultRecord } from '#adapters/dynamo/index';
import { logger } from '#adapters/observability';
import type { LoadedMethodology } from '#domain/methodology/load';
import { findRegion } from '#domain/regions';
import { assertCanSeeRegion, type Caller } from '#http/auth';
import { notFound } from '#http/errors';
import { problemSchema, type RegionDetail, type TraceNode, traceNodeSchema } from '#http/openapi-results';
import { assertAnyRole, resolveRun } from './access';
import type { ResultsDeps } from './deps';
import { regionResult } from './load';
import { regionScores } from './scores';
import {
  bilingualList,
  clusterName,
  cycleRef,
  displayOf,
  extra,
  intervalOf,
  methodologyOf,
  num,
  obj,
  regionRef,
  runRef,
  str,
} from './views';

/** The region's card inside a trace document: the document itself, or its entry for the region. */
export function cardOf(doc: unknown, kode: string): Record<string, unknown> | undefined {
  const pick = (items: unknown[]) =>
    items.map(obj).find((item) => item && (item.region === kode || item.kode === kode));
  if (Array.isArray(doc)) return pick(doc);
  const o = obj(doc);
  if (!o) return undefined;
  for (const name of ['regions', 'results', 'cards']) {
    const list = o[name];
    if (Array.isArray(list)) return pick(list);
    const byCode = obj(list)?.[kode];
    if (byCode) return obj(byCode);
  }
  const inner = obj(o.card);
  return inner ? { ...o, ...inner } : o;
}

/** What the detail needs from a region's trace: parsed once per container (the trace never changes). */
export interface RegionCard {
  /** The card's small members (submission, methodology, totals, eligibility), without the trace. */
  card: Record<string, unknown> | undefined;
  breakdown: TraceNode | null;
  warnings: RegionDetail['trace']['warnings'];
  components: RegionDetail['components'];
}

const NO_CARD: RegionCard = { card: undefined, breakdown: null, warnings: [], components: [] };

export async function regionCard(deps: ResultsDeps, traceKey: string, kode: string): Promise<RegionCard> {
  const found = cardOf(await deps.traces.read(traceKey), kode);
  if (!found) return NO_CARD;
  const { breakdown: raw, warnings: engineWarnings, problems, ...card } = found;
  let breakdown: TraceNode | null = null;
  if (raw !== undefined) {
    const parsed = traceNodeSchema.safeParse(raw);
    if (parsed.success) breakdown = parsed.data;
    else logger().warn('trace breakdown does not match the schema', { traceKey });
  }
  // Engine warnings of the card, then the run's own problems with the region's data.
  const warnings: RegionDetail['trace']['warnings'] = [];
  for (const list of [engineWarnings, problems])
    if (Array.isArray(list))
      for (const item of list) {
        const parsed = problemSchema.safeParse(item);
        if (parsed.success) warnings.push(parsed.data);
      }
  return { card, breakdown, warnings, components: componentsOf(breakdown) };
}

/** Variables/aspects and their dimensions: what a chart of the breakdown shows. */
export function componentsOf(root: TraceNode | null): RegionDetail['components'] {
  const out: RegionDetail['components'] = [];
  const visit = (node: TraceNode, depth: number, parent: string | null) => {
    for (const child of node.children ?? []) {
      if (child.kind === 'indicator') continue;
      const id = child.id ?? child.code ?? child.name.id;
      out.push({
        id,
        name: { id: child.name.id, en: child.name.en },
        depth,
        parent,
        kind: child.kind,
        weight: child.weight,
        score: child.score,
        max: child.max,
        contribution: child.contribution,
        percent: child.score !== null && child.max > 0 ? (child.score / child.max) * 100 : null,
      });
      if (depth < 2) visit(child, depth + 1, id);
    }
  };
  if (root) visit(root, 1, null);
  return out;
}

function submissionOf(card: Record<string, unknown> | undefined, result: RegionResultRecord) {
  const sub = obj(card?.submission);
  const object = obj(sub?.object) ?? obj(card?.object) ?? sub;
  const submissionId =
    str(card?.submissionId) ?? str(sub?.submissionId) ?? str(extra(result, 'submissionId'));
  if (!submissionId) return null;
  return {
    submissionId,
    uploadedAt: str(sub?.uploadedAt) ?? str(card?.uploadedAt) ?? null,
    objectKey: str(object?.key) ?? str(card?.sourceKey) ?? str(card?.objectKey) ?? null,
    versionId: str(object?.versionId) ?? str(card?.versionId) ?? null,
  };
}

const SURVEY_LABELS = {
  paper: { id: 'survei kertas', en: 'paper survey' },
  channel: { id: 'survei daring (kode undangan)', en: 'online survey (invitation codes)' },
} as const;

/** How the card's survey was collected: a paper survey is marked as such, with its scan. */
export function surveyOf(card: Record<string, unknown> | undefined): RegionDetail['survey'] {
  const source = card?.surveySource;
  if (source !== 'paper' && source !== 'channel') return null;
  return { source, label: { ...SURVEY_LABELS[source] }, scan: str(card?.surveyScan) ?? null };
}

function eligibilityOf(card: Record<string, unknown> | undefined, result: RegionResultRecord) {
  const reasons: RegionDetail['eligibility']['reasons'] = [];
  const list = card?.ineligibility;
  if (Array.isArray(list))
    for (const item of list) {
      const o = obj(item);
      const message_id = str(o?.message_id);
      const message_en = str(o?.message_en);
      if (!o || !message_id || !message_en) continue;
      reasons.push({
        rule: str(o.rule) ?? '',
        field: str(o.field) ?? '',
        found: str(o.found) ?? null,
        message_id,
        message_en,
      });
    }
  return { eligible: result.eligible, reasons };
}

function ranksOf(result: RegionResultRecord, methodology: LoadedMethodology | undefined) {
  const clusters = result.clusters?.length ? result.clusters : Object.keys(result.ranks ?? {});
  return clusters.map((cluster) => ({
    cluster,
    name: clusterName(methodology, cluster),
    rank: num(result.ranks?.[cluster]) ?? null,
    interval: intervalOf(obj(extra(result, 'intervals'))?.[cluster]),
  }));
}

/**
 * A region's result in the run the caller may see (region detail and advice share these checks,
 * hence the same 404s): the caller's role and region, a known Kemendagri code, the resolved run.
 */
export async function visibleRegionResult(
  deps: ResultsDeps,
  caller: Caller,
  cycleId: string,
  kode: string,
  runId: string | undefined,
) {
  assertAnyRole(caller);
  assertCanSeeRegion(caller, kode);
  if (!findRegion(kode))
    throw notFound(
      `Wilayah ${kode} (bukan kode Kemendagri yang dikenal)`,
      `Region ${kode} (not a known Kemendagri code)`,
    );
  const resolved = await resolveRun(deps, caller, cycleId, runId);
  const { run } = resolved;
  const result = await regionResult(deps, run, kode);
  if (!result)
    throw notFound(
      `Hasil wilayah ${kode} pada penilaian ${run.runId}`,
      `The result of region ${kode} in run ${run.runId}`,
    );
  return { resolved, run, result };
}

/** GET /cycles/{cycleId}/regions/{kode}: the score card, its trace and where it came from. */
export async function regionDetail(
  deps: ResultsDeps,
  caller: Caller,
  cycleId: string,
  kode: string,
  runId: string | undefined,
): Promise<{ body: RegionDetail; published: boolean }> {
  const { resolved, run, result } = await visibleRegionResult(deps, caller, cycleId, kode, runId);
  const methodology = methodologyOf(run);
  const traceKey = result.traceKey;
  const { card, breakdown, warnings, components } = traceKey
    ? await deps.caches.cards.get(`${traceKey}#${kode}`, () => regionCard(deps, traceKey, kode))
    : NO_CARD;
  const cardMethodology = obj(card?.methodology);
  // The shipped methodology's version is only quoted when it is the very one the run used.
  const sameHash = methodology?.hash === result.methodology.hash;
  const predikatEn =
    str(extra(result, 'predikatEn')) ??
    str(card?.predikatEn) ??
    methodology?.predikat.bands.find((b) => b.label === result.predikat)?.en ??
    (methodology && result.predikat === methodology.predikat.notAssessable.label
      ? methodology.predikat.notAssessable.en
      : undefined);
  const assessable = extra(result, 'assessable') ?? card?.assessable;
  const body: RegionDetail = {
    cycle: cycleRef(resolved.cycle),
    run: runRef(resolved, deps.now()),
    region: regionRef(kode, result.nama),
    result: {
      index: num(result.score) ?? null,
      display: displayOf(result, methodology),
      predikat: result.predikat ?? null,
      predikatEn: predikatEn ?? null,
      eligible: result.eligible,
      assessable: typeof assessable === 'boolean' ? assessable : null,
      outcome: str(extra(result, 'outcome')) ?? str(card?.outcome) ?? null,
      reasons: bilingualList(extra(result, 'reasons') ?? card?.reasons ?? result.reason),
      ranks: ranksOf(result, methodology),
    },
    eligibility: eligibilityOf(card, result),
    methodology: {
      id: result.methodology.id,
      hash: result.methodology.hash,
      version: str(cardMethodology?.version) ?? (sameHash ? methodology?.version : undefined) ?? null,
      period: num(cardMethodology?.period) ?? (sameHash ? methodology?.period : undefined) ?? null,
    },
    submission: submissionOf(card, result),
    survey: surveyOf(card),
    components,
    trace: {
      key: result.traceKey ?? null,
      available: breakdown !== null,
      rawTotal: num(card?.rawTotal) ?? null,
      rawMax: num(card?.rawMax) ?? null,
      scale: num(card?.scale) ?? null,
      breakdown,
      warnings,
    },
    scores: await regionScores(deps, cycleId, kode, {
      index: num(result.score) ?? null,
      display: displayOf(result, methodology),
      predikat: result.predikat ?? null,
    }),
  };
  return { body, published: resolved.published };
}
