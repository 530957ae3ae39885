import { compile } from '../engine/compile';
import { type LeafDetail, scoreLeaf } from '../engine/leaf';
import type { LoadedMethodology } from '../methodology/load';
import type { Submission } from '../submission';
import type { SurveyAnswers } from './answers';

/**
 * Channel answers as the submission's survey: anonymous respondent ids in the (random) order the
 * answers are stored, marked `channel`. The national run and the score card read it exactly as a
 * paper survey, so both go through the one survey aggregation (engine/leaf.ts `aggregateSurvey`).
 */
export function channelSurvey(answers: readonly SurveyAnswers[]): NonNullable<Submission['survey']> {
  return {
    respondents: answers.map((a, i) => ({ id: `K${String(i + 1).padStart(4, '0')}`, answers: { ...a } })),
    source: 'channel',
  };
}

/** A submission's survey replaced by the channel's answers (the channel wins over a paper file). */
export const withChannelSurvey = (submission: Submission, answers: readonly SurveyAnswers[]): Submission => ({
  ...submission,
  survey: channelSurvey(answers),
});

export interface DimensionScore {
  code: string;
  name: { id: string; en: string };
  valid: number;
  /** 0..scale through the engine; null while below the minimum (nothing is shown on too few answers). */
  score: number | null;
}

export interface SurveyScores {
  answers: number;
  minRespondents: number;
  reached: boolean;
  dimensions: DimensionScore[];
}

/**
 * The survey dimensions from the answers, each scored by the engine's own leaf scoring (the same
 * call the national run makes), shown only once the minimum number of valid respondents is reached.
 */
export function surveyScores(
  methodology: LoadedMethodology,
  kode: string,
  answers: readonly SurveyAnswers[],
): SurveyScores {
  const c = compile(methodology);
  const submission: Submission = {
    methodology: methodology.id,
    region: kode,
    period: methodology.period,
    profile: {},
    indicators: {},
    groups: {},
    survey: channelSurvey(answers),
  };
  const dimensions: DimensionScore[] = [];
  for (const indicator of c.indicators.values()) {
    if (indicator.def.rule.type !== 'survey') continue;
    const detail: LeafDetail = { status: 'missing', level: undefined, rawValue: undefined, stats: undefined };
    const value = scoreLeaf(indicator, undefined, submission, undefined, detail);
    dimensions.push({
      code: indicator.code,
      name: indicator.def.name,
      valid: detail.stats?.count ?? 0,
      score: detail.status === 'scored' ? value : null,
    });
  }
  const minRespondents = methodology.survey?.minRespondents ?? 1;
  const reached = dimensions.length > 0 && dimensions.every((d) => d.score !== null);
  return {
    answers: answers.length,
    minRespondents,
    reached,
    // Below the minimum not even a partial dimension is shown: a small group's answers stay unreadable.
    dimensions: reached ? dimensions : dimensions.map((d) => ({ ...d, score: null })),
  };
}
