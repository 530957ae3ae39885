import type { Submission } from '../submission';
import type { CompiledMethodology } from './compile';
import { aggregateSurvey } from './leaf';

/**
 * The survey dimensions of a submission with fewer valid respondents than the methodology's
 * minimum. Such a dimension scores 0 (leaf.ts) and the region is scored but not ranked, with the
 * reason `survey-below-minimum`: a score on too few answers is not comparable, and leaving answers
 * out must never improve a region's standing. Empty for methodologies without a survey.
 */
export function surveyDimensionsBelowMinimum(c: CompiledMethodology, submission: Submission): string[] {
  const short: string[] = [];
  for (const indicator of c.indicators.values()) {
    const rule = indicator.def.rule;
    if (rule.type !== 'survey') continue;
    const { scored } = aggregateSurvey(
      rule.items,
      submission,
      indicator.surveyScale,
      indicator.surveyMinRespondents,
    );
    if (!scored) short.push(indicator.code);
  }
  return short;
}
