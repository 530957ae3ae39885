import type { HierarchyNode, IndicatorRefNode, Methodology, RepeatedGroupNode } from './schema';

/** The indicator leaves under a node, in hierarchy order (a repeated group's item counts as under it). */
export function indicatorLeaves(node: HierarchyNode): IndicatorRefNode[] {
  if (node.kind === 'indicator') return [node];
  if (node.kind === 'repeated-group') return indicatorLeaves(node.item);
  return node.children.flatMap(indicatorLeaves);
}

/** The codes of the region-level indicators (outside every repeated group). */
export function regionIndicatorCodes(m: Pick<Methodology, 'root'>): string[] {
  const visit = (node: HierarchyNode): string[] =>
    node.kind === 'indicator'
      ? [node.indicator]
      : node.kind === 'aggregate'
        ? node.children.flatMap(visit)
        : [];
  return visit(m.root);
}

/** The repeated-group node scoring a group (IID: `inovasi`), if any. */
export function repeatedGroupNode(
  m: Pick<Methodology, 'root'>,
  group: string,
): RepeatedGroupNode | undefined {
  const visit = (node: HierarchyNode): RepeatedGroupNode | undefined => {
    if (node.kind === 'repeated-group') return node.group === group ? node : undefined;
    if (node.kind === 'aggregate')
      for (const child of node.children) {
        const hit = visit(child);
        if (hit) return hit;
      }
    return undefined;
  };
  return visit(m.root);
}
