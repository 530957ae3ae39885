import { indicatorLeaves, regionIndicatorCodes, repeatedGroupNode } from '#domain/methodology/leaves';
import type { LoadedMethodology } from '#domain/methodology/load';
import { getMethodology } from '#domain/methodology/registry';
import { type Submission, submissionSchema } from '#domain/submission';

export function methodology(id: string): LoadedMethodology {
  const m = getMethodology(id);
  if (!m) throw new Error(`methodology ${id} is not shipped`);
  return m;
}

// `unknown`: group items carry free fields (urusan, tahun) that a literal cannot type against the catch-all.
export const submission = (input: unknown): Submission => submissionSchema.parse(input);

/** An innovation answering every SID indicator at one level, with evidence. */
export function innovation(id: string, level: number, extra: Record<string, unknown> = {}) {
  const indicators: Record<string, { level: number; evidence: string }> = {};
  for (let code = 16; code <= 35; code++) indicators[String(code)] = { level, evidence: `${id}-${code}.pdf` };
  return { id, name: `Inovasi ${id}`, urusan: 'kesehatan', status: 'accepted', indicators, ...extra };
}

export const SPD_CODES = regionIndicatorCodes(methodology('iid-2023'));
const sid = repeatedGroupNode(methodology('iid-2023'), 'inovasi');
export const SID_CODES = sid ? indicatorLeaves(sid).map((leaf) => leaf.indicator) : [];

/** Every SPD indicator at one level, with evidence. */
export function spdAtLevel(level: number) {
  return Object.fromEntries(SPD_CODES.map((c) => [c, { level, evidence: `spd-${c}.pdf` }]));
}
