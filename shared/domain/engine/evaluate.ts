import type { AggregateNode, CountScore, HierarchyNode, RepeatedGroupNode } from '../methodology/schema';
import type { Answer, GroupItem, Submission } from '../submission';
import type { CompiledIndicator, CompiledMethodology } from './compile';
import { levelOfValue, type RunStats, scoreLeaf } from './leaf';

/**
 * The fast path: the raw total of a submission with no trace, from closures compiled once per
 * methodology. NaN means "excluded" (nothing in the node could be scored yet). The traced path
 * (trace.ts) must agree with it exactly; a property test holds them together.
 */
export type Evaluator = (
  answers: Record<string, Answer>,
  submission: Submission,
  stats: RunStats | undefined,
) => number;

const evaluators = new WeakMap<CompiledMethodology, Evaluator>();

export function evaluateRaw(c: CompiledMethodology, submission: Submission, stats?: RunStats): number {
  let evaluate = evaluators.get(c);
  if (!evaluate) {
    evaluate = compileAggregate(c, c.methodology.root);
    evaluators.set(c, evaluate);
  }
  return evaluate(submission.indicators, submission, stats);
}

function compileNode(c: CompiledMethodology, node: HierarchyNode): Evaluator {
  if (node.kind === 'indicator') {
    const indicator = c.indicators.get(node.indicator);
    if (!indicator) return () => 0;
    return compileLeaf(indicator);
  }
  if (node.kind === 'repeated-group') return compileGroup(c, node);
  return compileAggregate(c, node);
}

/** Level and band rules are the hot path of a national run: no detail, no allocation. */
function compileLeaf(indicator: CompiledIndicator): Evaluator {
  const { code, levelValues } = indicator;
  const type = indicator.def.rule.type;
  if (type === 'level' || type === 'bands') {
    const bands = type === 'bands';
    return (answers) => {
      const a = answers[code];
      if (a === undefined || a.status === 'rejected') return 0;
      let level = a.level;
      if (level === undefined) {
        if (!bands || a.value === undefined) return 0;
        level = levelOfValue(indicator, a.value);
      }
      const value = levelValues[level];
      return value === undefined || Number.isNaN(value) ? 0 : value;
    };
  }
  return (answers, submission, stats) => scoreLeaf(indicator, answers[code], submission, stats);
}

function compileAggregate(c: CompiledMethodology, node: AggregateNode): Evaluator {
  const leafSum = compileLevelSum(c, node);
  if (leafSum) return leafSum;
  const children = node.children.map((child) => compileNode(c, child));
  const weights = Float64Array.from(node.children, (child) => child.weight);
  const n = children.length;
  switch (node.aggregation) {
    case 'weighted-sum':
      return (answers, submission, stats) => {
        let sum = 0;
        let scored = 0;
        for (let i = 0; i < n; i++) {
          const v = (children[i] as Evaluator)(answers, submission, stats);
          if (!Number.isNaN(v)) {
            sum += (weights[i] as number) * v;
            scored++;
          }
        }
        return scored > 0 ? sum : Number.NaN;
      };
    case 'weighted-mean':
      return (answers, submission, stats) => {
        let sum = 0;
        let used = 0;
        for (let i = 0; i < n; i++) {
          const v = (children[i] as Evaluator)(answers, submission, stats);
          if (!Number.isNaN(v)) {
            sum += (weights[i] as number) * v;
            used += weights[i] as number;
          }
        }
        return used > 0 ? sum / used : Number.NaN;
      };
    case 'geometric-mean':
      return (answers, submission, stats) => {
        let logSum = 0;
        let used = 0;
        let zero = false;
        for (let i = 0; i < n; i++) {
          const v = (children[i] as Evaluator)(answers, submission, stats);
          if (!Number.isNaN(v)) {
            if (v <= 0) zero = true;
            else logSum += (weights[i] as number) * Math.log(v);
            used += weights[i] as number;
          }
        }
        if (used === 0) return Number.NaN;
        return zero ? 0 : Math.exp(logSum / used);
      };
  }
}

/**
 * A weighted sum of level/band indicators (SPD, one innovation) as one loop over arrays: a national
 * IID run evaluates 634,000 such leaves, so no per-leaf call or lookup is left in it.
 */
function compileLevelSum(c: CompiledMethodology, node: AggregateNode): Evaluator | undefined {
  if (node.aggregation !== 'weighted-sum') return undefined;
  const leaves: CompiledIndicator[] = [];
  const weights: number[] = [];
  for (const child of node.children) {
    if (child.kind !== 'indicator') return undefined;
    const indicator = c.indicators.get(child.indicator);
    const type = indicator?.def.rule.type;
    if (!indicator || (type !== 'level' && type !== 'bands')) return undefined;
    leaves.push(indicator);
    weights.push(child.weight);
  }
  const n = leaves.length;
  const codes = leaves.map((l) => l.code);
  const banded = leaves.map((l) => l.def.rule.type === 'bands');
  // All level values in one flat array, `stride` slots per leaf; NaN marks an undefined level.
  const stride = Math.max(...leaves.map((l) => l.levelValues.length));
  const table = new Float64Array(n * stride).fill(Number.NaN);
  leaves.forEach((leaf, i) => {
    leaf.levelValues.forEach((v, level) => {
      table[i * stride + level] = (weights[i] as number) * v;
    });
  });
  return (answers) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const a = answers[codes[i] as string];
      if (a === undefined || a.status === 'rejected') continue;
      let level = a.level;
      if (level === undefined) {
        if (!banded[i] || a.value === undefined) continue;
        level = levelOfValue(leaves[i] as CompiledIndicator, a.value);
      }
      if (level >= stride) continue;
      const points = table[i * stride + level] as number;
      if (!Number.isNaN(points)) sum += points;
    }
    return sum;
  };
}

const itemEvaluators = new WeakMap<RepeatedGroupNode, Evaluator>();

/** The compiled score of one item of a repeated group (shared with the traced path). */
export function compileItemEvaluator(c: CompiledMethodology, node: RepeatedGroupNode): Evaluator {
  let evaluate = itemEvaluators.get(node);
  if (!evaluate) {
    evaluate = compileAggregate(c, node.item);
    itemEvaluators.set(node, evaluate);
  }
  return evaluate;
}

function compileGroup(c: CompiledMethodology, node: RepeatedGroupNode): Evaluator {
  const item = compileItemEvaluator(c, node);
  return (_answers, submission) => {
    const items = submission.groups[node.group] ?? [];
    let sum = 0;
    let accepted = 0;
    for (let i = 0; i < items.length; i++) {
      const it = items[i] as GroupItem;
      if (it.status === 'rejected') continue;
      accepted++;
      const v = item(it.indicators, submission, undefined);
      if (!Number.isNaN(v)) sum += v;
    }
    const divisor = Math.max(node.minDivisor, items.length);
    return sum / divisor + countScorePoints(node.countScore, items, accepted).points;
  };
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
