import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerificationApi } from '#functions/api-verification';
import { ROUTES } from '#infra/constructs/api';
import { apiEvent } from '../../support/api-event';
import { type Emulators, startEmulators } from '../../support/emulators';
import { AUTUMN_STAGE, juneIidCycle } from '../../support/verification';

/**
 * Role × route for api-verification, on a cycle whose stage is scheduled but not started: who is
 * turned away before anything is read (401 no token, 403 wrong role, 404 another region) and who
 * gets through to the phase checks (409) or the data (200).
 */
let e: Emulators;
let handler: ReturnType<typeof createVerificationApi>;
const CYCLE = 'iid-auth';

beforeAll(async () => {
  e = await startEmulators({ tableName: 'indeks-verification-auth', bucket: 'indeks-verification-auth' });
  handler = createVerificationApi({ now: () => new Date('2026-08-01T00:00:00Z') });
  await e.table.repos.cycles.create(
    juneIidCycle(
      CYCLE,
      'IID',
      (await import('#domain/methodology/registry')).getMethodology('iid-2023')?.hash ?? '',
    ),
  );
  await e.table.repos.verification.createStage(CYCLE, AUTUMN_STAGE);
});
afterAll(async () => {
  await e?.close();
});

type Who = { groups?: string[]; region?: string; province?: string; sub?: string };
const WHO: Record<string, Who> = {
  anonymous: {},
  'no role': { groups: [], sub: 'nobody' },
  'operator 18.01': { groups: ['operator'], region: '18.01' },
  'operator 35.01': { groups: ['operator'], region: '35.01' },
  'assessor 31': { groups: ['assessor'], province: '31', sub: 'asesor-31' },
  leadership: { groups: ['leadership'] },
  admin: { groups: ['admin'] },
};

const P = { cycleId: CYCLE };
const R = { cycleId: CYCLE, kode: '18.01' };
// Expected status per caller, in WHO order (anonymous, no role, op 18.01, op 35.01, assessor, leadership, admin).
const CASES: [string, Record<string, string>, unknown, number[]][] = [
  ['PUT /cycles/{cycleId}/verification', P, AUTUMN_STAGE, [401, 403, 403, 403, 403, 403, 409]],
  ['GET /cycles/{cycleId}/verification', P, undefined, [401, 403, 200, 200, 200, 200, 200]],
  [
    'POST /cycles/{cycleId}/verification/phase',
    P,
    { to: 'PROVISIONAL' },
    [401, 403, 403, 403, 403, 403, 409],
  ],
  [
    'POST /cycles/{cycleId}/assignments',
    P,
    { assessors: [{ id: 'a', province: '31' }] },
    [401, 403, 403, 403, 403, 403, 409],
  ],
  ['GET /cycles/{cycleId}/assignments', P, undefined, [401, 403, 403, 403, 200, 403, 200]],
  ['GET /cycles/{cycleId}/regions/{kode}/answers', R, undefined, [401, 404, 404, 404, 404, 404, 404]],
  [
    'POST /cycles/{cycleId}/regions/{kode}/evidence-links',
    R,
    { answer: '1' },
    [401, 404, 404, 404, 404, 404, 404],
  ],
  [
    'POST /cycles/{cycleId}/decisions',
    P,
    { kode: '18.01', decisions: [{ answer: '1', decision: 'accept' }] },
    [401, 403, 403, 403, 409, 403, 409],
  ],
  ['GET /cycles/{cycleId}/agreement', P, undefined, [401, 403, 403, 403, 403, 403, 200]],
  ['GET /cycles/{cycleId}/regions/{kode}/verification', R, undefined, [401, 404, 404, 404, 404, 404, 404]],
  [
    'POST /cycles/{cycleId}/regions/{kode}/objections',
    R,
    { answer: '1', claim: 'x' },
    [401, 404, 409, 404, 403, 403, 403],
  ],
  ['GET /cycles/{cycleId}/regions/{kode}/objections', R, undefined, [401, 404, 200, 404, 404, 200, 200]],
  [
    'POST /cycles/{cycleId}/regions/{kode}/objections/resolutions',
    R,
    { answer: '1', outcome: 'dismissed', reason: 'x' },
    [401, 403, 403, 403, 409, 403, 409],
  ],
  ['GET /cycles/{cycleId}/objections', P, undefined, [401, 403, 403, 403, 200, 403, 200]],
  ['POST /cycles/{cycleId}/editions', P, {}, [401, 403, 403, 403, 403, 403, 409]],
  ['GET /cycles/{cycleId}/editions', P, undefined, [401, 403, 200, 200, 200, 200, 200]],
];

describe('api-verification authorization (role × route)', () => {
  it('covers every api-verification route of the stack', () => {
    expect(CASES.map(([route]) => route).sort()).toEqual(
      ROUTES.filter((r) => r.function === 'apiVerification')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });

  for (const [route, params, body, expected] of CASES)
    it(route, async () => {
      const got: number[] = [];
      for (const who of Object.values(WHO)) {
        const out = await handler(
          apiEvent(route, { params, ...(body !== undefined ? { body } : {}), ...who }),
          {} as Context,
        );
        got.push(out.statusCode ?? 0);
      }
      expect(got).toEqual(expected);
    });
});
