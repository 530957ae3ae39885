import type { AggregateNode, BilingualText, HierarchyNode, RepeatedGroupNode } from '../methodology/schema';
import type { Answer, Submission } from '../submission';
import type { CompiledMethodology } from './compile';
import { countScorePoints } from './evaluate';
import { type LeafDetail, type LeafStatus, type RunStats, scoreLeaf } from './leaf';

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

export interface IndicatorTrace extends TraceBase {
  kind: 'indicator';
  code: string;
  name: BilingualText;
  rule: string;
  input: Answer | null;
  status: LeafStatus;
  level?: number;
  rawValue?: number;
  explanation: string;
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

export interface GroupItemTrace {
  id: string;
  name?: string;
  status: 'accepted' | 'rejected';
  score: number;
  max: number;
  indicators: NodeTrace[];
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
  } | null;
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
  const detail: LeafDetail = { status: 'missing', explanation: '' };
  const value = indicator ? scoreLeaf(indicator, answer, submission, stats, detail) : 0;
  return {
    kind: 'indicator',
    code,
    name: indicator?.def.name ?? { id: code, en: code },
    rule: indicator?.def.rule.type ?? 'unknown',
    input: answer ?? null,
    status: detail.status,
    ...(detail.level !== undefined ? { level: detail.level } : {}),
    ...(detail.rawValue !== undefined ? { rawValue: detail.rawValue } : {}),
    explanation: detail.explanation,
    weight,
    score: Number.isNaN(value) ? null : value,
    max: indicator?.max ?? 0,
    contribution: null,
  };
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
  let itemsTotal = 0;
  let accepted = 0;
  const itemTraces: GroupItemTrace[] = items.map((item) => {
    if (item.status === 'rejected') {
      return {
        id: item.id,
        ...(item.name !== undefined ? { name: item.name } : {}),
        status: 'rejected',
        score: 0,
        max: itemMax,
        indicators: [],
      };
    }
    accepted++;
    const trace = traceAggregate(c, node.item, item.indicators, submission, undefined);
    const score = trace.score ?? 0;
    itemsTotal += score;
    return {
      id: item.id,
      ...(item.name !== undefined ? { name: item.name } : {}),
      status: 'accepted',
      score,
      max: itemMax,
      indicators: trace.children,
    };
  });
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
      ? { ...count, perItem: node.countScore.perItem, cap: node.countScore.cap }
      : null,
    items: itemTraces,
    score: itemsTotal / divisor + count.points,
    max: c.maxOf(node),
    contribution: null,
  };
}
