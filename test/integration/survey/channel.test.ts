import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTarget, callApi } from '#cli/api-client';
import { REFUSAL_FLOOR_MS } from '#functions/lib/survey/service';
import { apiAs } from '../../support/runtime-api';
import { openIkkdCycle, respondentList } from '../../support/survey';
import { startTestRuntime, type TestRuntime } from '../local/support';

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
let names: string[] = [];

beforeAll(async () => {
  t = await startTestRuntime();
  base = t.runtime.urls.api;
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const local = async (path: string, body: unknown) =>
  callApi(await apiAs(t.runtime, { role: 'admin' }), 'POST', path, { body });
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
    cycleId = await openIkkdCycle(base, await apiAs(t.runtime, { role: 'admin' }));

    const operator = await apiAs(t.runtime, { role: 'operator', region: KODE });
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
    const other = await apiAs(t.runtime, { role: 'operator', region: '35.11' });
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
    names = issued.body.invitations.map((i) => i.name);
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

    const operator = await apiAs(t.runtime, { role: 'operator', region: KODE });
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
      await apiAs(t.runtime, { role: 'leadership' }),
      'GET',
      `/cycles/${cycleId}/provinces/35/survey/rates`,
    );
    expect(province.body.regions).toEqual([expect.objectContaining({ kode: KODE, answered: 30 })]);
  }, 120_000);

  it("an admin's removal (with a reason) revokes the respondent's unused code: refused like an unknown one", async () => {
    expect((await raw('GET', `/survey/forms/${codes[30]}`)).status).toBe(200);
    const admin = await apiAs(t.runtime, { role: 'admin' });
    const list = await callApi<{ respondents: { respondentId: string; name: string }[] }>(
      admin,
      'GET',
      `/cycles/${cycleId}/regions/${KODE}/survey`,
    );
    const person = list.body.respondents.find((r) => r.name === names[30]);
    expect(person).toBeDefined();
    const removal = `/cycles/${cycleId}/regions/${KODE}/survey/respondents/${person?.respondentId}/removal`;
    expect(
      (await raw('POST', removal, { reason: 'pindah tugas ke provinsi lain' }, admin.token)).status,
    ).toBe(200);

    const unknown = await raw('GET', '/survey/forms/ABCD-EFGH-JKLM-NPQ2');
    const form = await raw('GET', `/survey/forms/${codes[30]}`);
    const answer = await raw('POST', `/survey/forms/${codes[30]}/answers`, { answers: answersOf(30) });
    for (const r of [form, answer]) {
      expect(r.status).toBe(unknown.status);
      expect(r.status).toBe(404);
      expect(r.body.detail_id).toBe(unknown.body.detail_id);
      expect(r.body.detail).toBe(unknown.body.detail);
      expect(r.ms).toBeGreaterThanOrEqual(REFUSAL_FLOOR_MS - 5);
    }
    // The revoked code is no invitation any more: 33 invited, still 30 answered.
    const rates = await callApi<{ invited: number; answered: number }>(
      admin,
      'GET',
      `/cycles/${cycleId}/regions/${KODE}/survey/rates`,
    );
    expect(rates.body).toMatchObject({ invited: 33, answered: 30 });
    // A second removal is a conflict, and nothing changes.
    expect((await raw('POST', removal, { reason: 'sekali lagi' }, admin.token)).status).toBe(409);
  }, 60_000);

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
    // The windows are whole minutes of the product clock: the burst must not straddle two of them.
    await freshMinute();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await raw('GET', '/survey/forms/ZZZZ-ZZZZ-ZZZZ-ZZZZ')).status);
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  }, 60_000);

  /** Moves the local clock to 1 s past the next whole minute: a fresh rate window for this client. */
  async function freshMinute() {
    const now = Date.parse((await callApi<{ now: string }>(as0(), 'GET', '/_local/clock')).body.now);
    await local('/_local/clock', { now: new Date(Math.ceil(now / 60_000) * 60_000 + 1_000).toISOString() });
  }
  const guess = (i: number) =>
    `ZZZZ-ZZZZ-ZZZ${'ABCDEFGHJK'[Math.floor(i / 10) % 10]}-ZZ${'ABCDEFGHJK'[i % 10]}${'ABCDEFG'[Math.floor(i / 100)]}`;

  it('limits requests per client: 60 a minute by default, for unknown codes whatever the cycle says', async () => {
    await freshMinute();
    const statuses = await Promise.all(
      Array.from({ length: 61 }, async (_, i) => (await raw('GET', `/survey/forms/${guess(i)}`)).status),
    );
    expect(statuses.filter((s) => s === 404)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  }, 60_000);

  it("a cycle's setting (admin, with a reason) raises the per-client limit for its own codes only", async () => {
    const path = `/cycles/${cycleId}/survey/settings`;
    const setting = { clientLimitPerMinute: 200, reason: 'satu kantor, satu alamat IP' };
    expect(
      (await raw('PUT', path, setting, (await apiAs(t.runtime, { role: 'operator', region: KODE })).token))
        .status,
    ).toBe(403);
    expect(
      (
        await raw(
          'PUT',
          path,
          { clientLimitPerMinute: 200 },
          (
            await apiAs(t.runtime, { role: 'admin' })
          ).token,
        )
      ).status,
    ).toBe(400);
    const put = await raw('PUT', path, setting, (await apiAs(t.runtime, { role: 'admin' })).token);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ cycleId, clientLimitPerMinute: 200 });

    await freshMinute();
    // 68 requests with the cycle's (used, revoked or expired) codes: above 60, none throttled.
    const known = await Promise.all(
      [...codes, ...codes].map(async (code) => (await raw('GET', `/survey/forms/${code}`)).status),
    );
    expect(known).toHaveLength(68);
    expect(known.every((s) => s === 404)).toBe(true);
    // The same client guessing: the strict default still applies to unknown codes.
    expect((await raw('GET', `/survey/forms/${guess(0)}`)).status).toBe(429);
  }, 60_000);
});
