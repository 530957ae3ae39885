import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUnits } from '#domain/verification/index';
import { answerOf, apiAs, subOf } from '#test/support/runtime-api';
import type { DevelopmentUser } from '#test/support/sign-in';
import * as stage from '#test/support/verification';
import { startTestRuntime, type TestRuntime } from '../integration/local/support';

/**
 * Issue 11's journey over HTTP against the local runtime: uploads and the national run (the demo
 * for Lampung), then verification with decisions from bulk sheets, provisional results, objections
 * upheld, final re-rank with rank notices, editions, and the refusals on the way.
 */
let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime();
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

// Valid for the whole journey: the clock moves days ahead to the sanggah window.
const token = (request: DevelopmentUser) => apiAs(t.runtime, { ...request, ttlSeconds: 30 * 86_400 });

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
    const cycle = await stage.nationalRunForLampung(t.runtime);
    const admin = await token({ role: 'admin' });
    const put = await stage.scheduleVerification(admin, cycle, t.runtime.clock.now());
    expect(put.status).toBe(201);
    const phase = (to: string) => stage.requestPhase(admin, cycle, to);
    expect((await phase('VERIFICATION')).status).toBe(200);
    // PROVISIONAL and FINAL: the route starts the verification state machine (named cycle-phase),
    // which computes the results and then moves the phase; the journey waits for that execution.
    const phaseRun = async (to: 'PROVISIONAL' | 'FINAL') => {
      const moved = await phase(to);
      expect(moved.status).toBe(202);
      expect(moved.body.run?.execution).toBe(`${cycle}-${to}`);
      expect(await stage.phaseRunEnd(t.runtime, moved.body.run?.execution)).toBe('SUCCEEDED');
      expect(await stage.currentPhase(admin, cycle)).toBe(to);
      // Asked again once moved: refused (the phase only moves forward, once).
      expect((await phase(to)).status).toBe(409);
    };

    const a31 = await token({ role: 'assessor', province: '31' });
    const a32 = await token({ role: 'assessor', province: '32' });
    const a18 = await token({ role: 'assessor', province: '18' });
    const assigned = await stage.assignAssessors(admin, cycle, { '31': a31, '32': a32 });
    expect(assigned.status).toBe(200);
    const regions = assigned.body.assignments.map((a) => a.region);
    expect(regions.length).toBeGreaterThan(5);

    // The region with the best self-assessed index gets everything rejected (it will object).
    const selfOf = async (kode: string) =>
      (await answerOf<Scores>(admin, 'GET', `/cycles/${cycle}/regions/${kode}/verification`)).body.scores.self
        ?.display ?? '0';
    const selves = await Promise.all(regions.map(async (k) => [k, Number(await selfOf(k))] as const));
    const [target] = [...selves].sort((x, y) => y[1] - x[1])[0] ?? [''];
    const other = regions.find((k) => k !== target) ?? '';

    // An operator sees only its own region; an assessor of the region's own province may not decide.
    const opOther = await token({ role: 'operator', region: other });
    expect((await answerOf(opOther, 'GET', `/cycles/${cycle}/regions/${target}/answers`)).status).toBe(404);
    expect(
      (
        await answerOf(a18, 'POST', `/cycles/${cycle}/decisions`, {
          kode: target,
          decisions: [{ answer: '1', decision: 'accept' }],
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
          await answerOf<{ answers: Answer[] }>(assessor, 'GET', `/cycles/${cycle}/regions/${kode}/answers`)
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
      const out = await answerOf<{ stored: number }>(assessor, 'POST', `/cycles/${cycle}/decisions`, {
        sheet,
      });
      expect(out.status).toBe(200);
      expect(out.body.stored).toBe(lines.length - 1);
    }

    await phaseRun('PROVISIONAL');
    for (const kode of regions) {
      const r = (await answerOf<Scores>(admin, 'GET', `/cycles/${cycle}/regions/${kode}/verification`)).body;
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
      expect(await stage.currentPhase(admin, cycle)).toBe('SANGGAH');
    }
    const operator = await token({ role: 'operator', region: target });
    for (const answer of rejected) {
      const filed = await answerOf(operator, 'POST', `/cycles/${cycle}/regions/${target}/objections`, {
        answer,
        claim: 'Dokumen ada, lihat lampiran baru.',
      });
      expect(filed.status, answer).toBe(201);
    }
    expect((await phase('RESOLUTION')).status).toBe(200);
    const decider = assigned.body.assignments.find((a) => a.region === target)?.primary;
    const resolver = decider === subOf(a31) ? a32 : a31;
    for (const answer of rejected) {
      const resolved = await answerOf(
        resolver,
        'POST',
        `/cycles/${cycle}/regions/${target}/objections/resolutions`,
        { answer, outcome: 'upheld', reason: 'Bukti baru sah.' },
      );
      expect(resolved.status, answer).toBe(200);
    }
    await phaseRun('FINAL');

    const own = (await answerOf<Scores>(operator, 'GET', `/cycles/${cycle}/regions/${target}/verification`))
      .body;
    expect(own.scores.final?.display).toBe(own.scores.self?.display);
    // The results route shows the same three scores beside each other, with the changes.
    const detail = await answerOf<{
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
        ...((await answerOf<Scores>(admin, 'GET', `/cycles/${cycle}/regions/${kode}/verification`)).body
          .notices ?? []),
      );
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((n) => n.causedBy.includes(target))).toBe(true);

    expect((await answerOf(admin, 'POST', `/cycles/${cycle}/editions`, {})).status).toBe(201);
    const after = await Promise.all([
      answerOf(admin, 'POST', `/cycles/${cycle}/decisions`, {
        kode: target,
        decisions: [{ answer: '1', decision: 'accept' }],
      }),
      answerOf(operator, 'POST', `/cycles/${cycle}/regions/${target}/objections`, {
        answer: '1',
        claim: 'x',
      }),
      phase('FINAL'),
    ]);
    expect(after.map((r) => r.status)).toEqual([409, 409, 409]);
  }, 400_000);
});
