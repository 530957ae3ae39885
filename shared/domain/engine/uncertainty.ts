/**
 * Rank intervals (Monte-Carlo sensitivity analysis, as the JRC's COINr `get_sensitivity`), in every
 * national run. The methodology declares how uncertain its own choices are (`uncertainty`): each
 * weight is drawn in w × (1 ± p), renormalised among its siblings, and each relative indicator may be
 * normalised another way. Each sample re-scores every ranked region and re-ranks each cluster; a
 * region's interval is the 5th–95th percentile of its ranks.
 *
 * Fast because nothing is re-scored from submissions: each region's traced score card is reduced
 * once to a row of leaf values (one per indicator, per alternative normalisation, per column sum of
 * a repeated group divided by its divisor), so a sample is a weighted recombination of those rows.
 * When every aggregation is a weighted sum (IID), the recombination is one dot product per region
 * with per-sample leaf coefficients (the product of the weights on the leaf's path). Pure.
 */
import type { LoadedMethodology } from '../methodology/load';
import type { HierarchyNode, ScoringRule } from '../methodology/schema';
import type { Submission } from '../submission';
import { type CompiledIndicator, compile } from './compile';
import { type RunStats, scoreLeaf } from './leaf';
import type { ClusterRanking } from './rank';
import type { AggregateTrace, GroupTrace, IndicatorTrace, NodeTrace } from './trace';

export type Normalisation = 'min-max' | 'z-score';

/** The methodology's declaration with its defaults applied: what a run records. */
export interface UncertaintySettings {
  samples: number;
  seed: number;
  /** Default relative half-width of each weight's uniform perturbation. */
  perturbation: number;
  /** Per node id or indicator code. */
  overrides: Record<string, number>;
  normalisations: Normalisation[];
}

export const DEFAULT_SAMPLES = 1000;
export const DEFAULT_PERTURBATION = 0.25;

export function uncertaintySettings(m: LoadedMethodology): UncertaintySettings {
  const u = m.uncertainty ?? {};
  return {
    samples: u.samples ?? DEFAULT_SAMPLES,
    seed: u.seed ?? fnv1a32(m.hash),
    perturbation: u.weights?.perturbation ?? DEFAULT_PERTURBATION,
    overrides: u.weights?.overrides ?? {},
    normalisations: u.normalisations ?? ['min-max', 'z-score'],
  };
}

/** One region's rank in one cluster, with its interval over the samples. */
export interface RankInterval {
  /** The official rank (from the official weights). */
  rank: number;
  median: number;
  p5: number;
  p95: number;
  /** Other ranked regions of the cluster whose P5–P95 interval overlaps this one. */
  tiedWith: number;
}

const SUM = 0;
const MEAN = 1;
const GEO = 2;
const LEAF = 3;

/** The hierarchy flattened in pre-order (a parent before its children) into typed arrays. */
export interface UncertaintyModel {
  settings: UncertaintySettings;
  nodes: number;
  parent: Int32Array;
  weight: Float64Array;
  perturbation: Float64Array;
  kind: Uint8Array;
  /** Leaves: the first slot of the region row; -1 for inner nodes. */
  slot: Int32Array;
  /** Leaves: how many slots (normalisations) the leaf has. */
  options: Int32Array;
  children: Int32Array[];
  /** Slots per region row. */
  width: number;
  /** Every aggregation is a weighted sum: samples are dot products. */
  linear: boolean;
  /** Turns one region's traced breakdown into its row of leaf values. */
  row(breakdown: AggregateTrace, stats: RunStats | undefined): Float64Array;
}

interface Building {
  parent: number[];
  weight: number[];
  perturbation: number[];
  kind: number[];
  slot: number[];
  options: number[];
  children: number[][];
  width: number;
  linear: boolean;
}

type Filler = (trace: NodeTrace, row: Float64Array, stats: RunStats | undefined) => void;

export function uncertaintyModel(
  methodology: LoadedMethodology,
  settings: UncertaintySettings = uncertaintySettings(methodology),
): UncertaintyModel {
  const c = compile(methodology);
  const b: Building = {
    parent: [],
    weight: [],
    perturbation: [],
    kind: [],
    slot: [],
    options: [],
    children: [],
    width: 0,
    linear: true,
  };
  const p = (key: string) => settings.overrides[key] ?? settings.perturbation;
  const addNode = (parent: number, weight: number, perturbation: number, kind: number): number => {
    const i = b.parent.length;
    b.parent.push(parent);
    b.weight.push(weight);
    b.perturbation.push(parent < 0 ? 0 : perturbation);
    b.kind.push(kind);
    b.slot.push(-1);
    b.options.push(0);
    b.children.push([]);
    if (parent >= 0) b.children[parent]?.push(i);
    return i;
  };
  const addLeaf = (parent: number, weight: number, perturbation: number, options: number): number => {
    const i = addNode(parent, weight, perturbation, LEAF);
    b.slot[i] = b.width;
    b.options[i] = options;
    b.width += options;
    return i;
  };

  const build = (node: HierarchyNode, parent: number): Filler => {
    if (node.kind === 'indicator') {
      const indicator = c.indicators.get(node.indicator);
      const alternatives = indicator ? alternativeIndicators(indicator, settings.normalisations) : [];
      const i = addLeaf(parent, node.weight, p(node.indicator), 1 + alternatives.length);
      const slot = b.slot[i] as number;
      return (trace, row, stats) => {
        const t = trace as IndicatorTrace;
        row[slot] = t.score ?? Number.NaN;
        alternatives.forEach((alt, k) => {
          row[slot + 1 + k] =
            t.score === null ? Number.NaN : scoreLeaf(alt, t.input ?? undefined, NO_SUBMISSION, stats);
        });
      };
    }
    if (node.kind === 'repeated-group') {
      const item = node.item;
      const flat =
        item.aggregation === 'weighted-sum' && item.children.every((child) => child.kind === 'indicator');
      if (!flat) {
        // Not a sum of indicator columns: the group's score is kept as it is in every sample.
        const i = addLeaf(parent, node.weight, p(node.id), 1);
        const slot = b.slot[i] as number;
        return (trace, row) => {
          row[slot] = trace.score ?? Number.NaN;
        };
      }
      // Σ items Σ columns w·v / divisor + count = Σ columns w·(Σ items v / divisor) + count.
      const g = addNode(parent, node.weight, p(node.id), SUM);
      const columns = item.children.map((child) =>
        child.kind === 'indicator' ? b.slot[addLeaf(g, child.weight, p(child.indicator), 1)] : -1,
      ) as number[];
      const countSlot = b.slot[addLeaf(g, 1, 0, 1)] as number;
      return (trace, row) => {
        const t = trace as GroupTrace;
        const sums = new Float64Array(columns.length);
        for (const it of t.items) {
          if (it.status !== 'accepted') continue;
          for (let k = 0; k < sums.length; k++) sums[k] = (sums[k] as number) + (it.values[k] ?? 0);
        }
        columns.forEach((slot, k) => {
          row[slot] = (sums[k] as number) / t.divisor;
        });
        row[countSlot] = t.countScore?.points ?? 0;
      };
    }
    const kind =
      node.aggregation === 'weighted-sum' ? SUM : node.aggregation === 'weighted-mean' ? MEAN : GEO;
    if (kind !== SUM) b.linear = false;
    const i = addNode(parent, node.weight, p(node.id), kind);
    const fillers = node.children.map((child) => build(child, i));
    return (trace, row, stats) => {
      const t = trace as AggregateTrace;
      fillers.forEach((fill, k) => {
        const child = t.children[k];
        if (child) fill(child, row, stats);
      });
    };
  };
  const fillRoot = build(methodology.root, -1);

  return {
    settings,
    nodes: b.parent.length,
    parent: Int32Array.from(b.parent),
    weight: Float64Array.from(b.weight),
    perturbation: Float64Array.from(b.perturbation),
    kind: Uint8Array.from(b.kind),
    slot: Int32Array.from(b.slot),
    options: Int32Array.from(b.options),
    children: b.children.map((list) => Int32Array.from(list)),
    width: b.width,
    linear: b.linear,
    row(breakdown, stats) {
      const row = new Float64Array(b.width).fill(Number.NaN);
      fillRoot(breakdown, row, stats);
      return row;
    },
  };
}

/** Survey leaves read the submission; relative leaves never do (they only read the answer). */
const NO_SUBMISSION: Submission = {
  region: '',
  period: 0,
  methodology: '',
  profile: {},
  indicators: {},
  groups: {},
} as unknown as Submission;

/** The same relative indicator under the other declared normalisations (same direction, same scale). */
function alternativeIndicators(
  indicator: CompiledIndicator,
  allowed: readonly Normalisation[],
): CompiledIndicator[] {
  const rule = indicator.def.rule;
  if (rule.type !== 'min-max' && rule.type !== 'z-score') return [];
  return allowed
    .filter((type) => type !== rule.type)
    .map((type): CompiledIndicator => {
      const alt: ScoringRule =
        type === 'min-max'
          ? { type, direction: rule.direction, scale: rule.scale }
          : {
              type,
              direction: rule.direction,
              center: rule.scale / 2,
              spread: rule.scale / 10,
              scale: rule.scale,
            };
      return { ...indicator, def: { ...indicator.def, rule: alt } };
    });
}

/**
 * mulberry32 (Tommy Ettinger, 2017): a 32-bit state PRNG, one multiply-xorshift round per draw,
 * passes PractRand to 2^32 outputs: plenty for a few hundred thousand uniform draws per run.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, 32 bits: the default seed from the methodology hash (same methodology, same intervals). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Totals closer than this (relative to the largest) are the same value for ranking. */
const TIE_TOLERANCE = 1e-9;

/**
 * Rank intervals per ranked region and cluster. `rows` holds each ranked region's row (from
 * `model.row`); `rankings` the official per-cluster rankings (unranked entries are ignored).
 * Returns region → cluster → interval.
 */
export function rankIntervals(
  model: UncertaintyModel,
  rows: ReadonlyMap<string, Float64Array>,
  rankings: readonly ClusterRanking[],
): Map<string, Record<string, RankInterval>> {
  const { samples, seed } = model.settings;
  const { nodes, parent, weight, perturbation, kind, slot, options, children, width } = model;

  // Regions ranked anywhere, one matrix row each.
  const regionIndex = new Map<string, number>();
  const clusters = rankings.map((ranking) => {
    const ranked = ranking.entries.filter((e) => e.rank !== null);
    const members = new Int32Array(ranked.length);
    ranked.forEach((e, k) => {
      let i = regionIndex.get(e.region);
      if (i === undefined) {
        i = regionIndex.size;
        regionIndex.set(e.region, i);
      }
      members[k] = i;
    });
    return { id: ranking.cluster, ranked, members, official: Int32Array.from(ranked, (e) => e.rank ?? 0) };
  });
  const regions = regionIndex.size;
  const values = new Float64Array(regions * width);
  for (const [region, i] of regionIndex) {
    const row = rows.get(region);
    if (!row || row.length !== width)
      throw new Error(`rank intervals: no contributions for region ${region}`);
    values.set(row, i * width);
  }
  // In a sum, an excluded leaf adds nothing: NaN is 0 on the linear path.
  if (model.linear) for (let k = 0; k < values.length; k++) if (Number.isNaN(values[k])) values[k] = 0;

  const random = mulberry32(seed);
  const drawn = new Float64Array(nodes);
  const coefficient = new Float64Array(nodes);
  const choice = new Int32Array(nodes);
  const slotCoefficient = new Float64Array(width);
  const nodeValue = new Float64Array(nodes);
  const totals = new Float64Array(regions);
  const ranks = clusters.map((cl) => new Int32Array(cl.members.length * samples));
  const scratch = clusters.map((cl) => new Float64Array(cl.members.length));
  const unsorted = clusters.map((cl) => new Float64Array(cl.members.length));

  for (let s = 0; s < samples; s++) {
    // Weights: each drawn in w(1 ± p), then scaled so the perturbed siblings keep their sum.
    drawn[0] = weight[0] as number;
    for (let i = 0; i < nodes; i++) {
      const list = children[i] as Int32Array;
      if (list.length === 0) continue;
      let before = 0;
      let after = 0;
      for (let k = 0; k < list.length; k++) {
        const j = list[k] as number;
        const w = weight[j] as number;
        const pj = perturbation[j] as number;
        const v = w * (1 + (2 * random() - 1) * pj);
        drawn[j] = v;
        if (pj > 0) {
          before += w;
          after += v;
        }
      }
      if (after > 0)
        for (let k = 0; k < list.length; k++) {
          const j = list[k] as number;
          if ((perturbation[j] as number) > 0) drawn[j] = ((drawn[j] as number) * before) / after;
        }
    }
    // Normalisations: each relative leaf draws one of its slots.
    for (let i = 0; i < nodes; i++) {
      const n = options[i] as number;
      choice[i] = n > 1 ? Math.min(n - 1, Math.floor(random() * n)) : 0;
    }

    if (model.linear) {
      slotCoefficient.fill(0);
      coefficient[0] = 1;
      for (let i = 1; i < nodes; i++)
        coefficient[i] = (coefficient[parent[i] as number] as number) * (drawn[i] as number);
      for (let i = 0; i < nodes; i++)
        if (kind[i] === LEAF)
          slotCoefficient[(slot[i] as number) + (choice[i] as number)] = coefficient[i] as number;
      for (let r = 0; r < regions; r++) {
        let sum = 0;
        const base = r * width;
        for (let k = 0; k < width; k++) sum += (slotCoefficient[k] as number) * (values[base + k] as number);
        totals[r] = sum;
      }
    } else {
      for (let r = 0; r < regions; r++) {
        const base = r * width;
        for (let i = nodes - 1; i >= 0; i--) {
          if (kind[i] === LEAF) {
            nodeValue[i] = values[base + (slot[i] as number) + (choice[i] as number)] as number;
            continue;
          }
          nodeValue[i] = combine(kind[i] as number, children[i] as Int32Array, drawn, nodeValue);
        }
        const v = nodeValue[0] as number;
        totals[r] = Number.isNaN(v) ? 0 : v;
      }
    }

    for (let c = 0; c < clusters.length; c++) {
      const { members, official } = clusters[c] as (typeof clusters)[number];
      const keys = scratch[c] as Float64Array;
      const n = members.length;
      let largest = 0;
      for (let k = 0; k < n; k++)
        largest = Math.max(largest, Math.abs(totals[members[k] as number] as number));
      // Totals are compared to a quantum (they are summed in another order than the engine's),
      // and equal ones keep the official order: without perturbation, the official ranks.
      const quantum = largest > 0 ? largest * TIE_TOLERANCE : 1;
      for (let k = 0; k < n; k++)
        keys[k] =
          Math.round((totals[members[k] as number] as number) / quantum) * (n + 1) +
          (n - (official[k] as number));
      const own = unsorted[c] as Float64Array;
      own.set(keys);
      keys.sort();
      const out = ranks[c] as Int32Array;
      // Standard competition rank: 1 + how many keys are higher.
      for (let k = 0; k < n; k++) out[k * samples + s] = n - upperBound(keys, own[k] as number) + 1;
    }
  }

  const out = new Map<string, Record<string, RankInterval>>();
  clusters.forEach((cl, c) => {
    const all = ranks[c] as Int32Array;
    const n = cl.members.length;
    const p5 = new Int32Array(n);
    const p95 = new Int32Array(n);
    const median = new Int32Array(n);
    // Ranks are integers 1..n: a histogram finds the percentiles without sorting.
    const histogram = new Int32Array(n + 2);
    const at = (q: number) => Math.min(samples, Math.max(1, Math.ceil(q * samples)));
    for (let k = 0; k < n; k++) {
      histogram.fill(0);
      const base = k * samples;
      for (let s = 0; s < samples; s++) {
        const r = all[base + s] as number;
        histogram[r] = (histogram[r] as number) + 1;
      }
      p5[k] = nearestRank(histogram, at(0.05));
      median[k] = nearestRank(histogram, at(0.5));
      p95[k] = nearestRank(histogram, at(0.95));
    }
    for (let k = 0; k < n; k++) {
      let tied = 0;
      for (let j = 0; j < n; j++)
        if (j !== k && (p5[j] as number) <= (p95[k] as number) && (p5[k] as number) <= (p95[j] as number))
          tied++;
      const entry = cl.ranked[k];
      if (!entry || entry.rank === null) continue;
      let own = out.get(entry.region);
      if (!own) {
        own = {};
        out.set(entry.region, own);
      }
      own[cl.id] = {
        rank: entry.rank,
        median: median[k] as number,
        p5: p5[k] as number,
        p95: p95[k] as number,
        tiedWith: tied,
      };
    }
  });
  return out;
}

function combine(kind: number, list: Int32Array, drawn: Float64Array, nodeValue: Float64Array): number {
  let sum = 0;
  let used = 0;
  let scored = 0;
  let zero = false;
  for (let k = 0; k < list.length; k++) {
    const j = list[k] as number;
    const v = nodeValue[j] as number;
    if (Number.isNaN(v)) continue;
    const w = drawn[j] as number;
    scored++;
    used += w;
    if (kind === GEO) {
      if (v <= 0) zero = true;
      else sum += w * Math.log(v);
    } else sum += w * v;
  }
  if (scored === 0) return Number.NaN;
  if (kind === SUM) return sum;
  if (used <= 0) return Number.NaN;
  if (kind === MEAN) return sum / used;
  return zero ? 0 : Math.exp(sum / used);
}

/** First index whose value is greater than `v` in an ascending array. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The nearest-rank percentile: the smallest rank reached by `count` of the samples (count =
 * ⌈q·samples⌉). Monotone in q and always one of the sampled ranks.
 */
function nearestRank(histogram: Int32Array, count: number): number {
  let seen = 0;
  for (let r = 0; r < histogram.length; r++) {
    seen += histogram[r] as number;
    if (seen >= count) return r;
  }
  return histogram.length - 1;
}
