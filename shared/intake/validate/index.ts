import type { Problem } from '#domain/problems';
import type { Submission } from '#domain/submission';
import { placeIndicators } from '../placement';
import { report } from '../report';
import { checkPaperSurveyScan, checkSurvey } from '../survey/validate';
import { checkAnswerSet } from './answers';
import { type Checker, checker, type ValidationContext } from './context';
import { checkGroups } from './groups';
import { checkIdentity } from './identity';
import { checkProfile } from './profile';

export type { ValidationContext, ValidationOptions } from './context';

/**
 * Every semantic problem of a canonical submission, whatever format it came in: identity (methodology,
 * version, period, region), profile, region-level answers, repeated groups, evidence and survey.
 * Never stops at the first problem.
 */
export function validateSubmission(submission: Submission, ctx: ValidationContext): Problem[] {
  const c = checker(ctx);
  checkIdentity(c, submission);
  checkProfile(c, submission);
  checkAnswerSet(c, submission.indicators, placeIndicators(ctx.methodology).region, '', undefined);
  checkGroups(c, submission);
  if (submission.survey) {
    checkSurvey(c, submission.survey.respondents, { anonymous: submission.survey.source === 'channel' });
    checkPaperSurveyScan(c, submission.survey);
  }
  checkNotEmpty(c, submission);
  return c.sink;
}

/** A survey upload carries only respondents: identity and survey checks, nothing about indicators. */
export function validateSurveySubmission(submission: Submission, ctx: ValidationContext): Problem[] {
  const c = checker(ctx);
  checkIdentity(c, submission);
  checkSurvey(c, submission.survey?.respondents ?? []);
  return c.sink;
}

function checkNotEmpty(c: Checker, submission: Submission): void {
  const answered =
    Object.keys(submission.indicators).length > 0 ||
    Object.values(submission.groups).some((items) => items.length > 0) ||
    Object.keys(submission.profile).length > 0;
  if (!answered)
    c.sink.push(
      report(
        'EMPTY_SUBMISSION',
        'error',
        {},
        'tidak ada isian sama sekali di berkas ini. Isi templat (lembar "Indikator" dan lembar kelompok) lalu unggah ulang.',
        'the file contains no answers at all. Fill in the template ("Indikator" sheet and the group sheets) and upload it again.',
      ),
    );
}
