import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '#domain/verification/index';
import { startTestTable, type TestTable } from './dynalite-table';

let t: TestTable;
beforeAll(async () => {
  t = await startTestTable();
});
afterAll(async () => {
  await t.close();
});

const calendar = {
  verificationOpensAt: '2026-09-01T00:00:00+07:00',
  verificationClosesAt: '2026-09-30T23:59:00+07:00',
  sanggahOpensAt: '2026-10-05T00:00:00+07:00',
  sanggahClosesAt: '2026-10-11T23:59:00+07:00',
  respondBy: '2026-10-18T23:59:00+07:00',
};

describe('VerificationRepository (dynalite)', () => {
  it('moves the stage phase once per transition and keeps the history', async () => {
    const repo = t.repos.verification;
    await repo.createStage('iid-2026', calendar);
    await expect(repo.createStage('iid-2026', calendar)).rejects.toThrow(/exists/);
    const change = {
      from: null,
      to: 'VERIFICATION' as const,
      at: '2026-09-01T00:00:00Z',
      by: 'schedule',
      trigger: 'schedule' as const,
    };
    expect((await repo.movePhase('iid-2026', change))?.phase).toBe('VERIFICATION');
    // The same trigger twice (schedule + safety net) changes nothing the second time.
    expect(await repo.movePhase('iid-2026', change)).toBeUndefined();
    const next = await repo.movePhase('iid-2026', {
      ...change,
      from: 'VERIFICATION',
      to: 'PROVISIONAL',
      by: 'admin',
      trigger: 'admin',
    });
    expect(next?.history.map((h) => h.to)).toEqual(['VERIFICATION', 'PROVISIONAL']);
    expect(next?.version).toBe(3);
  });

  it('keeps current decisions per slot and logs every write', async () => {
    const repo = t.repos.verification;
    const d = (answer: string, decision: Decision['decision'], at: string): Decision => ({
      answer,
      decision,
      assessor: 'asesor-1',
      at,
      ...(decision === 'accept' ? {} : { reason: 'EVIDENCE_MISSING' as const }),
    });
    await repo.putDecisions('iid-2026', '18.01', 'P', [
      d('13a', 'accept', '2026-09-02T01:00:00Z'),
      d('inovasi/a-1/16', 'reject', '2026-09-02T01:00:00Z'),
    ]);
    await repo.putDecisions('iid-2026', '18.01', 'P', [d('13a', 'reject', '2026-09-03T01:00:00Z')]);
    await repo.putDecisions('iid-2026', '18.01', 'S', [d('13a', 'accept', '2026-09-03T02:00:00Z')]);
    const current = await repo.listDecisions('iid-2026', '18.01');
    expect(current.map((x) => [x.slot, x.answer, x.decision]).sort()).toEqual([
      ['P', '13a', 'reject'],
      ['P', 'inovasi/a-1/16', 'reject'],
      ['S', '13a', 'accept'],
    ]);
  });

  it('takes one objection per answer and resolves it once', async () => {
    const repo = t.repos.verification;
    const objection = {
      cycleId: 'iid-2026',
      id: 'o-1',
      region: '18.01',
      answer: '13a',
      claim: 'ada',
      evidence: [],
      filedBy: 'op',
      filedAt: '2026-10-06T00:00:00Z',
      contested: {
        answer: '13a',
        decision: 'reject' as const,
        reason: 'EVIDENCE_MISSING' as const,
        assessor: 'a',
        at: '2026-09-03T01:00:00Z',
      },
      respondBy: calendar.respondBy,
      status: 'open' as const,
    };
    expect(await repo.fileObjection(objection)).toEqual({ created: true });
    expect(await repo.fileObjection({ ...objection, id: 'o-2' })).toEqual({ created: false });
    const resolved = {
      ...objection,
      status: 'upheld' as const,
      resolution: {
        by: 'b',
        at: '2026-10-07T00:00:00Z',
        reason: 'ok',
        decision: { decision: 'accept' as const },
      },
    };
    expect(await repo.resolveObjection(resolved)).toBe(true);
    expect(await repo.resolveObjection({ ...resolved, status: 'dismissed' })).toBe(false);
    expect((await repo.listObjectionsOfCycle('iid-2026')).map((o) => [o.id, o.status])).toEqual([
      ['o-1', 'upheld'],
    ]);
    expect(await repo.listObjectionsOfRegion('iid-2026', '18.02')).toEqual([]);
  });

  it('writes editions once each', async () => {
    const repo = t.repos.verification;
    const e = {
      cycleId: 'iid-2026',
      edition: 1,
      publishedAt: '2026-11-01T00:00:00Z',
      publishedBy: 'admin',
      phase: 'FINAL',
    };
    expect(await repo.putEdition(e)).toBe(true);
    expect(await repo.putEdition({ ...e, publishedBy: 'other' })).toBe(false);
    expect((await repo.listEditions('iid-2026')).map((x) => x.publishedBy)).toEqual(['admin']);
  });
});
