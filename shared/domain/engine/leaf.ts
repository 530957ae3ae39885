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
  /**
   * Survey below the minimum number of valid respondents: worth 0 (its weight is NOT shared by the
   * other dimensions, so leaving respondents out can never raise the index) and the region is not
   * ranked (`survey-below-minimum`).
   */
  | 'not-scored';

/**
 * What the traced path records about one leaf; the fast path passes no sink. Numbers only: the
 * words are made on demand by `explainLeaf`, so a national trace stays small.
 */
export interface LeafDetail {
  status: LeafStatus;
  level: number | undefined;
  rawValue: number | undefined;
  /** Relative rules: the national statistics applied. Survey: valid respondents in `count`. */
  stats: IndicatorStats | undefined;
}

/**
 * The one implementation of indicator scoring. Returns the leaf value on the rule's own scale, or
 * NaN when the leaf is excluded from its parent (pending). Missing, rejected and invalid answers,
 * and survey dimensions below the minimum, are worth 0.
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
  if (answer === undefined) return zero(detail, 'missing');
  if (answer.status === 'rejected') return zero(detail, 'rejected');
  switch (rule.type) {
    case 'level':
      return fromLevel(indicator, answer.level, detail);
    case 'bands': {
      if (answer.level !== undefined) return fromLevel(indicator, answer.level, detail);
      if (answer.value === undefined) return zero(detail, 'missing');
      if (detail) detail.rawValue = answer.value;
      return fromLevel(indicator, levelOfValue(indicator, answer.value), detail);
    }
    case 'goalpost': {
      if (answer.value === undefined) return zero(detail, 'missing');
      const { worst, best, scale } = rule;
      if (detail) scored(detail, answer.value);
      return clamp(((answer.value - worst) / (best - worst)) * scale, 0, scale);
    }
    case 'min-max':
    case 'z-score': {
      if (answer.value === undefined) return zero(detail, 'missing');
      const s = stats?.get(indicator.code);
      if (!s) {
        if (detail) {
          detail.status = 'pending';
          detail.rawValue = answer.value;
        }
        return Number.NaN;
      }
      if (detail) {
        scored(detail, answer.value);
        detail.stats = s;
      }
      const sign = rule.direction === 'lower-is-better' ? -1 : 1;
      if (rule.type === 'min-max') {
        const range = s.max - s.min;
        const position =
          range === 0 ? 1 : sign > 0 ? (answer.value - s.min) / range : (s.max - answer.value) / range;
        return clamp(position * rule.scale, 0, rule.scale);
      }
      const z = s.sd === 0 ? 0 : (sign * (answer.value - s.mean)) / s.sd;
      return clamp(rule.center + rule.spread * z, 0, rule.scale);
    }
  }
}

function scored(detail: LeafDetail, rawValue: number) {
  detail.status = 'scored';
  detail.rawValue = rawValue;
}

function fromLevel(
  indicator: CompiledIndicator,
  level: number | undefined,
  detail: LeafDetail | undefined,
): number {
  if (level === undefined) return zero(detail, 'missing');
  const value = indicator.levelValues[level];
  if (detail) detail.level = level;
  if (value === undefined || Number.isNaN(value)) return zero(detail, 'invalid');
  if (detail) detail.status = 'scored';
  return value;
}

/** Bands tile the line (checked when the methodology loads), so the boundaries passed name the band. */
export function levelOfValue(indicator: CompiledIndicator, value: number): number {
  const { cuts, upperOwns, levelAt } = indicator;
  let passed = 0;
  while (passed < cuts.length) {
    const cut = cuts[passed] as number;
    if (value > cut || (value === cut && upperOwns[passed] === 1)) passed++;
    else break;
  }
  return levelAt[passed] ?? 0;
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
  if (detail) {
    detail.status = result.scored ? 'scored' : 'not-scored';
    detail.rawValue = result.mean;
    detail.stats = {
      count: result.valid,
      min: indicator.surveyScale.min,
      max: indicator.surveyScale.max,
      mean: result.mean,
      sd: 0,
    };
  }
  // Below the minimum the dimension counts as 0 rather than dropping out of its parent: dropping out
  // would hand its weight to the other dimensions and let a region raise its index by leaving poor
  // respondents out. The region is then scored but not ranked (see survey-minimum.ts).
  if (!result.scored) return 0;
  const { min, max } = indicator.surveyScale;
  return ((result.mean - min) / (max - min)) * rule.scale;
}

/**
 * Words for one leaf, made from the recorded numbers only when someone reads them: Bahasa
 * Indonesia first, then English ("… / …"), as operators read them.
 */
export function explainLeaf(indicator: CompiledIndicator, detail: LeafDetail): string {
  const [id, en] = explainLeafWords(indicator, detail);
  return `${id} / ${en}`;
}

function explainLeafWords(indicator: CompiledIndicator, detail: LeafDetail): [string, string] {
  const rule = indicator.def.rule;
  const value = detail.level !== undefined ? indicator.levelValues[detail.level] : undefined;
  const count = detail.stats?.count ?? 0;
  switch (detail.status) {
    case 'missing':
      return ['tidak diisi: 0', 'no answer: 0'];
    case 'rejected':
      return ['ditolak saat verifikasi: 0', 'rejected at verification: 0'];
    case 'invalid':
      return [`level ${detail.level} tidak didefinisikan: 0`, `level ${detail.level} is not defined: 0`];
    case 'pending':
      return [
        `relatif (${rule.type}): dinilai pada penilaian nasional`,
        `relative (${rule.type}): scored in the national run`,
      ];
    case 'not-scored':
      return [
        `${count} responden sah, kurang dari minimum ${indicator.surveyMinRespondents}: 0, daerah tidak diperingkat`,
        `${count} valid respondents, fewer than the minimum ${indicator.surveyMinRespondents}: 0, region not ranked`,
      ];
  }
  switch (rule.type) {
    case 'level':
      return [`level ${detail.level} bernilai ${value}`, `level ${detail.level} is worth ${value}`];
    case 'bands':
      return detail.rawValue !== undefined
        ? [
            `nilai ${detail.rawValue} masuk level ${detail.level}; level ${detail.level} bernilai ${value}`,
            `value ${detail.rawValue} falls in level ${detail.level}; level ${detail.level} is worth ${value}`,
          ]
        : [`level ${detail.level} bernilai ${value}`, `level ${detail.level} is worth ${value}`];
    case 'goalpost': {
      const formula = `(${detail.rawValue} - ${rule.worst}) / (${rule.best} - ${rule.worst}) x ${rule.scale}`;
      return [`${formula}, dibatasi 0..${rule.scale}`, `${formula}, clamped to 0..${rule.scale}`];
    }
    case 'min-max': {
      const s = detail.stats;
      if (!s) return ['min-max', 'min-max'];
      const direction =
        rule.direction === 'higher-is-better' ? 'makin tinggi makin baik' : 'makin rendah makin baik';
      return s.max === s.min
        ? [`semua ${s.count} daerah sama: ${rule.scale}`, `all ${s.count} regions equal: ${rule.scale}`]
        : [
            `min-max atas ${s.count} daerah (min ${s.min}, maks ${s.max}, ${direction})`,
            `min-max over ${s.count} regions (min ${s.min}, max ${s.max}, ${rule.direction})`,
          ];
    }
    case 'z-score': {
      const s = detail.stats;
      if (!s) return ['z-score', 'z-score'];
      const direction =
        rule.direction === 'higher-is-better' ? 'makin tinggi makin baik' : 'makin rendah makin baik';
      return [
        `z-score atas ${s.count} daerah (rata-rata ${round6(s.mean)}, simpangan baku ${round6(s.sd)}, ${direction}); ${rule.center} + ${rule.spread} x z`,
        `z-score over ${s.count} regions (mean ${round6(s.mean)}, sd ${round6(s.sd)}, ${rule.direction}); ${rule.center} + ${rule.spread} x z`,
      ];
    }
    case 'survey': {
      const mean = round6(detail.rawValue ?? 0);
      const scale = `${indicator.surveyScale.min}..${indicator.surveyScale.max}`;
      return [
        `rata-rata nilai butir ${mean} dari ${count} responden sah, skala ${scale} diubah ke 0..${rule.scale}`,
        `mean of item means ${mean} over ${count} valid respondents, rescaled ${scale} to 0..${rule.scale}`,
      ];
    }
  }
}

export interface SurveyAggregate {
  valid: number;
  scored: boolean;
  itemMeans: Record<string, number>;
  mean: number;
  /** Sum of every valid answer (integers): the exact mean is total / (valid x items). */
  total: number;
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
  const total = sums.reduce((a, b) => a + b, 0);
  const mean = valid > 0 ? total / valid / items.length : 0;
  return { valid, scored: valid >= minRespondents, itemMeans, mean, total };
}

function zero(detail: LeafDetail | undefined, status: LeafStatus): number {
  if (detail) detail.status = status;
  return 0;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
