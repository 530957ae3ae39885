import type { FunctionSpec } from './template/model';

/**
 * The survey channel's settings that differ on one machine. Invitation links point at this
 * runtime's own form (`/dashboard/survey/`), not at the CloudFront name the template carries; the
 * per-client limit of the form is `indeks start --survey-client-limit N` when given (otherwise the
 * template's, i.e. the strict default). Applied to the function specs before any request arrives.
 */
export function applySurveyEnvironment(
  functions: readonly FunctionSpec[],
  settings: { apiUrl: string; surveyClientLimit?: number },
): void {
  for (const fn of functions) {
    if (fn.environment.SURVEY_FORM_URL !== undefined)
      fn.environment.SURVEY_FORM_URL = `${settings.apiUrl}/dashboard/survey/`;
    if (settings.surveyClientLimit !== undefined && fn.entry === 'functions/survey-form.ts')
      fn.environment.SURVEY_CLIENT_LIMIT_PER_MINUTE = String(settings.surveyClientLimit);
  }
}
