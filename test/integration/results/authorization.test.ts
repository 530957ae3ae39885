import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemDetailsSchema } from '#http/openapi-results';
import { type ResultsHarness, startResultsHarness } from './harness';
import { seedWorld } from './world';

let h: ResultsHarness;
beforeAll(async () => {
  h = await startResultsHarness();
  await seedWorld(h);
  // A cycle that exists and has no run at all: an operator must not tell it from a provisional one.
  await h.table.repos.cycles.create({
    cycleId: 'iid-2028',
    index: 'IID',
    period: 2028,
    name: 'IID 2028',
    calendar: {
      timeZone: 'Asia/Jakarta',
      opensAt: '2028-03-01T00:00:00+07:00',
      closesAt: '2028-03-31T23:59:00+07:00',
      extensions: [],
      nationalRunAt: '2028-04-02T01:00:00+07:00',
    },
    methodology: { id: 'iid-2023', hash: 'sha256:x' },
  });
});
afterAll(async () => {
  await h?.close();
});

type Caller = { groups?: string[]; region?: string; sub?: string };
const ROLES: Record<string, Caller> = {
  anonymous: {},
  'no role': { groups: [], sub: 'user-without-group' },
  'operator 18.01': { groups: ['operator'], region: '18.01' },
  'operator 35.01': { groups: ['operator'], region: '35.01' },
  assessor: { groups: ['assessor'] },
  leadership: { groups: ['leadership'] },
  admin: { groups: ['admin'] },
};

interface Case {
  what: string;
  route: string;
  params: Record<string, string>;
  query?: Record<string, string>;
  /** Expected status per role; assessor, leadership and admin always share one. */
  expect: { op18: number; op35: number; privileged: number };
}

const CASES: Case[] = [
  {
    what: 'published ranking',
    route: 'GET /cycles/{cycleId}/rankings',
    params: { cycleId: 'iid-2025' },
    expect: { op18: 200, op35: 200, privileged: 200 },
  },
  {
    what: 'published ranking, CSV',
    route: 'GET /cycles/{cycleId}/rankings',
    params: { cycleId: 'iid-2025' },
    query: { format: 'csv' },
    expect: { op18: 200, op35: 200, privileged: 200 },
  },
  {
    what: 'provisional ranking (default run)',
    route: 'GET /cycles/{cycleId}/rankings',
    params: { cycleId: 'iid-2026' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'provisional ranking (run given)',
    route: 'GET /cycles/{cycleId}/rankings',
    params: { cycleId: 'iid-2026' },
    query: { run: 'r-2026' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'provisional ranking, XLSX',
    route: 'GET /cycles/{cycleId}/rankings',
    params: { cycleId: 'iid-2026' },
    query: { format: 'xlsx' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'embargoed final ranking',
    route: 'GET /cycles/{cycleId}/rankings',
    params: { cycleId: 'iid-2027' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'running run',
    route: 'GET /cycles/{cycleId}/rankings',
    params: { cycleId: 'iid-2025' },
    query: { run: 'r-2025-running' },
    expect: { op18: 404, op35: 404, privileged: 409 },
  },
  {
    what: 'cycle without any run',
    route: 'GET /cycles/{cycleId}/rankings',
    params: { cycleId: 'iid-2028' },
    expect: { op18: 404, op35: 404, privileged: 404 },
  },
  {
    what: 'published score card of 18.01',
    route: 'GET /cycles/{cycleId}/regions/{kode}',
    params: { cycleId: 'iid-2025', kode: '18.01' },
    expect: { op18: 200, op35: 404, privileged: 200 },
  },
  {
    what: 'published score card of the province 18',
    route: 'GET /cycles/{cycleId}/regions/{kode}',
    params: { cycleId: 'iid-2025', kode: '18' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'provisional score card of 18.01',
    route: 'GET /cycles/{cycleId}/regions/{kode}',
    params: { cycleId: 'iid-2026', kode: '18.01' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'embargoed score card of 18.01',
    route: 'GET /cycles/{cycleId}/regions/{kode}',
    params: { cycleId: 'iid-2027', kode: '18.01' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'published advice for 18.01',
    route: 'GET /cycles/{cycleId}/regions/{kode}/advice',
    params: { cycleId: 'iid-2025', kode: '18.01' },
    expect: { op18: 200, op35: 404, privileged: 200 },
  },
  {
    what: 'published advice for the province 18',
    route: 'GET /cycles/{cycleId}/regions/{kode}/advice',
    params: { cycleId: 'iid-2025', kode: '18' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'provisional advice for 18.01',
    route: 'GET /cycles/{cycleId}/regions/{kode}/advice',
    params: { cycleId: 'iid-2026', kode: '18.01' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'embargoed advice for 18.01',
    route: 'GET /cycles/{cycleId}/regions/{kode}/advice',
    params: { cycleId: 'iid-2027', kode: '18.01' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'advice in a running run',
    route: 'GET /cycles/{cycleId}/regions/{kode}/advice',
    params: { cycleId: 'iid-2025', kode: '18.01' },
    query: { run: 'r-2025-running' },
    expect: { op18: 404, op35: 404, privileged: 409 },
  },
  {
    what: 'published summary',
    route: 'GET /cycles/{cycleId}/summary',
    params: { cycleId: 'iid-2025' },
    expect: { op18: 200, op35: 200, privileged: 200 },
  },
  {
    what: 'provisional summary',
    route: 'GET /cycles/{cycleId}/summary',
    params: { cycleId: 'iid-2026' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'embargoed summary',
    route: 'GET /cycles/{cycleId}/summary',
    params: { cycleId: 'iid-2027' },
    expect: { op18: 404, op35: 404, privileged: 200 },
  },
  {
    what: 'history of 18.01',
    route: 'GET /regions/{kode}/history',
    params: { kode: '18.01' },
    expect: { op18: 200, op35: 404, privileged: 200 },
  },
];

describe('authorization, route by route and role by role', () => {
  for (const c of CASES) {
    for (const [role, caller] of Object.entries(ROLES)) {
      const expected =
        role === 'anonymous'
          ? 401
          : role === 'no role'
            ? 403
            : role === 'operator 18.01'
              ? c.expect.op18
              : role === 'operator 35.01'
                ? c.expect.op35
                : c.expect.privileged;
      it(`${c.what}: ${role} → ${expected}`, async () => {
        const res = await h.call(c.route, { ...caller, params: c.params, query: c.query ?? {} });
        expect(res.status).toBe(expected);
        if (expected !== 200) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          const problem = problemDetailsSchema.parse(res.json);
          expect(problem.status).toBe(expected);
          expect(problem.detail_id.length).toBeGreaterThan(10);
          // Never internals: no stack, no table or key names.
          expect(res.body).not.toMatch(/at .+\.ts|CYCLE#|RUN#|Dynamo|s3rver|stack/i);
        }
      });
    }
  }

  it('an operator cannot tell a provisional cycle from one without results, nor another region from a missing one', async () => {
    const op = ROLES['operator 18.01'] ?? {};
    const provisional = await h.call('GET /cycles/{cycleId}/rankings', {
      ...op,
      params: { cycleId: 'iid-2026' },
    });
    const empty = await h.call('GET /cycles/{cycleId}/rankings', { ...op, params: { cycleId: 'iid-2028' } });
    expect(provisional.body.replaceAll('iid-2026', 'X')).toBe(empty.body.replaceAll('iid-2028', 'X'));
    const embargoed = await h.call('GET /cycles/{cycleId}/summary', {
      ...op,
      params: { cycleId: 'iid-2027' },
    });
    const emptySummary = await h.call('GET /cycles/{cycleId}/summary', {
      ...op,
      params: { cycleId: 'iid-2028' },
    });
    expect(embargoed.body.replaceAll('iid-2027', 'X')).toBe(emptySummary.body.replaceAll('iid-2028', 'X'));

    // A given run: embargoed FINAL, provisional and non-existent runs all look alike.
    const runBodies = await Promise.all(
      [
        ['iid-2027', 'r-2027'],
        ['iid-2026', 'r-2026'],
        ['iid-2025', 'r-2025-running'],
        ['iid-2025', 'r-nope'],
      ].map(async ([cycleId = '', run = '']) => {
        const res = await h.call('GET /cycles/{cycleId}/summary', {
          ...op,
          params: { cycleId },
          query: { run },
        });
        expect(res.status).toBe(404);
        return res.body.replaceAll(cycleId, 'C').replaceAll(run, 'R');
      }),
    );
    expect(new Set(runBodies).size).toBe(1);

    const other = await h.call('GET /cycles/{cycleId}/regions/{kode}', {
      ...op,
      params: { cycleId: 'iid-2025', kode: '35.01' },
    });
    const nowhere = await h.call('GET /cycles/{cycleId}/regions/{kode}', {
      ...op,
      params: { cycleId: 'iid-2025', kode: '11.01' },
    });
    expect(other.body.replaceAll('35.01', 'X')).toBe(nowhere.body.replaceAll('11.01', 'X'));
  });

  it('asks an account without a role to get one, and an anonymous caller for a token', async () => {
    const none = await h.call('GET /cycles/{cycleId}/summary', {
      ...ROLES['no role'],
      params: { cycleId: 'iid-2025' },
    });
    expect(problemDetailsSchema.parse(none.json)).toMatchObject({ title: 'NO_ROLE', status: 403 });
    const anonymous = await h.call('GET /cycles/{cycleId}/summary', { params: { cycleId: 'iid-2025' } });
    expect(problemDetailsSchema.parse(anonymous.json)).toMatchObject({
      title: 'UNAUTHENTICATED',
      status: 401,
    });
  });
});
