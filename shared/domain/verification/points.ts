import { compile } from '../engine/compile';
import { type RunStats, scoreLeaf } from '../engine/leaf';
import type { LoadedMethodology } from '../methodology/load';
import type { HierarchyNode } from '../methodology/schema';
import type { GroupItem, Submission } from '../submission';
import type { AnswerRef } from './catalogue';
import { repeatedGroups } from './catalogue';

/**
 * Points of one answer as a person reads them on the score sheet: the leaf's value times the
 * weights on its path (to the root for region-level answers, to the item for innovation answers),
 * before the SID divisor. A whole item's points are the sum of its answers' points.
 */
const weightCache = new WeakMap<
  LoadedMethodology,
  { region: Map<string, number>; item: Map<string, Map<string, number>> }
>();

function weightsOf(m: LoadedMethodology) {
  let hit = weightCache.get(m);
  if (hit) return hit;
  const collect = (node: HierarchyNode, factor: number, into: Map<string, number>) => {
    if (node.kind === 'indicator') into.set(node.indicator, factor * node.weight);
    else if (node.kind === 'aggregate')
      for (const child of node.children) collect(child, factor * node.weight, into);
  };
  const region = new Map<string, number>();
  // The root's own weight is not applied by the engine, so paths start below it.
  if (m.root.kind === 'aggregate') for (const child of m.root.children) collect(child, 1, region);
  const item = new Map<string, Map<string, number>>();
  for (const node of repeatedGroups(m)) {
    const weights = new Map<string, number>();
    for (const child of node.item.children) collect(child, 1, weights);
    item.set(node.group, weights);
  }
  hit = { region, item };
  weightCache.set(m, hit);
  return hit;
}

export function answerPoints(
  m: LoadedMethodology,
  submission: Submission,
  ref: AnswerRef,
  stats?: RunStats,
): number {
  const c = compile(m);
  const weights = weightsOf(m);
  if (ref.kind === 'indicator') {
    const indicator = c.indicators.get(ref.indicator ?? '');
    if (!indicator) return 0;
    const v = scoreLeaf(indicator, submission.indicators[indicator.code], submission, stats);
    return Number.isNaN(v) ? 0 : v * (weights.region.get(indicator.code) ?? 1);
  }
  const item = submission.groups[ref.group ?? '']?.find((i) => i.id === ref.itemId);
  if (!item) return 0;
  const itemWeights = weights.item.get(ref.group ?? '') ?? new Map<string, number>();
  if (ref.kind === 'item') {
    if (item.status === 'rejected') return 0;
    let sum = 0;
    for (const code of itemWeights.keys()) sum += leafPoints(m, submission, item, code, itemWeights, stats);
    return sum;
  }
  if (item.status === 'rejected') return 0;
  return leafPoints(m, submission, item, ref.indicator ?? '', itemWeights, stats);
}

function leafPoints(
  m: LoadedMethodology,
  submission: Submission,
  item: GroupItem,
  code: string,
  weights: ReadonlyMap<string, number>,
  stats: RunStats | undefined,
): number {
  const indicator = compile(m).indicators.get(code);
  if (!indicator) return 0;
  const v = scoreLeaf(indicator, item.indicators[code], submission, stats);
  return Number.isNaN(v) ? 0 : v * (weights.get(code) ?? 1);
}
