import type { LoadedMethodology } from '#domain/methodology/load';
import type { BilingualText, GroupDefinition, HierarchyNode, Indicator } from '#domain/methodology/schema';
import { knownCodeValues as domainKnownCodeValues } from '#domain/spelling';

/**
 * Where each indicator is answered. The hierarchy, not the catalogue, decides: an indicator under a
 * repeated group is answered once per item (IID: per innovation), a survey rule comes from the
 * respondents' upload, everything else is answered once for the region.
 */
export interface Placement {
  region: Indicator[];
  survey: Indicator[];
  groups: Map<string, Indicator[]>;
  /** Indicator code → group id, for indicators answered per item. */
  groupOf: Map<string, string>;
  byCode: Map<string, Indicator>;
}

const cache = new WeakMap<LoadedMethodology, Placement>();

export function placeIndicators(methodology: LoadedMethodology): Placement {
  const cached = cache.get(methodology);
  if (cached) return cached;
  const groupOf = new Map<string, string>();
  const collect = (node: HierarchyNode, group: string | undefined): void => {
    if (node.kind === 'indicator') {
      if (group) groupOf.set(node.indicator, group);
      return;
    }
    if (node.kind === 'repeated-group') {
      collect(node.item, node.group);
      return;
    }
    for (const child of node.children) collect(child, group);
  };
  collect(methodology.root, undefined);

  const placement: Placement = {
    region: [],
    survey: [],
    groups: new Map(methodology.groups.map((g) => [g.id, []])),
    groupOf,
    byCode: new Map(methodology.indicators.map((i) => [i.code, i])),
  };
  for (const indicator of methodology.indicators) {
    const group = groupOf.get(indicator.code);
    if (group) placement.groups.get(group)?.push(indicator);
    else if (indicator.rule.type === 'survey') placement.survey.push(indicator);
    else placement.region.push(indicator);
  }
  cache.set(methodology, placement);
  return placement;
}

/** A profile fact the methodology's eligibility rules or clusters read (head status, SAKIP grade, …). */
export interface ProfileField {
  key: string;
  /** Every value a rule mentions, in the methodology's order. */
  values: string[];
  /**
   * True when `values` is the full set: an "at-least" rule orders every grade, an "in" rule with
   * `choices` documents every value (eligible or not). An "in" rule without choices lists only the
   * eligible values: other values are legitimate and make the region ineligible, not typos.
   */
  closed: boolean;
  /** Eligibility decides whether the region is ranked at all, so a missing value there is an error. */
  usedBy: 'eligibility' | 'cluster';
  hints: BilingualText[];
}

export function profileFields(methodology: LoadedMethodology): ProfileField[] {
  const fields = new Map<string, ProfileField>();
  const field = (key: string, usedBy: ProfileField['usedBy']): ProfileField => {
    const existing = fields.get(key);
    if (existing) {
      if (usedBy === 'eligibility') existing.usedBy = 'eligibility';
      return existing;
    }
    const created: ProfileField = { key, values: [], closed: false, usedBy, hints: [] };
    fields.set(key, created);
    return created;
  };
  const addValues = (target: ProfileField, values: readonly string[]) => {
    for (const v of values) if (!target.values.includes(v)) target.values.push(v);
  };
  for (const rule of methodology.eligibility) {
    const target = field(rule.field, 'eligibility');
    addValues(target, rule.type === 'in' ? [...rule.values, ...(rule.choices ?? [])] : rule.order);
    // Every value is documented when the rule orders grades or lists its choices: others are errors.
    if (rule.type === 'at-least' || rule.choices) target.closed = true;
    target.hints.push(rule.reason);
  }
  for (const cluster of methodology.clusters) {
    const profile = cluster.match.profile;
    if (!profile) continue;
    const target = field(profile.field, 'cluster');
    addValues(target, profile.values);
    target.hints.push(cluster.name);
  }
  return [...fields.values()];
}

/** Values a code field is known to take (the basic-service affairs a count condition checks). */
export function knownCodeValues(
  methodology: LoadedMethodology,
  group: GroupDefinition,
  key: string,
): string[] {
  return domainKnownCodeValues(methodology, group.id, key);
}
