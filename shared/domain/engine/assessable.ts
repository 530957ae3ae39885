import type { Answer, Submission } from '../submission';
import type { CompiledMethodology } from './compile';

/**
 * "Tidak Dapat Dinilai" unless something evidence-based was submitted: an accepted answer with a
 * level or value that names its evidence where the indicator requires it, or a survey with at least
 * the minimum number of respondents.
 */
export function isAssessable(c: CompiledMethodology, submission: Submission): boolean {
  if (hasEvidenceBased(c, submission.indicators)) return true;
  for (const items of Object.values(submission.groups)) {
    for (const item of items) {
      if (item.status !== 'rejected' && hasEvidenceBased(c, item.indicators)) return true;
    }
  }
  // A survey counts once it has enough respondents to score a dimension.
  const survey = c.methodology.survey;
  return survey !== undefined && (submission.survey?.respondents.length ?? 0) >= survey.minRespondents;
}

function hasEvidenceBased(c: CompiledMethodology, answers: Record<string, Answer>): boolean {
  for (const code in answers) {
    const answer = answers[code];
    const indicator = c.indicators.get(code);
    if (!answer || !indicator || answer.status === 'rejected') continue;
    const answered = (answer.level !== undefined && answer.level > 0) || answer.value !== undefined;
    if (answered && (!indicator.def.evidenceRequired || answer.evidence !== undefined)) return true;
  }
  return false;
}
