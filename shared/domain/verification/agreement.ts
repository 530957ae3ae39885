import type { AnswerRef } from './catalogue';
import type { DecisionInput } from './decisions';

/**
 * Agreement of the double-verified sample. Each answer is reduced to the level it scores at after
 * the decision (accept: the region's level; adjust: the new level; reject: 0); answers without a
 * level (numeric values, whole innovations) count for the share of identical decisions only.
 * Kappa is Cohen's kappa with linear weights over levels 0..k−1; it is `null` when undefined
 * (no pairs, or both assessors used a single level so no disagreement was possible by chance).
 */
export type LevelDecision = Pick<DecisionInput, 'decision' | 'level' | 'value'>;

export interface DoubleVerification {
  region: string;
  catalogue: readonly AnswerRef[];
  first: { assessor: string; decisions: ReadonlyMap<string, LevelDecision> };
  second: { assessor: string; decisions: ReadonlyMap<string, LevelDecision> };
}

export interface AgreementFigures {
  pairs: number;
  identical: number;
  /** identical / pairs (decision kind and resulting level/value both equal). */
  identicalShare: number | null;
  kappa: number | null;
}

export interface Disagreement {
  region: string;
  answer: string;
  indicator?: string;
  first: { assessor: string; decision: LevelDecision };
  second: { assessor: string; decision: LevelDecision };
}

export interface AgreementReport {
  overall: AgreementFigures;
  byIndicator: Record<string, AgreementFigures>;
  /** Keyed `a|b` with the two assessor ids sorted. */
  byPair: Record<string, AgreementFigures>;
  disagreements: Disagreement[];
}

export function resultingLevel(ref: AnswerRef, d: LevelDecision): number | undefined {
  if (ref.kind === 'item') return undefined;
  if (d.decision === 'reject') return 0;
  if (d.decision === 'adjust') return d.level;
  return ref.status === 'rejected' ? 0 : ref.level;
}

const sameDecision = (ref: AnswerRef, a: LevelDecision, b: LevelDecision): boolean =>
  a.decision === b.decision &&
  resultingLevel(ref, a) === resultingLevel(ref, b) &&
  (a.decision !== 'adjust' || a.value === b.value);

/** Linearly weighted Cohen's kappa on paired levels. */
export function weightedKappa(pairs: readonly (readonly [number, number])[]): number | null {
  if (pairs.length === 0) return null;
  const k = Math.max(2, ...pairs.flatMap(([a, b]) => [a + 1, b + 1]));
  const n = pairs.length;
  const rowMargin = new Array<number>(k).fill(0);
  const colMargin = new Array<number>(k).fill(0);
  let observed = 0;
  for (const [a, b] of pairs) {
    rowMargin[a] = (rowMargin[a] ?? 0) + 1;
    colMargin[b] = (colMargin[b] ?? 0) + 1;
    observed += Math.abs(a - b) / (k - 1);
  }
  let expected = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      expected += ((rowMargin[i] ?? 0) * (colMargin[j] ?? 0) * Math.abs(i - j)) / (k - 1) / n;
  if (expected === 0) return null;
  return 1 - observed / expected;
}

interface Tally {
  pairs: number;
  identical: number;
  levels: [number, number][];
}

const figures = (t: Tally): AgreementFigures => ({
  pairs: t.pairs,
  identical: t.identical,
  identicalShare: t.pairs === 0 ? null : t.identical / t.pairs,
  kappa: weightedKappa(t.levels),
});

export function agreementReport(samples: readonly DoubleVerification[]): AgreementReport {
  const overall: Tally = { pairs: 0, identical: 0, levels: [] };
  const byIndicator = new Map<string, Tally>();
  const byPair = new Map<string, Tally>();
  const disagreements: Disagreement[] = [];
  const tally = (map: Map<string, Tally>, key: string): Tally => {
    let t = map.get(key);
    if (!t) {
      t = { pairs: 0, identical: 0, levels: [] };
      map.set(key, t);
    }
    return t;
  };
  for (const s of samples) {
    const pairKey = [s.first.assessor, s.second.assessor].sort().join('|');
    for (const ref of s.catalogue) {
      const a = s.first.decisions.get(ref.key);
      const b = s.second.decisions.get(ref.key);
      if (!a || !b) continue;
      const same = sameDecision(ref, a, b);
      const la = resultingLevel(ref, a);
      const lb = resultingLevel(ref, b);
      const targets = [overall, tally(byPair, pairKey)];
      if (ref.indicator !== undefined) targets.push(tally(byIndicator, ref.indicator));
      for (const t of targets) {
        t.pairs++;
        if (same) t.identical++;
        if (la !== undefined && lb !== undefined) t.levels.push([la, lb]);
      }
      if (!same)
        disagreements.push({
          region: s.region,
          answer: ref.key,
          ...(ref.indicator !== undefined ? { indicator: ref.indicator } : {}),
          first: { assessor: s.first.assessor, decision: a },
          second: { assessor: s.second.assessor, decision: b },
        });
    }
  }
  const record = (map: Map<string, Tally>) =>
    Object.fromEntries(
      [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, t]) => [k, figures(t)]),
    );
  return {
    overall: figures(overall),
    byIndicator: record(byIndicator),
    byPair: record(byPair),
    disagreements,
  };
}

/**
 * The decision that counts for one answer: the adjudication when an admin gave one; otherwise the
 * primary's when there is no second or both agree; otherwise none yet (awaiting adjudication).
 */
export function countingDecision<D extends LevelDecision>(
  ref: AnswerRef,
  primary: D | undefined,
  second: D | undefined,
  adjudicated: D | undefined,
): D | undefined {
  if (adjudicated) return adjudicated;
  if (!second) return primary;
  if (!primary) return undefined;
  return sameDecision(ref, primary, second) ? primary : undefined;
}
