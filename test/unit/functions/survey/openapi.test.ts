import { describe, expect, it } from 'vitest';
import { SURVEY_OPERATIONS } from '#functions/lib/survey/contract';
import { openApiDocument } from '#http/openapi';
import { ROUTES } from '#infra/constructs/api';

describe('survey channel OpenAPI', () => {
  it('documents every routed survey path, the public form routes as public', () => {
    const routed = ROUTES.filter((r) => r.function === 'apiSurvey' || r.function === 'surveyForm');
    expect(routed.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      SURVEY_OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort(),
    );
    const doc = openApiDocument({ title: 't', version: '1' }, SURVEY_OPERATIONS) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    for (const r of routed) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      if (r.public) {
        expect(op?.security).toEqual([]);
        expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['403', '404', '429']));
      }
    }
  });
});
