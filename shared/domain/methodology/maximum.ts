import type { HierarchyNode, Methodology, ScoringRule } from './schema';

/** The best value a rule can produce. */
export function ruleMaximum(rule: ScoringRule): number {
  switch (rule.type) {
    case 'level':
    case 'bands':
      return Math.max(...rule.levels.map((l) => l.value ?? l.level));
    default:
      return rule.scale;
  }
}

/** The raw maximum of a node: its aggregation applied to its children's maxima (all rules are monotone). */
export function nodeMaximum(node: HierarchyNode, m: Pick<Methodology, 'indicators' | 'groups'>): number {
  if (node.kind === 'indicator') {
    const indicator = m.indicators.find((i) => i.code === node.indicator);
    return indicator ? ruleMaximum(indicator.rule) : 0;
  }
  if (node.kind === 'repeated-group') {
    const count = node.countScore ? node.countScore.perItem * node.countScore.cap : 0;
    return nodeMaximum(node.item, m) + count;
  }
  const weights = node.children.map((c) => c.weight);
  const maxima = node.children.map((c) => nodeMaximum(c, m));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  switch (node.aggregation) {
    case 'weighted-sum':
      return maxima.reduce((sum, v, i) => sum + (weights[i] ?? 0) * v, 0);
    case 'weighted-mean':
      return maxima.reduce((sum, v, i) => sum + (weights[i] ?? 0) * v, 0) / totalWeight;
    case 'geometric-mean':
      return Math.exp(maxima.reduce((sum, v, i) => sum + ((weights[i] ?? 0) / totalWeight) * Math.log(v), 0));
  }
}
