import type { Answer, Submission } from '../submission';
import type { CompiledIndicator } from './compile';

/** Per-indicator statistics of a national run, for relative normalisation. */
export interface IndicatorStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  sd: number;
}
export type RunStats = ReadonlyMap<string, IndicatorStats>;

export type LeafStatus =
  | 'scored'
  | 'missing'
  | 'rejected'
  | 'invalid'
  /** Relative rule without national statistics yet: excluded until the national run. */
  | 'pending'
  /** Survey below the minimum number of valid respondents: excluded, flagged. */
  | 'not-scored';

/** What the traced path wants to know about one leaf; the fast path passes no sink. */
export interface LeafDetail {
  status: LeafStatus;
  level?: number;
  rawValue?: number;
  explanation: string;
}

/**
 * The one implementation of indicator scoring. Returns the leaf value on the rule's own scale, or
 * NaN when the leaf is excluded from its parent (pending / not scored). Missing, rejected and
 * invalid answers are worth 0.
 */
export function scoreLeaf(
  indicator: CompiledIndicator,
  answer: Answer | undefined,
  submission: Submission,
  stats: RunStats | undefined,
  detail?: LeafDetail,
): number {
  const rule = indicator.def.rule;
  if (rule.type === 'survey') return scoreSurvey(indicator, submission, detail);
  if (answer === undefined) return zero(detail, 'missing', 'no answer: 0');
  if (answer.status === 'rejected') return zero(detail, 'rejected', 'rejected at verification: 0');
  switch (rule.type) {
    case 'level':
      return fromLevel(indicator, answer.level, detail);
    case 'bands': {
      if (answer.level !== undefined) return fromLevel(indicator, answer.level, detail);
      if (answer.value === undefined) return zero(detail, 'missing', 'neither level nor value: 0');
      const level = levelOfValue(indicator, answer.value);
      if (detail) detail.rawValue = answer.value;
      return fromLevel(indicator, level, detail, `value ${answer.value} falls in level ${level}`);
    }
    case 'goalpost': {
      if (answer.value === undefined) return zero(detail, 'missing', 'no value: 0');
      const { worst, best, scale } = rule;
      const score = clamp(((answer.value - worst) / (best - worst)) * scale, 0, scale);
      if (detail) {
        detail.status = 'scored';
        detail.rawValue = answer.value;
        detail.explanation = `(${answer.value} - ${worst}) / (${best} - ${worst}) x ${scale}, clamped to 0..${scale}`;
      }
      return score;
    }
    case 'min-max':
    case 'z-score': {
      if (answer.value === undefined) return zero(detail, 'missing', 'no value: 0');
      const s = stats?.get(indicator.code);
      if (detail) detail.rawValue = answer.value;
      if (!s) {
        if (detail) {
          detail.status = 'pending';
          detail.explanation = `relative (${rule.type}): scored in the national run`;
        }
        return Number.NaN;
      }
      const sign = rule.direction === 'lower-is-better' ? -1 : 1;
      let score: number;
      let explanation: string;
      if (rule.type === 'min-max') {
        const range = s.max - s.min;
        const position =
          range === 0 ? 1 : sign > 0 ? (answer.value - s.min) / range : (s.max - answer.value) / range;
        score = clamp(position * rule.scale, 0, rule.scale);
        explanation =
          range === 0
            ? `all ${s.count} regions equal: ${rule.scale}`
            : `min-max over ${s.count} regions (min ${s.min}, max ${s.max}, ${rule.direction})`;
      } else {
        const z = s.sd === 0 ? 0 : (sign * (answer.value - s.mean)) / s.sd;
        score = clamp(rule.center + rule.spread * z, 0, rule.scale);
        explanation = `z = ${round6(z)} over ${s.count} regions (mean ${round6(s.mean)}, sd ${round6(s.sd)}, ${rule.direction}); ${rule.center} + ${rule.spread} x z`;
      }
      if (detail) {
        detail.status = 'scored';
        detail.explanation = explanation;
      }
      return score;
    }
  }
}

function fromLevel(
  indicator: CompiledIndicator,
  level: number | undefined,
  detail: LeafDetail | undefined,
  prefix?: string,
): number {
  if (level === undefined) return zero(detail, 'missing', 'no level: 0');
  const value = indicator.levelValues[level];
  if (value === undefined || Number.isNaN(value))
    return zero(detail, 'invalid', `level ${level} is not defined: 0`);
  if (detail) {
    detail.status = 'scored';
    detail.level = level;
    detail.explanation = `${prefix ? `${prefix}; ` : ''}level ${level} is worth ${value}`;
  }
  return value;
}

/** Bands tile the line (checked when the methodology loads), so exactly one band matches. */
export function levelOfValue(indicator: CompiledIndicator, value: number): number {
  for (const band of indicator.bands) {
    const aboveMin = band.min === undefined || (band.minInclusive ? value >= band.min : value > band.min);
    const belowMax = band.max === undefined || (band.maxInclusive ? value <= band.max : value < band.max);
    if (aboveMin && belowMax) return band.level;
  }
  return 0;
}

function scoreSurvey(indicator: CompiledIndicator, submission: Submission, detail?: LeafDetail): number {
  const rule = indicator.def.rule;
  if (rule.type !== 'survey') return Number.NaN;
  const result = aggregateSurvey(
    rule.items,
    submission,
    indicator.surveyScale,
    indicator.surveyMinRespondents,
  );
  if (!result.scored) {
    if (detail) {
      detail.status = 'not-scored';
      detail.explanation = `${result.valid} valid respondents, fewer than the minimum ${indicator.surveyMinRespondents}: dimension not scored`;
    }
    return Number.NaN;
  }
  const { min, max } = indicator.surveyScale;
  const score = ((result.mean - min) / (max - min)) * rule.scale;
  if (detail) {
    detail.status = 'scored';
    detail.rawValue = result.mean;
    detail.explanation = `mean of item means ${round6(result.mean)} over ${result.valid} valid respondents, rescaled ${min}..${max} to 0..${rule.scale}`;
  }
  return score;
}

export interface SurveyAggregate {
  valid: number;
  scored: boolean;
  itemMeans: Record<string, number>;
  mean: number;
}

/** A respondent is valid for a dimension when every item of it is answered within the scale. */
export function aggregateSurvey(
  items: readonly string[],
  submission: Submission,
  scale: { min: number; max: number },
  minRespondents: number,
): SurveyAggregate {
  const sums = new Array<number>(items.length).fill(0);
  let valid = 0;
  for (const respondent of submission.survey?.respondents ?? []) {
    const answers: number[] = [];
    for (const item of items) {
      const a = respondent.answers[item];
      if (a === undefined || a === null || !Number.isInteger(a) || a < scale.min || a > scale.max) break;
      answers.push(a);
    }
    if (answers.length !== items.length) continue;
    valid++;
    answers.forEach((a, i) => {
      sums[i] = (sums[i] ?? 0) + a;
    });
  }
  const itemMeans: Record<string, number> = {};
  items.forEach((item, i) => {
    itemMeans[item] = valid > 0 ? (sums[i] ?? 0) / valid : 0;
  });
  const mean = valid > 0 ? sums.reduce((a, b) => a + b, 0) / valid / items.length : 0;
  return { valid, scored: valid >= minRespondents, itemMeans, mean };
}

function zero(detail: LeafDetail | undefined, status: LeafStatus, explanation: string): number {
  if (detail) {
    detail.status = status;
    detail.explanation = explanation;
  }
  return 0;
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
