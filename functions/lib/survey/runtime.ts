import { randomBytes } from 'node:crypto';
import { now } from '#adapters/clock';
import { getMethodology } from '#domain/methodology/registry';
import type { ApiEvent } from '#http/api';
import { ports, repositoriesFromEnv } from '../wiring';
import { clientLimitFromEnv, type SurveyDeps } from './service';

export const surveyDeps = ports<SurveyDeps>(
  {},
  {
    cycles: () => repositoriesFromEnv().cycles,
    survey: () => repositoriesFromEnv().survey,
    methodologyOf: () => getMethodology,
    now: () => now,
    randomBytes: () => (n) => randomBytes(n),
    clientLimitPerMinute: () => clientLimitFromEnv(process.env.SURVEY_CLIENT_LIMIT_PER_MINUTE),
  },
);

/**
 * Where respondents open the form: SURVEY_FORM_URL (deployed: the dashboard's CloudFront address +
 * `/survey/`, set by the CDK app), or this API's own host, where the local runtime serves the dashboard.
 */
export function formBase(event: ApiEvent): string {
  const configured = process.env.SURVEY_FORM_URL;
  if (configured) return configured;
  const host = event.headers?.host ?? event.requestContext?.domainName ?? 'localhost';
  const proto = event.headers?.['x-forwarded-proto'] ?? 'https';
  return `${proto}://${host}/dashboard/survey/`;
}
