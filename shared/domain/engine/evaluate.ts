import type { AggregateNode, CountScore, HierarchyNode, RepeatedGroupNode } from '../methodology/schema';
import type { Answer, GroupItem, Submission } from '../submission';
import type { CompiledMethodology } from './compile';
import { type RunStats, scoreLeaf } from './leaf';

/**
 * The fast path: the raw total of a submission with no trace. NaN means "excluded" (nothing in the
 * node could be scored yet). The traced path (trace.ts) must agree with it exactly; a property test
 * holds them together.
 */
export function evaluateRaw(compiled: CompiledMethodology, submission: Submission, stats?: RunStats): number {
  return evalAggregate(compiled, compiled.methodology.root, submission.indicators, submission, stats);
}

function evalNode(
  c: CompiledMethodology,
  node: HierarchyNode,
  answers: Record<string, Answer>,
  submission: Submission,
  stats: RunStats | undefined,
): number {
  if (node.kind === 'indicator') {
    const indicator = c.indicators.get(node.indicator);
    return indicator ? scoreLeaf(indicator, answers[node.indicator], submission, stats) : 0;
  }
  if (node.kind === 'repeated-group') return evalGroup(c, node, submission);
  return evalAggregate(c, node, answers, submission, stats);
}

function evalAggregate(
  c: CompiledMethodology,
  node: AggregateNode,
  answers: Record<string, Answer>,
  submission: Submission,
  stats: RunStats | undefined,
): number {
  const children = node.children;
  switch (node.aggregation) {
    case 'weighted-sum': {
      let sum = 0;
      let scored = 0;
      for (let i = 0; i < children.length; i++) {
        const child = children[i] as HierarchyNode;
        const v = evalNode(c, child, answers, submission, stats);
        if (!Number.isNaN(v)) {
          sum += child.weight * v;
          scored++;
        }
      }
      return scored > 0 ? sum : Number.NaN;
    }
    case 'weighted-mean': {
      let sum = 0;
      let weights = 0;
      for (let i = 0; i < children.length; i++) {
        const child = children[i] as HierarchyNode;
        const v = evalNode(c, child, answers, submission, stats);
        if (!Number.isNaN(v)) {
          sum += child.weight * v;
          weights += child.weight;
        }
      }
      return weights > 0 ? sum / weights : Number.NaN;
    }
    case 'geometric-mean': {
      let logSum = 0;
      let weights = 0;
      let zero = false;
      for (let i = 0; i < children.length; i++) {
        const child = children[i] as HierarchyNode;
        const v = evalNode(c, child, answers, submission, stats);
        if (!Number.isNaN(v)) {
          if (v <= 0) zero = true;
          else logSum += child.weight * Math.log(v);
          weights += child.weight;
        }
      }
      if (weights === 0) return Number.NaN;
      return zero ? 0 : Math.exp(logSum / weights);
    }
  }
}

function evalGroup(c: CompiledMethodology, node: RepeatedGroupNode, submission: Submission): number {
  const items = submission.groups[node.group] ?? [];
  let sum = 0;
  let accepted = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as GroupItem;
    if (item.status === 'rejected') continue;
    accepted++;
    const v = evalAggregate(c, node.item, item.indicators, submission, undefined);
    if (!Number.isNaN(v)) sum += v;
  }
  const divisor = Math.max(node.minDivisor, items.length);
  return sum / divisor + countScorePoints(node.countScore, items, accepted).points;
}

export interface CountScoreOutcome {
  counted: number;
  points: number;
  conditionMet: boolean;
  covered: string[];
}

/** The count score: perItem x min(counted, cap), or 0 when the coverage condition is not met. */
export function countScorePoints(
  rule: CountScore | undefined,
  items: readonly GroupItem[],
  accepted: number,
): CountScoreOutcome {
  if (!rule) return { counted: 0, points: 0, conditionMet: true, covered: [] };
  const counted = rule.counts === 'all' ? items.length : accepted;
  let conditionMet = true;
  let covered: string[] = [];
  if (rule.condition) {
    const wanted = new Set(rule.condition.values);
    const seen = new Set<string>();
    for (const item of items) {
      if (item.status === 'rejected') continue;
      const v = item.fields[rule.condition.field];
      if (typeof v === 'string' && wanted.has(v)) seen.add(v);
    }
    covered = [...seen].sort();
    conditionMet = seen.size >= rule.condition.atLeast;
  }
  const points = conditionMet ? rule.perItem * Math.min(counted, rule.cap) : 0;
  return { counted, points, conditionMet, covered };
}
