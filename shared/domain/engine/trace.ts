import { indicatorLeaves } from '../methodology/leaves';
import type { AggregateNode, BilingualText, HierarchyNode, RepeatedGroupNode } from '../methodology/schema';
import type { Answer, GroupItem, Submission } from '../submission';
import type { CompiledMethodology } from './compile';
import { compileItemEvaluator, countScorePoints } from './evaluate';
import { explainLeaf, type LeafDetail, type LeafStatus, type RunStats, scoreLeaf } from './leaf';

/** Every node's score with what went into it: "why is our score 47.04?" answered by the data. */
export type NodeTrace = IndicatorTrace | AggregateTrace | GroupTrace;

interface TraceBase {
  weight: number;
  /** The node's value on its own scale; null when excluded (pending or not scored). */
  score: number | null;
  max: number;
  /** What this node adds to its parent's score (weight x score, divided by the weights for a mean). */
  contribution: number | null;
}

export interface IndicatorTrace extends TraceBase, LeafDetail {
  kind: 'indicator';
  code: string;
  name: BilingualText;
  rule: string;
  input: Answer | null;
  /** Words for people; filled by `explainTrace` for one card, left out of national runs. */
  explanation?: string;
}

export interface AggregateTrace extends TraceBase {
  kind: 'aggregate';
  id: string;
  name: BilingualText;
  aggregation: AggregateNode['aggregation'];
  /** Sum of the weights of the children that were scored (the divisor of a weighted mean). */
  weightsUsed: number;
  children: NodeTrace[];
}

/** One column of a repeated group's per-item table: a leaf of the item hierarchy. */
export interface GroupColumn {
  code: string;
  name: BilingualText;
  /** The leaf's weight within its parent node of the item hierarchy. */
  weight: number;
  max: number;
}

/**
 * One item (innovation) of a repeated group, as a row aligned to the group's `columns`: a national
 * run traces 31,719 innovations x 20 indicators, so each row is four flat arrays, not 20 objects.
 * `traceGroupItem` gives the full object trace of one item on demand.
 */
export interface GroupItemTrace {
  id: string;
  name?: string;
  status: 'accepted' | 'rejected';
  score: number;
  max: number;
  statuses: LeafStatus[];
  levels: (number | null)[];
  rawValues: (number | null)[];
  /** The leaf value (level value or normalised score); points = column weight x value. */
  values: number[];
  /**
   * What verification did to this item's answers: each rejected indicator, and each one accepted
   * with a note (adjusted), with the assessor's note. Verification decisions fill `status`/`note`.
   */
  review: ItemReview[];
}

export interface ItemReview {
  code: string;
  name: BilingualText;
  outcome: 'rejected' | 'adjusted';
  note: string | null;
}

export interface GroupTrace extends TraceBase {
  kind: 'repeated-group';
  id: string;
  name: BilingualText;
  group: string;
  reported: number;
  accepted: number;
  itemsTotal: number;
  minDivisor: number;
  divisor: number;
  countScore: {
    counted: number;
    perItem: number;
    cap: number;
    points: number;
    conditionMet: boolean;
    covered: string[];
    /** The basic-service values of the coverage condition not covered by any accepted item. */
    missing: string[];
    /** How many must be covered (the condition's `atLeast`); 0 without a condition. */
    required: number;
  } | null;
  columns: GroupColumn[];
  items: GroupItemTrace[];
}

export function traceRoot(c: CompiledMethodology, submission: Submission, stats?: RunStats): AggregateTrace {
  const root = traceAggregate(c, c.methodology.root, submission.indicators, submission, stats);
  root.contribution = root.score;
  return root;
}

function traceNode(
  c: CompiledMethodology,
  node: HierarchyNode,
  answers: Record<string, Answer>,
  submission: Submission,
  stats: RunStats | undefined,
): NodeTrace {
  if (node.kind === 'indicator')
    return traceIndicator(c, node.indicator, node.weight, answers, submission, stats);
  if (node.kind === 'repeated-group') return traceGroup(c, node, submission);
  return traceAggregate(c, node, answers, submission, stats);
}

function traceIndicator(
  c: CompiledMethodology,
  code: string,
  weight: number,
  answers: Record<string, Answer>,
  submission: Submission,
  stats: RunStats | undefined,
): IndicatorTrace {
  const indicator = c.indicators.get(code);
  const answer = answers[code];
  // One fixed shape for every leaf: the trace of a national run holds 634,000 of them.
  const trace: IndicatorTrace = {
    kind: 'indicator',
    code,
    name: indicator?.def.name ?? { id: code, en: code },
    rule: indicator?.def.rule.type ?? 'unknown',
    input: answer ?? null,
    status: 'missing',
    level: undefined,
    rawValue: undefined,
    stats: undefined,
    weight,
    score: 0,
    max: indicator?.max ?? 0,
    contribution: null,
  };
  const value = indicator ? scoreLeaf(indicator, answer, submission, stats, trace) : 0;
  trace.score = Number.isNaN(value) ? null : value;
  return trace;
}

/** Adds the words to every leaf of one card's trace. */
export function explainTrace(c: CompiledMethodology, node: NodeTrace): void {
  if (node.kind === 'indicator') {
    const indicator = c.indicators.get(node.code);
    node.explanation = indicator ? explainLeaf(indicator, node) : 'unknown indicator';
    return;
  }
  if (node.kind === 'aggregate') {
    for (const child of node.children) explainTrace(c, child);
    return;
  }
  // Group items are rows of numbers; `traceGroupItem` explains one item on demand.
}

function traceAggregate(
  c: CompiledMethodology,
  node: AggregateNode,
  answers: Record<string, Answer>,
  submission: Submission,
  stats: RunStats | undefined,
): AggregateTrace {
  const children = node.children.map((child) => traceNode(c, child, answers, submission, stats));
  const scored = children.filter((t) => t.score !== null);
  const weightsUsed = scored.reduce((s, t) => s + t.weight, 0);
  let score: number | null = null;
  if (scored.length > 0) {
    if (node.aggregation === 'weighted-sum') {
      score = 0;
      for (const t of scored) score += t.weight * (t.score ?? 0);
    } else if (node.aggregation === 'weighted-mean') {
      let sum = 0;
      for (const t of scored) sum += t.weight * (t.score ?? 0);
      score = weightsUsed > 0 ? sum / weightsUsed : null;
    } else if (weightsUsed > 0) {
      let logSum = 0;
      let zero = false;
      for (const t of scored) {
        const v = t.score ?? 0;
        if (v <= 0) zero = true;
        else logSum += t.weight * Math.log(v);
      }
      score = zero ? 0 : Math.exp(logSum / weightsUsed);
    }
  }
  for (const t of children) {
    if (t.score === null) continue;
    if (node.aggregation === 'weighted-sum') t.contribution = t.weight * t.score;
    else if (node.aggregation === 'weighted-mean') t.contribution = (t.weight * t.score) / weightsUsed;
  }
  return {
    kind: 'aggregate',
    id: node.id,
    name: node.name,
    aggregation: node.aggregation,
    weight: node.weight,
    weightsUsed,
    score,
    max: c.maxOf(node),
    contribution: null,
    children,
  };
}

function traceGroup(c: CompiledMethodology, node: RepeatedGroupNode, submission: Submission): GroupTrace {
  const items = submission.groups[node.group] ?? [];
  const itemMax = c.maxOf(node.item);
  const columns = groupColumns(c, node);
  const leaves = columns.map((col) => c.indicators.get(col.code));
  const itemScore = compileItemEvaluator(c, node);
  const detail: LeafDetail = { status: 'missing', level: undefined, rawValue: undefined, stats: undefined };
  let itemsTotal = 0;
  let accepted = 0;
  const itemTraces: GroupItemTrace[] = [];
  for (const item of items) {
    const rejected = item.status === 'rejected';
    const width = rejected ? 0 : leaves.length;
    const statuses = new Array<LeafStatus>(width);
    const levels = new Array<number | null>(width);
    const rawValues = new Array<number | null>(width);
    const values = new Array<number>(width);
    let score = 0;
    if (!rejected) {
      accepted++;
      for (let i = 0; i < width; i++) {
        const indicator = leaves[i];
        detail.status = 'missing';
        detail.level = undefined;
        detail.rawValue = undefined;
        const value = indicator
          ? scoreLeaf(indicator, item.indicators[indicator.code], submission, undefined, detail)
          : 0;
        statuses[i] = detail.status;
        levels[i] = detail.level ?? null;
        rawValues[i] = detail.rawValue ?? null;
        values[i] = Number.isNaN(value) ? 0 : value;
      }
      const v = itemScore(item.indicators, submission, undefined);
      score = Number.isNaN(v) ? 0 : v;
      itemsTotal += score;
    }
    const review: ItemReview[] = [];
    leaves.forEach((indicator, i) => {
      const answer = indicator ? item.indicators[indicator.code] : undefined;
      if (!indicator || !answer) return;
      const rejectedAnswer = rejected || answer.status === 'rejected';
      if (!rejectedAnswer && answer.note === undefined) return;
      review.push({
        code: indicator.code,
        name: columns[i]?.name ?? indicator.def.name,
        outcome: rejectedAnswer ? 'rejected' : 'adjusted',
        note: answer.note ?? null,
      });
    });
    itemTraces.push({
      id: item.id,
      ...(item.name !== undefined ? { name: item.name } : {}),
      status: rejected ? 'rejected' : 'accepted',
      score,
      max: itemMax,
      statuses,
      levels,
      rawValues,
      values,
      review,
    });
  }
  const divisor = Math.max(node.minDivisor, items.length);
  const count = countScorePoints(node.countScore, items, accepted);
  return {
    kind: 'repeated-group',
    id: node.id,
    name: node.name,
    group: node.group,
    weight: node.weight,
    reported: items.length,
    accepted,
    itemsTotal,
    minDivisor: node.minDivisor,
    divisor,
    countScore: node.countScore
      ? {
          ...count,
          perItem: node.countScore.perItem,
          cap: node.countScore.cap,
          missing: (node.countScore.condition?.values ?? []).filter((v) => !count.covered.includes(v)),
          required: node.countScore.condition?.atLeast ?? 0,
        }
      : null,
    columns,
    items: itemTraces,
    score: itemsTotal / divisor + count.points,
    max: c.maxOf(node),
    contribution: null,
  };
}

const columnCache = new WeakMap<RepeatedGroupNode, GroupColumn[]>();

/** The leaves of the item hierarchy in order: the columns of the per-item table. */
export function groupColumns(c: CompiledMethodology, node: RepeatedGroupNode): GroupColumn[] {
  const hit = columnCache.get(node);
  if (hit) return hit;
  const columns: GroupColumn[] = indicatorLeaves(node.item).map((leaf) => {
    const indicator = c.indicators.get(leaf.indicator);
    return {
      code: leaf.indicator,
      name: indicator?.def.name ?? { id: leaf.indicator, en: leaf.indicator },
      weight: leaf.weight,
      max: indicator?.max ?? 0,
    };
  });
  columnCache.set(node, columns);
  return columns;
}

/** The full object trace of one item of a repeated group, for a person reading one innovation. */
export function traceGroupItem(
  c: CompiledMethodology,
  node: RepeatedGroupNode,
  item: GroupItem,
  submission: Submission,
): AggregateTrace {
  const trace = traceAggregate(
    c,
    node.item,
    item.status === 'rejected' ? {} : item.indicators,
    submission,
    undefined,
  );
  explainTrace(c, trace);
  return trace;
}
