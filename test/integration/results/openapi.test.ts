import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_OPERATIONS } from '#http/openapi-results';
import { ROUTES } from '#infra/constructs/api';
import { apiEvent } from '../../support/api-event';
import { type ResultsHarness, startResultsHarness } from './harness';
import { seedWorld } from './world';

type Json = Record<string, unknown>;

let h: ResultsHarness;
let doc: Json;
beforeAll(async () => {
  h = await startResultsHarness('indeks-openapi');
  await seedWorld(h);
  // The document as GET /openapi.json serves it (api-cycles merges every module's operations).
  const { handler } = await import('#functions/api-cycles');
  const out = await handler(apiEvent('GET /openapi.json'), {} as Context);
  expect(out.statusCode).toBe(200);
  doc = JSON.parse(out.body ?? '{}') as Json;
});
afterAll(async () => {
  await h?.close();
});

const schemasOf = (d: Json) => ((d.components as Json).schemas ?? {}) as Record<string, Json>;

/** ajv in JSON Schema 2020-12 mode over the document's components, refs resolved inside it. */
function componentValidator(d: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi.json', components: d.components }, 'openapi.json');
  return (name: string, value: unknown) => {
    const check = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
    if (!check) throw new Error(`no component ${name}`);
    return check(value) ? [] : (check.errors ?? []);
  };
}

describe('OpenAPI 3.1 document (GET /openapi.json)', () => {
  it('is valid for @readme/openapi-parser, with no warning', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('documents every api-results route of the HTTP API, with its parameters and errors', () => {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const routed = ROUTES.filter((r) => r.function === 'apiResults').map((r) => `${r.method} ${r.path}`);
    expect(routed.sort()).toEqual(
      RESULTS_OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort(),
    );
    for (const route of routed) {
      const [method = '', path = ''] = route.split(' ');
      const op = paths[path]?.[method.toLowerCase()];
      expect(op, route).toBeDefined();
      const responses = op?.responses as Record<string, Json>;
      expect(Object.keys(responses)).toEqual(
        expect.arrayContaining(['200', '304', '400', '401', '403', '404']),
      );
      expect(JSON.stringify(responses['404'])).toContain('#/components/schemas/ProblemDetails');
    }
    const rankings = paths['/cycles/{cycleId}/rankings']?.get as Json;
    const params = (rankings.parameters as Json[]).map((p) => `${String(p.in)}:${String(p.name)}`);
    expect(params).toEqual([
      'path:cycleId',
      'query:cluster',
      'query:province',
      'query:predikat',
      'query:q',
      'query:limit',
      'query:cursor',
      'query:run',
      'query:format',
    ]);
    const content = ((rankings.responses as Record<string, Json>)['200']?.content ?? {}) as Json;
    expect(Object.keys(content)).toEqual([
      'application/json',
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
  });

  it('has component schemas that ajv compiles in 2020-12 mode', () => {
    const schemas = schemasOf(doc);
    for (const name of [
      'RankingPage',
      'RegionDetail',
      'RegionHistory',
      'ResultsSummary',
      'TraceNode',
      'ProblemDetails',
    ])
      expect(Object.keys(schemas)).toContain(name);
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
    for (const name of Object.keys(schemas))
      expect(() => ajv.getSchema(`openapi.json#/components/schemas/${name}`), name).not.toThrow();
  });

  it('describes what the handler really answers: live responses validate against the document', async () => {
    const check = componentValidator(doc);
    const leadership = { groups: ['leadership'] };
    const cases: [string, string, Parameters<typeof apiEvent>[1]][] = [
      ['RankingPage', 'GET /cycles/{cycleId}/rankings', { params: { cycleId: 'iid-2025' } }],
      [
        'RankingPage',
        'GET /cycles/{cycleId}/rankings',
        { params: { cycleId: 'iid-2026' }, query: { cluster: 'kota' } },
      ],
      [
        'RegionDetail',
        'GET /cycles/{cycleId}/regions/{kode}',
        { params: { cycleId: 'iid-2025', kode: '18.01' } },
      ],
      [
        'RegionDetail',
        'GET /cycles/{cycleId}/regions/{kode}',
        { params: { cycleId: 'iid-2025', kode: '35.29' } },
      ],
      ['RegionHistory', 'GET /regions/{kode}/history', { params: { kode: '18.01' } }],
      ['ResultsSummary', 'GET /cycles/{cycleId}/summary', { params: { cycleId: 'iid-2025' } }],
      [
        'ProblemDetails',
        'GET /cycles/{cycleId}/rankings',
        { params: { cycleId: 'iid-2025' }, query: { limit: 'x' } },
      ],
      ['ProblemDetails', 'GET /cycles/{cycleId}/summary', { params: { cycleId: 'nope' } }],
    ];
    for (const [schema, route, options] of cases) {
      const res = await h.call(route, { ...leadership, ...options });
      expect(check(schema, res.json), `${route} ${JSON.stringify(options)}`).toEqual([]);
    }
    // And the document rejects what it should: a ranking item without its rank.
    const page = (
      await h.call('GET /cycles/{cycleId}/rankings', { ...leadership, params: { cycleId: 'iid-2025' } })
    ).json as { items: Json[] };
    const broken = { ...page, items: [{ ...page.items[0], rank: 'first' }] };
    expect(check('RankingPage', broken).length).toBeGreaterThan(0);
  });
});
