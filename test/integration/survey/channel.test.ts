import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTarget, callApi } from '#cli/api-client';
import { REFUSAL_FLOOR_MS } from '#functions/lib/survey/service';
import { startTestRuntime, type TestRuntime } from '../local/support';
import { openIkkdCycle, respondentList } from './setup';

/**
 * Issue 14 over HTTP against the local runtime (`npm start`'s, in-process on free ports): an IKKD
 * cycle opens, Banyuwangi's operator enters the respondent list and issues invitations, respondents
 * answer with their codes on the public routes, refusals look alike, and the survey dimensions equal
 * the hand computation.
 */
let t: TestRuntime;
let base: string;
const KODE = '35.10';
let cycleId = '';
let codes: string[] = [];

beforeAll(async () => {
  t = await startTestRuntime();
  base = t.runtime.urls.api;
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const as = async (role: string, region?: string): Promise<ApiTarget> => ({
  baseUrl: base,
  token: await t.runtime.mintToken({ role, ...(region ? { region } : {}) } as never),
});
const local = async (path: string, body: unknown) => callApi(await as('admin'), 'POST', path, { body });
const as0 = (): ApiTarget => ({ baseUrl: base });

/** A raw request (no retries), with its status, body and how long it took. */
async function raw(method: string, path: string, body?: unknown, token?: string) {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    ms: performance.now() - started,
  };
}

/*
 * Respondent i of 30: birokrasi items all 5 for i < 15, else 4 → mean 4.5 → (4.5 − 1) / 4 × 100 = 87.5;
 * politik items 3 for odd i, 2 for even → 2.5 → 37.5; sosial items (i mod 5) + 1 → 3 → 50.
 */
const answersOf = (i: number) => ({
  KB1: i < 15 ? 5 : 4,
  KB2: i < 15 ? 5 : 4,
  KB3: i < 15 ? 5 : 4,
  KB4: i < 15 ? 5 : 4,
  KB5: i < 15 ? 5 : 4,
  KP1: i % 2 ? 3 : 2,
  KP2: i % 2 ? 3 : 2,
  KP3: i % 2 ? 3 : 2,
  KP4: i % 2 ? 3 : 2,
  KS1: (i % 5) + 1,
  KS2: (i % 5) + 1,
  KS3: (i % 5) + 1,
  KS4: (i % 5) + 1,
});

describe('the IKKD survey channel over HTTP', () => {
  it('opens an IKKD cycle; the operator enters a list that meets the quotas and issues codes', async () => {
    cycleId = await openIkkdCycle(base, await as('admin'));

    const operator = await as('operator', KODE);
    // Short of media: refused with a bilingual problem naming the category, nothing stored.
    const short = await raw(
      'PUT',
      `/cycles/${cycleId}/regions/${KODE}/survey/respondents`,
      { respondents: respondentList().filter((r) => r.category !== 'media') },
      operator.token,
    );
    expect(short.status).toBe(400);
    const problems = short.body.problems as { code: string; message_id: string; message_en: string }[];
    expect(problems.map((p) => p.code)).toContain('RESPONDENT_QUOTA_SHORT');
    expect(problems.find((p) => p.code === 'RESPONDENT_QUOTA_SHORT')?.message_id).toMatch(/Media/);

    // Another region's operator may not enter Banyuwangi's list.
    const other = await as('operator', '35.11');
    expect(
      (
        await raw(
          'PUT',
          `/cycles/${cycleId}/regions/${KODE}/survey/respondents`,
          { respondents: respondentList() },
          other.token,
        )
      ).status,
    ).toBe(403);

    const put = await callApi<{ respondents: unknown[]; problems: unknown[] }>(
      operator,
      'PUT',
      `/cycles/${cycleId}/regions/${KODE}/survey/respondents`,
      { body: { respondents: respondentList() } },
    );
    expect(put.body.respondents).toHaveLength(34);
    expect(put.body.problems).toEqual([]);

    const issued = await callApi<{ invitations: { code: string; link: string; name: string }[] }>(
      operator,
      'POST',
      `/cycles/${cycleId}/regions/${KODE}/survey/invitations`,
    );
    expect(issued.status).toBe(201);
    codes = issued.body.invitations.map((i) => i.code);
    expect(codes).toHaveLength(34);
    expect(new Set(codes).size).toBe(34);
    for (const c of codes) expect(c).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    expect(issued.body.invitations[0]?.link).toMatch(/\/survey\/#/);
    // Issuing again gives nobody a second code.
    const again = await callApi<{ invitations: unknown[] }>(
      operator,
      'POST',
      `/cycles/${cycleId}/regions/${KODE}/survey/invitations`,
    );
    expect(again.body.invitations).toEqual([]);
  }, 60_000);

  it('respondents answer with their codes; the form refuses the operator token; scores appear at 30', async () => {
    const form = await raw('GET', `/survey/forms/${codes[0]}`);
    expect(form.status).toBe(200);
    expect(form.body.region).toEqual({ kode: KODE, nama: expect.stringMatching(/Banyuwangi/i) });
    const items = (form.body.form as { items: { code: string }[] }).items.map((i) => i.code);
    expect(items).toHaveLength(13);

    const operator = await as('operator', KODE);
    const withToken = await raw(
      'POST',
      `/survey/forms/${codes[0]}/answers`,
      { answers: answersOf(0) },
      operator.token,
    );
    expect(withToken.status).toBe(403);
    expect(withToken.body.detail_id).toMatch(/tidak menerima token/);

    const incomplete = await raw('POST', `/survey/forms/${codes[0]}/answers`, { answers: { KB1: 5 } });
    expect(incomplete.status).toBe(400);

    for (let i = 0; i < 29; i++)
      expect(
        (await raw('POST', `/survey/forms/${codes[i]}/answers`, { answers: answersOf(i) })).status,
        `code ${i}`,
      ).toBe(201);
    const below = await callApi<{ reached: boolean; dimensions: { score: number | null }[] }>(
      operator,
      'GET',
      `/cycles/${cycleId}/regions/${KODE}/survey/scores`,
    );
    expect(below.body.reached).toBe(false);
    expect(below.body.dimensions.map((d) => d.score)).toEqual([null, null, null]);

    expect((await raw('POST', `/survey/forms/${codes[29]}/answers`, { answers: answersOf(29) })).status).toBe(
      201,
    );
    const scores = await callApi<{
      reached: boolean;
      answers: number;
      dimensions: { code: string; score: number }[];
    }>(operator, 'GET', `/cycles/${cycleId}/regions/${KODE}/survey/scores`);
    expect(scores.body).toMatchObject({ reached: true, answers: 30, source: 'channel' });
    expect(scores.body.dimensions.map((d) => [d.code, d.score])).toEqual([
      ['2.1', 87.5],
      ['2.2', 37.5],
      ['2.3', 50],
    ]);

    const rates = await callApi<{
      invited: number;
      answered: number;
      categories: { category: string; invited: number }[];
    }>(operator, 'GET', `/cycles/${cycleId}/regions/${KODE}/survey/rates`);
    expect(rates.body).toMatchObject({ invited: 34, answered: 30 });
    expect(JSON.stringify(rates.body)).not.toMatch(/KB1|answers/);
    const province = await callApi<{ regions: { kode: string; answered: number }[] }>(
      await as('leadership'),
      'GET',
      `/cycles/${cycleId}/provinces/35/survey/rates`,
    );
    expect(province.body.regions).toEqual([expect.objectContaining({ kode: KODE, answered: 30 })]);
  }, 120_000);

  it('a used, an unknown and an expired code get the same status, message and timing class', async () => {
    const used = await raw('POST', `/survey/forms/${codes[1]}/answers`, { answers: answersOf(1) });
    const unknown = await raw('POST', '/survey/forms/ABCD-EFGH-JKLM-NPQR/answers', { answers: answersOf(1) });
    const garbage = await raw('GET', '/survey/forms/not-a-code');
    // The window closes (deadline + 1 minute): unused codes expire.
    const clock = (await callApi<{ now: string }>(as0(), 'GET', '/_local/clock')).body;
    await local('/_local/clock', { advance: 'P3D' });
    expect(
      Date.parse((await callApi<{ now: string }>(as0(), 'GET', '/_local/clock')).body.now),
    ).toBeGreaterThan(Date.parse(clock.now));
    const expired = await raw('POST', `/survey/forms/${codes[33]}/answers`, { answers: answersOf(33) });
    const expiredForm = await raw('GET', `/survey/forms/${codes[32]}`);

    const refusals = [used, unknown, garbage, expired, expiredForm];
    for (const r of refusals) {
      expect(r.status).toBe(404);
      expect(r.body.code ?? r.body.type).toBeDefined();
      expect(r.body.detail_id).toBe(used.body.detail_id);
      expect(r.body.detail).toBe(used.body.detail);
      // Same timing class: every refusal waits out the same floor; none returns early.
      expect(r.ms).toBeGreaterThanOrEqual(REFUSAL_FLOOR_MS - 5);
    }
    const times = refusals.map((r) => r.ms);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(1_000);
    expect(used.body.detail_id).toMatch(/sudah dipakai/);
  }, 60_000);

  it('limits requests per code', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await raw('GET', '/survey/forms/ZZZZ-ZZZZ-ZZZZ-ZZZZ')).status);
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  }, 60_000);
});
