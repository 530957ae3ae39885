/**
 * One spelling for the values the methodology compares: a submission scores the same whatever
 * format it came in (JSON, XLSX, CSV) and however its values were capitalised or spaced. Applied to
 * every canonical submission at intake (and by `indeks score`), before validation and scoring.
 */
import type { LoadedMethodology } from './methodology/load';
import type { HierarchyNode } from './methodology/schema';
import type { Submission } from './submission';

const squash = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** "Definitif " is "definitif": a known value takes the methodology's spelling; anything else is kept as typed (trimmed). */
export function spelledAsKnown(text: string, known: readonly string[]): string {
  const key = squash(text);
  return known.find((k) => squash(k) === key) ?? text.trim();
}

/**
 * Codes compare loosely ("Pekerjaan Umum" is "pekerjaan-umum", "SOSIAL" is "sosial") and take the
 * methodology's spelling when it knows the value; an unknown code is trimmed and lower-cased.
 */
export function normaliseCode(text: string, known: readonly string[]): string {
  const key = squash(text);
  return known.find((k) => squash(k) === key) ?? text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Values a code field of a group is known to take (the basic-service affairs a count condition checks). */
export function knownCodeValues(
  methodology: Pick<LoadedMethodology, 'root'>,
  group: string,
  key: string,
): string[] {
  const values: string[] = [];
  const visit = (node: HierarchyNode): void => {
    if (node.kind === 'repeated-group') {
      const condition = node.countScore?.condition;
      if (node.group === group && condition?.field === key)
        for (const v of condition.values) if (!values.includes(v)) values.push(v);
      return;
    }
    if (node.kind === 'aggregate') for (const child of node.children) visit(child);
  };
  visit(methodology.root);
  return values;
}

/** Every documented value of each profile fact: eligibility values and choices, grade orders, cluster values. */
export function documentedProfileValues(
  methodology: Pick<LoadedMethodology, 'eligibility' | 'clusters'>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (field: string, values: readonly string[]) => {
    const list = out.get(field) ?? [];
    for (const v of values) if (!list.includes(v)) list.push(v);
    out.set(field, list);
  };
  for (const rule of methodology.eligibility)
    add(rule.field, rule.type === 'in' ? [...rule.values, ...(rule.choices ?? [])] : rule.order);
  for (const cluster of methodology.clusters)
    if (cluster.match.profile) add(cluster.match.profile.field, cluster.match.profile.values);
  return out;
}

/** The submission with its profile values and group code fields in the methodology's spelling. */
export function canonicalSpelling(submission: Submission, methodology: LoadedMethodology): Submission {
  const profileValues = documentedProfileValues(methodology);
  const profile: Record<string, string> = {};
  for (const [key, value] of Object.entries(submission.profile))
    profile[key] = spelledAsKnown(value, profileValues.get(key) ?? []);
  const groups: Submission['groups'] = {};
  for (const [id, items] of Object.entries(submission.groups)) {
    const codeFields = (methodology.groups.find((g) => g.id === id)?.fields ?? []).filter(
      (f) => f.type === 'code',
    );
    if (codeFields.length === 0) {
      groups[id] = items;
      continue;
    }
    const known = new Map(codeFields.map((f) => [f.key, knownCodeValues(methodology, id, f.key)]));
    groups[id] = items.map((item) => {
      const fields = { ...item.fields };
      for (const [key, values] of known) {
        const v = fields[key];
        if (typeof v === 'string') fields[key] = normaliseCode(v, values);
      }
      return { ...item, fields };
    });
  }
  return { ...submission, profile, groups };
}
