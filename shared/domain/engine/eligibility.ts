import type { EligibilityRule } from '../methodology/schema';

export interface Ineligibility {
  rule: string;
  field: string;
  found: string | null;
  message_id: string;
  message_en: string;
}

/** Every failed rule, with the reason; an empty list means eligible. */
export function checkEligibility(
  rules: readonly EligibilityRule[],
  profile: Readonly<Record<string, string>>,
): Ineligibility[] {
  const out: Ineligibility[] = [];
  for (const rule of rules) {
    const found = profile[rule.field];
    let ok: boolean;
    if (found === undefined) ok = false;
    else if (rule.type === 'in') ok = rule.values.includes(found);
    else {
      const at = rule.order.indexOf(found);
      ok = at >= 0 && at >= rule.order.indexOf(rule.min);
    }
    if (ok) continue;
    const shown = found === undefined ? 'tidak dinyatakan / not declared' : found;
    out.push({
      rule: rule.id,
      field: rule.field,
      found: found ?? null,
      message_id: `${rule.reason.id} (${rule.field}: ${shown})`,
      message_en: `${rule.reason.en} (${rule.field}: ${shown})`,
    });
  }
  return out;
}
