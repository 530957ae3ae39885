import { isPackable, packSubmission, repackAnswer } from '../engine/packed';
import { type ScoreOptions, type ScoreResult, scoreFast, scorePacked } from '../engine/score';
import type { LoadedMethodology } from '../methodology/load';
import type { Submission } from '../submission';
import { type AnswerRef, answerCatalogue } from './catalogue';
import { applyDecisionInPlace, type Decision, type DecisionKind } from './decisions';
import { answerPoints } from './points';
import { REASONS, type ReasonCode } from './reasons';

/**
 * The changes verification made to a region's answers and what each did to the published score.
 *
 * Attribution is **sequential in catalogue order** (region indicators in methodology order, then
 * each innovation as a whole followed by its answers): change i's effect is the published index
 * after applying changes 1..i minus the published index after 1..i-1. Effects are differences of
 * published values (integers in units of 10^-decimals), so they telescope: their sum is exactly
 * `verified.display − self.display`, divisor and count-score effects of rejected innovations
 * included. An answer changed inside an innovation that was itself rejected has effect 0 (the
 * innovation's rejection, listed first, already took its points).
 */
export interface Change {
  answer: string;
  kind: AnswerRef['kind'];
  indicator?: string;
  group?: string;
  itemId?: string;
  decision: Exclude<DecisionKind, 'accept'>;
  levelBefore?: number;
  levelAfter?: number;
  valueBefore?: number;
  valueAfter?: number;
  reason?: ReasonCode;
  reasonText?: { id: string; en: string };
  note?: string;
  assessor: string;
  at: string;
  /** The answer's own points before and after (see points.ts), on the methodology's raw scale. */
  pointsBefore: number;
  pointsAfter: number;
  /** The published index before and after this change, in attribution order. */
  indexBefore: string;
  indexAfter: string;
  /** indexAfter − indexBefore, signed, in published decimals (e.g. "-1.23"). */
  effect: string;
}

export interface VerificationOutcome {
  self: ScoreResult;
  verified: ScoreResult;
  verifiedSubmission: Submission;
  changes: Change[];
  /** verified.display − self.display, equal to the sum of every change's effect. */
  difference: string;
}

/** Published decimal text → integer units of 10^-decimals ("47.04" → 4704n). */
export function displayUnits(display: string, decimals: number): bigint {
  const negative = display.startsWith('-');
  const [whole = '0', fraction = ''] = display.replace(/^[-+]/, '').split('.');
  const units =
    BigInt(whole) * 10n ** BigInt(decimals) +
    BigInt(fraction.padEnd(decimals, '0').slice(0, decimals) || '0');
  return negative ? -units : units;
}

/** Integer units → signed decimal text ("-123n", 2 → "-1.23"). */
export function formatUnits(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(decimals, '0');
  return `${negative ? '-' : units > 0n ? '+' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

export function verificationOutcome(
  m: LoadedMethodology,
  submission: Submission,
  decisions: ReadonlyMap<string, Decision>,
  options: ScoreOptions = {},
  catalogue: readonly AnswerRef[] = answerCatalogue(m, submission),
): VerificationOutcome {
  const decimals = m.output.decimals;
  const working = structuredClone(submission);
  // Packed once; each decision repacks only its own cell or row (the fast path of a national run).
  const packed = isPackable(m) ? packSubmission(m, working) : undefined;
  const rescore = (ref: AnswerRef): ScoreResult => {
    if (!packed) return scoreFast(m, working, options);
    repackAnswer(
      m,
      packed,
      working,
      ref.kind === 'indicator'
        ? { indicator: ref.indicator ?? '' }
        : { group: ref.group ?? '', itemId: ref.itemId ?? '' },
    );
    return scorePacked(m, packed, options);
  };
  const self = packed ? scorePacked(m, packed, options) : scoreFast(m, working, options);
  const changes: Change[] = [];
  let before = self;
  for (const ref of catalogue) {
    const d = decisions.get(ref.key);
    if (!d || d.decision === 'accept') continue;
    const pointsBefore = answerPoints(m, working, ref, options.stats);
    applyDecisionInPlace(working, ref, d);
    const after = rescore(ref);
    const pointsAfter = answerPoints(m, working, ref, options.stats);
    const effect = displayUnits(after.display, decimals) - displayUnits(before.display, decimals);
    changes.push({
      answer: ref.key,
      kind: ref.kind,
      ...(ref.indicator !== undefined ? { indicator: ref.indicator } : {}),
      ...(ref.group !== undefined ? { group: ref.group, itemId: ref.itemId } : {}),
      decision: d.decision,
      ...(ref.level !== undefined ? { levelBefore: ref.level } : {}),
      ...(ref.value !== undefined ? { valueBefore: ref.value } : {}),
      ...(d.decision === 'adjust' && d.level !== undefined ? { levelAfter: d.level } : {}),
      ...(d.decision === 'adjust' && d.value !== undefined ? { valueAfter: d.value } : {}),
      ...(d.reason !== undefined
        ? { reason: d.reason, reasonText: { id: REASONS[d.reason].id, en: REASONS[d.reason].en } }
        : {}),
      ...(d.note !== undefined ? { note: d.note } : {}),
      assessor: d.assessor,
      at: d.at,
      pointsBefore,
      pointsAfter,
      indexBefore: before.display,
      indexAfter: after.display,
      effect: formatUnits(effect, decimals),
    });
    before = after;
  }
  const verified = changes.length > 0 ? before : scoreFast(m, working, options);
  return {
    self,
    verified,
    verifiedSubmission: working,
    changes,
    difference: formatUnits(
      displayUnits(verified.display, decimals) - displayUnits(self.display, decimals),
      decimals,
    ),
  };
}
