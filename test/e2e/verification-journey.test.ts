import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiTarget } from '#cli/api-client';
import { runDemo } from '#cli/demo/run-demo';
import { displayUnits } from '#domain/verification/index';
import { startTestRuntime, type TestRuntime } from '../integration/local/support';

/**
 * Issue 11's journey over HTTP against the local runtime: uploads and the national run (the demo
 * for Lampung), then verification with decisions from bulk sheets, provisional results, objections
 * upheld, final re-rank with rank notices, editions, and the refusals on the way.
 */
let t: TestRuntime;
let api: { baseUrl: string };

beforeAll(async () => {
  t = await startTestRuntime();
  api = { baseUrl: t.runtime.urls.api };
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const token = async (request: { role: string; region?: string; province?: string }): Promise<ApiTarget> => ({
  ...api,
  // Valid for the whole journey: the clock moves days ahead to the sanggah window.
  token: await t.runtime.mintToken({ ...request, ttlSeconds: 30 * 86_400 } as never),
});
/** Like the CLI's client, but a refusal is an answer to check, not an exception. */
async function callApi<T = unknown>(
  target: ApiTarget,
  method: string,
  path: string,
  options: { body?: unknown } = {},
) {
  const res = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${target.token}`,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
const subOf = (target: ApiTarget): string =>
  JSON.parse(Buffer.from((target.token ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')).sub;

interface Answer {
  key: string;
  kind: string;
}
interface Scores {
  scores: Record<'self' | 'verified' | 'final', { display: string } | undefined>;
  changes: { answer: string; effect: string }[];
  ranks: Record<string, number | null>;
  notices?: { region: string; from: number | null; to: number | null; causedBy: string[] }[];
}

describe('verification → provisional → sanggah → final (Lampung)', () => {
  it('changes add up, an upheld objection re-ranks with notices, and nothing changes after final', async () => {
    const report = await runDemo(
      api,
      { methodology: 'iid-2023', period: 2023, innovations: 11_000, provinces: ['18'] },
      () => {},
    );
    const cycle = report.cycleId;
    const admin = await token({ role: 'admin' });
    const now = t.runtime.clock.now();
    const at = (days: number) => new Date(now + days * 86_400_000).toISOString();
    const put = await callApi(admin, 'PUT', `/cycles/${cycle}/verification`, {
      body: {
        verificationOpensAt: at(0.01),
        verificationClosesAt: at(1),
        sanggahOpensAt: at(2),
        sanggahClosesAt: at(3),
        respondBy: at(4),
        sampleRate: 0,
      },
    });
    expect(put.status).toBe(201);
    const phase = (to: string) =>
      callApi<{ stage: { phase: string } }>(admin, 'POST', `/cycles/${cycle}/verification/phase`, {
        body: { to },
      });
    expect((await phase('VERIFICATION')).status).toBe(200);
    // PROVISIONAL and FINAL: the route starts the verification state machine (named cycle-phase),
    // which computes the results and then moves the phase; the journey waits for that execution.
    const phaseRun = async (to: 'PROVISIONAL' | 'FINAL') => {
      const moved = await callApi<{ run: { execution: string } }>(
        admin,
        'POST',
        `/cycles/${cycle}/verification/phase`,
        { body: { to } },
      );
      expect(moved.status).toBe(202);
      expect(moved.body.run.execution).toBe(`${cycle}-${to}`);
      const sfn = t.runtime.stepFunctions;
      const machine = sfn.compiled.find((m) => m.spec.logicalId.startsWith('VerificationStateMachine'));
      const execution = sfn
        .listExecutions(machine?.spec.arn)
        .find((e) => e.name === moved.body.run.execution);
      expect((await sfn.waitFor(execution?.executionArn ?? '')).status).toBe('SUCCEEDED');
      const stage = await callApi<{ phase: string }>(admin, 'GET', `/cycles/${cycle}/verification`);
      expect(stage.body.phase).toBe(to);
      // Asked again once moved: refused (the phase only moves forward, once).
      expect((await phase(to)).status).toBe(409);
    };

    const a31 = await token({ role: 'assessor', province: '31' });
    const a32 = await token({ role: 'assessor', province: '32' });
    const a18 = await token({ role: 'assessor', province: '18' });
    const assigned = await callApi<{ assignments: { region: string; primary: string }[] }>(
      admin,
      'POST',
      `/cycles/${cycle}/assignments`,
      {
        body: {
          assessors: [
            { id: subOf(a31), province: '31' },
            { id: subOf(a32), province: '32' },
          ],
        },
      },
    );
    expect(assigned.status).toBe(200);
    const regions = assigned.body.assignments.map((a) => a.region);
    expect(regions.length).toBeGreaterThan(5);

    // The region with the best self-assessed index gets everything rejected (it will object).
    const selfOf = async (kode: string) =>
      (await callApi<Scores>(admin, 'GET', `/cycles/${cycle}/regions/${kode}/verification`)).body.scores.self
        ?.display ?? '0';
    const selves = await Promise.all(regions.map(async (k) => [k, Number(await selfOf(k))] as const));
    const [target] = [...selves].sort((x, y) => y[1] - x[1])[0] ?? [''];
    const other = regions.find((k) => k !== target) ?? '';

    // An operator sees only its own region; an assessor of the region's own province may not decide.
    const opOther = await token({ role: 'operator', region: other });
    expect((await callApi(opOther, 'GET', `/cycles/${cycle}/regions/${target}/answers`)).status).toBe(404);
    expect(
      (
        await callApi(a18, 'POST', `/cycles/${cycle}/decisions`, {
          body: { kode: target, decisions: [{ answer: '1', decision: 'accept' }] },
        })
      ).status,
    ).toBe(403);

    // Each assessor uploads one sheet for its whole queue; the target's SPD answers and innovations are rejected.
    const rejected: string[] = [];
    for (const assessor of [a31, a32]) {
      const mine = assigned.body.assignments
        .filter((a) => a.primary === subOf(assessor))
        .map((a) => a.region);
      const lines = ['kode,answer,decision,level,reason,note'];
      for (const kode of mine) {
        const answers = (
          await callApi<{ answers: Answer[] }>(assessor, 'GET', `/cycles/${cycle}/regions/${kode}/answers`)
        ).body.answers;
        answers.forEach((a, i) => {
          const reject = kode === target ? a.kind !== 'item-indicator' : i % 9 === 4 && a.kind !== 'item';
          if (kode === target && reject) rejected.push(a.key);
          lines.push(
            reject
              ? `${kode},${a.key},reject,,EVIDENCE_MISSING,Dokumen tidak ada`
              : `${kode},${a.key},accept,,,`,
          );
        });
      }
      const sheet = {
        fileName: 'keputusan.csv',
        contentBase64: Buffer.from(lines.join('\n')).toString('base64'),
      };
      const out = await callApi<{ stored: number }>(assessor, 'POST', `/cycles/${cycle}/decisions`, {
        body: { sheet },
      });
      expect(out.status).toBe(200);
      expect(out.body.stored).toBe(lines.length - 1);
    }

    await phaseRun('PROVISIONAL');
    for (const kode of regions) {
      const r = (await callApi<Scores>(admin, 'GET', `/cycles/${cycle}/regions/${kode}/verification`)).body;
      const sum = r.changes.reduce((s, c) => s + displayUnits(c.effect, 2), 0n);
      expect(sum, kode).toBe(
        displayUnits(r.scores.verified?.display ?? '', 2) - displayUnits(r.scores.self?.display ?? '', 2),
      );
    }

    // Objections during the sanggah window, upheld by the assessor who did not decide.
    await t.runtime.advanceClock('P2DT1H');
    // sanggahOpensAt has passed: the calendar's safety net (cycle-transition) may have moved the stage
    // already; otherwise the admin moves it. Either way it is SANGGAH, and asking twice is refused.
    const opened = await phase('SANGGAH');
    if (opened.status !== 200) {
      expect(opened.status).toBe(409);
      const stage = await callApi<{ phase: string }>(admin, 'GET', `/cycles/${cycle}/verification`);
      expect(stage.body.phase).toBe('SANGGAH');
    }
    const operator = await token({ role: 'operator', region: target });
    for (const answer of rejected) {
      const filed = await callApi(operator, 'POST', `/cycles/${cycle}/regions/${target}/objections`, {
        body: { answer, claim: 'Dokumen ada, lihat lampiran baru.' },
      });
      expect(filed.status, answer).toBe(201);
    }
    expect((await phase('RESOLUTION')).status).toBe(200);
    const decider = assigned.body.assignments.find((a) => a.region === target)?.primary;
    const resolver = decider === subOf(a31) ? a32 : a31;
    for (const answer of rejected) {
      const resolved = await callApi(
        resolver,
        'POST',
        `/cycles/${cycle}/regions/${target}/objections/resolutions`,
        { body: { answer, outcome: 'upheld', reason: 'Bukti baru sah.' } },
      );
      expect(resolved.status, answer).toBe(200);
    }
    await phaseRun('FINAL');

    const own = (await callApi<Scores>(operator, 'GET', `/cycles/${cycle}/regions/${target}/verification`))
      .body;
    expect(own.scores.final?.display).toBe(own.scores.self?.display);
    // The results route shows the same three scores beside each other, with the changes.
    const detail = await callApi<{
      scores: Scores['scores'] & { resultsOf: string; changes: Scores['changes'] };
    }>(admin, 'GET', `/cycles/${cycle}/regions/${target}`);
    expect(detail.status).toBe(200);
    expect(detail.body.scores).toMatchObject({
      resultsOf: 'FINAL',
      self: { display: own.scores.self?.display },
      verified: { display: own.scores.verified?.display },
      final: { display: own.scores.final?.display },
    });
    expect(detail.body.scores.changes).toEqual(own.changes);
    expect(own.ranks.kabupaten ?? own.ranks.kota ?? own.ranks.provinsi).toBe(1);
    const notices: NonNullable<Scores['notices']> = [];
    for (const kode of regions.filter((k) => k !== target))
      notices.push(
        ...((await callApi<Scores>(admin, 'GET', `/cycles/${cycle}/regions/${kode}/verification`)).body
          .notices ?? []),
      );
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((n) => n.causedBy.includes(target))).toBe(true);

    expect((await callApi(admin, 'POST', `/cycles/${cycle}/editions`, { body: {} })).status).toBe(201);
    const after = await Promise.all([
      callApi(admin, 'POST', `/cycles/${cycle}/decisions`, {
        body: { kode: target, decisions: [{ answer: '1', decision: 'accept' }] },
      }),
      callApi(operator, 'POST', `/cycles/${cycle}/regions/${target}/objections`, {
        body: { answer: '1', claim: 'x' },
      }),
      phase('FINAL'),
    ]);
    expect(after.map((r) => r.status)).toEqual([409, 409, 409]);
  }, 400_000);
});
