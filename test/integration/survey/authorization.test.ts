import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '#http/api';
import { apiEvent } from '../../support/api-event';
import { startEmulators } from '../../support/emulators';
import type { TestTable } from '../dynamo/dynalite-table';

/**
 * Who may do what on the survey channel's routes, role × route, against dynalite with the real
 * handlers. Authorised callers of a mutating route send an input the core refuses (400/404), so the
 * matrix never changes the state it is testing.
 */
type Handler = (event: ReturnType<typeof apiEvent>, context: Context) => Promise<ApiResponse>;
let table: TestTable;
let close: () => Promise<void>;
let survey: Handler;
let form: Handler;
const CYCLE = 'ikkd-2020';

beforeAll(async () => {
  const emulators = await startEmulators({ tableName: 'indeks-survey-auth', bucket: 'indeks-survey-auth' });
  table = emulators.table;
  close = emulators.close;
  survey = (await import('#functions/api-survey')).handler as unknown as Handler;
  form = (await import('#functions/survey-form')).handler as unknown as Handler;
  await table.repos.cycles.create({
    cycleId: CYCLE,
    index: 'IKKD',
    period: 2020,
    name: 'IKKD 2020',
    calendar: {
      timeZone: 'Asia/Jakarta',
      opensAt: '2020-03-01T00:00:00+07:00',
      closesAt: '2099-03-31T23:59:00+07:00',
      extensions: [],
      nationalRunAt: '2099-04-02T01:00:00+07:00',
    },
    methodology: { id: 'ikkd-2020', hash: 'sha256:x' },
  });
}, 60_000);
afterAll(async () => {
  await close?.();
});

type Caller = { groups?: string[]; region?: string };
const ROLES: Record<string, Caller> = {
  anonymous: {},
  'operator 35.10': { groups: ['operator'], region: '35.10' },
  'operator 35.11': { groups: ['operator'], region: '35.11' },
  'operator province 35': { groups: ['operator'], region: '35' },
  assessor: { groups: ['assessor'] },
  leadership: { groups: ['leadership'] },
  admin: { groups: ['admin'] },
};
type Expect = Record<keyof typeof ROLES, number>;

/** A region's survey figures: its operator, assessors, leadership and admin; other operators find nothing. */
const REGION_READ: Expect = {
  anonymous: 401,
  'operator 35.10': 200,
  'operator 35.11': 404,
  'operator province 35': 404,
  assessor: 200,
  leadership: 200,
  admin: 200,
};
/** The operator's own list and codes: its operator and the admin reach the core, which refuses the input. */
const OPERATOR_WRITE: Expect = {
  anonymous: 401,
  'operator 35.10': 400,
  'operator 35.11': 403,
  'operator province 35': 403,
  assessor: 403,
  leadership: 403,
  admin: 400,
};
const SHORT_LIST = { respondents: [{ name: 'A', position: 'B', category: 'dprd' }] };
const p = { cycleId: CYCLE, kode: '35.10' };
const CASES: {
  route: string;
  params: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
  expect: Expect;
}[] = [
  {
    route: 'GET /cycles/{cycleId}/regions/{kode}/survey',
    params: p,
    expect: REGION_READ,
  },
  {
    route: 'PUT /cycles/{cycleId}/regions/{kode}/survey/respondents',
    params: p,
    body: SHORT_LIST,
    expect: OPERATOR_WRITE,
  },
  {
    route: 'POST /cycles/{cycleId}/regions/{kode}/survey/respondents',
    params: p,
    body: { respondent: { name: 'A', position: 'B', category: 'dprd' }, reason: '' },
    expect: {
      anonymous: 401,
      'operator 35.10': 400,
      'operator 35.11': 400,
      'operator province 35': 400,
      assessor: 400,
      leadership: 400,
      admin: 400,
    },
  },
  {
    route: 'POST /cycles/{cycleId}/regions/{kode}/survey/respondents/{respondentId}/removal',
    params: { ...p, respondentId: 'R-none' },
    body: { reason: 'pindah tugas' },
    expect: {
      anonymous: 401,
      'operator 35.10': 403,
      'operator 35.11': 403,
      'operator province 35': 403,
      assessor: 403,
      leadership: 403,
      admin: 404,
    },
  },
  {
    route: 'POST /cycles/{cycleId}/regions/{kode}/survey/invitations',
    params: p,
    expect: OPERATOR_WRITE,
  },
  {
    route: 'GET /cycles/{cycleId}/regions/{kode}/survey/rates',
    params: p,
    expect: REGION_READ,
  },
  {
    route: 'GET /cycles/{cycleId}/provinces/{kode}/survey/rates',
    params: { cycleId: CYCLE, kode: '35' },
    expect: {
      anonymous: 401,
      'operator 35.10': 404,
      'operator 35.11': 404,
      'operator province 35': 200,
      assessor: 200,
      leadership: 200,
      admin: 200,
    },
  },
  {
    route: 'GET /cycles/{cycleId}/regions/{kode}/survey/scores',
    params: p,
    expect: REGION_READ,
  },
];
// The empty-reason add is refused by the body schema (400) before the role check: every role sees
// 400 for it; a valid add by a non-admin is checked separately below.

describe('survey channel routes: role × route', () => {
  for (const c of CASES)
    for (const [role, caller] of Object.entries(ROLES))
      it(`${c.route} as ${role} → ${c.expect[role]}`, async () => {
        const out = await survey(
          apiEvent(c.route, { params: c.params, body: c.body, ...caller }),
          {} as Context,
        );
        expect(out.statusCode).toBe(c.expect[role]);
      });

  it('only an admin adds a respondent (with a reason)', async () => {
    const body = {
      respondent: { name: 'Ibu Ani', position: 'Tokoh masyarakat', category: 'tokoh-masyarakat' },
      reason: 'tambahan kuota',
    };
    for (const [role, caller] of Object.entries(ROLES)) {
      if (role === 'admin' || role === 'anonymous') continue;
      const out = await survey(
        apiEvent(CASES[2]?.route ?? '', { params: p, body, ...caller }),
        {} as Context,
      );
      expect(out.statusCode, role).toBe(403);
    }
    const out = await survey(
      apiEvent(CASES[2]?.route ?? '', { params: p, body, ...ROLES.admin }),
      {} as Context,
    );
    expect(out.statusCode).toBe(201);
  });

  it('the public form refuses any account token and answers an unknown code with 404', async () => {
    for (const [role, caller] of Object.entries(ROLES)) {
      const headers: Record<string, string> = role === 'anonymous' ? {} : { authorization: 'Bearer x.y.z' };
      const get = await form(
        apiEvent('GET /survey/forms/{code}', { params: { code: 'ABCD-EFGH-JKLM-NPQR' }, headers, ...caller }),
        {} as Context,
      );
      expect(get.statusCode, role).toBe(role === 'anonymous' ? 404 : 403);
      const post = await form(
        apiEvent('POST /survey/forms/{code}/answers', {
          params: { code: 'ABCD-EFGH-JKLM-NPQR' },
          headers,
          body: { answers: {} },
          ...caller,
        }),
        {} as Context,
      );
      expect(post.statusCode, role).toBe(role === 'anonymous' ? 404 : 403);
    }
  });
});
