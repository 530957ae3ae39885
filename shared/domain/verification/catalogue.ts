import { indicatorLeaves, regionIndicatorCodes } from '../methodology/leaves';
import type { LoadedMethodology } from '../methodology/load';
import type { HierarchyNode, RepeatedGroupNode } from '../methodology/schema';
import type { Submission } from '../submission';

/**
 * Everything an assessor must decide on for one submission, in one fixed order:
 * region-level indicator answers in methodology order (`13a`), then each repeated group's items
 * in submission order, each item first as a whole (`inovasi/<id>`) and then its answers in
 * methodology order (`inovasi/<id>/<indicator>`). The order is a contract: changes are
 * attributed in it (see changes.ts).
 */
export type AnswerKind = 'indicator' | 'item' | 'item-indicator';

export interface AnswerRef {
  key: string;
  kind: AnswerKind;
  /** Indicator code (not for a whole item). */
  indicator?: string;
  group?: string;
  itemId?: string;
  itemName?: string;
  /** The self-assessed answer. */
  level?: number;
  value?: number;
  evidence?: string;
  status: 'accepted' | 'rejected';
}

export const itemKey = (group: string, id: string): string => `${group}/${id}`;
export const itemAnswerKey = (group: string, id: string, code: string): string => `${group}/${id}/${code}`;

/** Every repeated-group node of a methodology, in hierarchy order. */
export function repeatedGroups(m: Pick<LoadedMethodology, 'root'>): RepeatedGroupNode[] {
  const out: RepeatedGroupNode[] = [];
  const visit = (node: HierarchyNode) => {
    if (node.kind === 'repeated-group') out.push(node);
    else if (node.kind === 'aggregate') node.children.forEach(visit);
  };
  visit(m.root);
  return out;
}

const answerFields = (a: { level?: number; value?: number; evidence?: string }) => ({
  ...(a.level !== undefined ? { level: a.level } : {}),
  ...(a.value !== undefined ? { value: a.value } : {}),
  ...(a.evidence !== undefined ? { evidence: a.evidence } : {}),
});

export function answerCatalogue(m: LoadedMethodology, submission: Submission): AnswerRef[] {
  const surveyed = new Set(m.indicators.filter((i) => i.rule.type === 'survey').map((i) => i.code));
  const out: AnswerRef[] = [];
  for (const code of regionIndicatorCodes(m)) {
    const answer = submission.indicators[code];
    if (answer === undefined || surveyed.has(code)) continue;
    out.push({
      key: code,
      kind: 'indicator',
      indicator: code,
      status: answer.status,
      ...answerFields(answer),
    });
  }
  for (const node of repeatedGroups(m)) {
    const codes = indicatorLeaves(node.item).map((leaf) => leaf.indicator);
    const seen = new Set<string>();
    for (const item of submission.groups[node.group] ?? []) {
      // Item ids are unique after validation; a duplicate would make keys ambiguous, so it is skipped.
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      out.push({
        key: itemKey(node.group, item.id),
        kind: 'item',
        group: node.group,
        itemId: item.id,
        ...(item.name !== undefined ? { itemName: item.name } : {}),
        status: item.status,
      });
      for (const code of codes) {
        const answer = item.indicators[code];
        if (answer === undefined) continue;
        out.push({
          key: itemAnswerKey(node.group, item.id, code),
          kind: 'item-indicator',
          indicator: code,
          group: node.group,
          itemId: item.id,
          status: answer.status,
          ...answerFields(answer),
        });
      }
    }
  }
  return out;
}
