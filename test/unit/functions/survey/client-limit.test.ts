import { describe, expect, it } from 'vitest';
import { CLIENT_LIMIT, clientLimitFromEnv } from '#functions/lib/survey/service';
import { applySurveyEnvironment } from '#local/survey-env';
import type { FunctionSpec } from '#local/template/model';

describe('the survey form per-client limit (deployment and local runtime settings)', () => {
  it('is 60 a minute unless SURVEY_CLIENT_LIMIT_PER_MINUTE says otherwise', () => {
    expect(CLIENT_LIMIT.limit).toBe(60);
    expect(clientLimitFromEnv(undefined)).toBe(60);
    expect(clientLimitFromEnv('')).toBe(60);
    expect(clientLimitFromEnv('600')).toBe(600);
  });

  it('fails loudly on a value that is not a whole number from 1 to 100000 (never silently unthrottled)', () => {
    for (const bad of ['0', '-5', '1.5', 'many', '100001'])
      expect(() => clientLimitFromEnv(bad), bad).toThrow(/SURVEY_CLIENT_LIMIT_PER_MINUTE/);
  });

  it('the local runtime points invitation links at itself and sets the form limit when asked', () => {
    const spec = (entry: string, environment: Record<string, string>) =>
      ({ entry, environment }) as unknown as FunctionSpec;
    const issuing = spec('functions/api-survey.ts', {
      SURVEY_FORM_URL: 'https://d123.cloudfront.net/survey/',
    });
    const form = spec('functions/survey-form.ts', { TABLE_NAME: 't' });
    const other = spec('functions/api-results.ts', { TABLE_NAME: 't' });
    applySurveyEnvironment([issuing, form, other], { apiUrl: 'http://127.0.0.1:3000' });
    expect(issuing.environment.SURVEY_FORM_URL).toBe('http://127.0.0.1:3000/dashboard/survey/');
    expect(form.environment.SURVEY_CLIENT_LIMIT_PER_MINUTE).toBeUndefined();
    applySurveyEnvironment([issuing, form, other], {
      apiUrl: 'http://127.0.0.1:3000',
      surveyClientLimit: 5000,
    });
    expect(form.environment.SURVEY_CLIENT_LIMIT_PER_MINUTE).toBe('5000');
    expect(other.environment).toEqual({ TABLE_NAME: 't' });
  });
});
