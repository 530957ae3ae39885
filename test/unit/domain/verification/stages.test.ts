import { describe, expect, it } from 'vitest';
import type { ClusterRanking } from '#domain/engine/index';
import {
  type AnswerRef,
  agreementReport,
  assignmentConflicts,
  assignRegions,
  countingDecision,
  type Decision,
  decisionsAfterSanggah,
  doubleVerificationSample,
  fileObjection,
  type LevelDecision,
  latestEdition,
  mayVerify,
  type Objection,
  overdueObjections,
  publishEdition,
  rankMoveNotices,
  resolveObjection,
  weightedKappa,
} from '#domain/verification/index';

describe('assignment', () => {
  const assessors = [
    { id: 'a-18', province: '18' },
    { id: 'b-31', province: '31' },
    { id: 'c-32', province: '32' },
    { id: 'd-18', province: '18' },
  ];
  const regions = [
    '18',
    '18.01',
    '18.02',
    '18.71',
    '31',
    '31.71',
    '32.01',
    '32.02',
    '32.73',
    '11.01',
    '11.02',
    '12.01',
  ];

  it('never assigns an assessor to a region of their own province, and balances the load', () => {
    const plan = assignRegions({ regions, assessors, seed: 'iid-2023', sampleRate: 0.25 });
    expect(plan.unassignable).toEqual([]);
    for (const a of plan.assignments) {
      for (const id of [a.primary, a.second].filter((x): x is string => x !== undefined)) {
        const assessor = assessors.find((x) => x.id === id);
        expect(assessor && mayVerify(assessor, a.region)).toBe(true);
      }
      expect(a.second).not.toBe(a.primary);
    }
    // 12 primaries + 3 seconds = 15 over 4 assessors: loads 4,4,4,3 when nobody is blocked too often.
    const loads = Object.values(plan.load).sort();
    expect(loads.reduce((s, x) => s + x, 0)).toBe(15);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(plan.assignments.filter((a) => a.second)).toHaveLength(3);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const many = Array.from(
      { length: 552 },
      (_, i) => `${String(11 + (i % 30)).padStart(2, '0')}.${String(i).padStart(3, '0')}`,
    );
    const a = doubleVerificationSample(many, 'iid-2023');
    expect(a.size).toBe(55);
    expect(doubleVerificationSample(many, 'iid-2023')).toEqual(a);
    expect(doubleVerificationSample(many, 'iid-2024')).not.toEqual(a);
    expect(doubleVerificationSample(many, 'x', 0)).toEqual(new Set());
    expect(assignRegions({ regions, assessors, seed: 's' })).toEqual(
      assignRegions({ regions, assessors, seed: 's' }),
    );
  });

  it('reports regions nobody may verify and keeps admin assignments', () => {
    const plan = assignRegions({
      regions: ['18.01', '31.71'],
      assessors: [{ id: 'a-18', province: '18' }],
      seed: 's',
      existing: [{ region: '31.71', primary: 'a-18' }],
    });
    expect(plan.unassignable).toEqual(['18.01']);
    expect(plan.assignments).toEqual([{ region: '31.71', primary: 'a-18' }]);
  });

  it("refuses an admin's assignment to an assessor of the region's province or an unknown one", () => {
    const assessors = [
      { id: 'a-18', province: '18' },
      { id: 'a-31', province: '31' },
    ];
    const problems = assignmentConflicts(
      [
        { region: '31.71', primary: 'a-18' },
        { region: '18.01', primary: 'a-31', second: 'a-18' },
        { region: '18.02', primary: 'nobody' },
      ],
      assessors,
    );
    expect(problems.map((p) => [p.code, p.location.path])).toEqual([
      ['CONFLICT_OF_INTEREST', 'assignments[1]'],
      ['CONFLICT_OF_INTEREST', 'assignments[2]'],
    ]);
    expect(problems[0]?.message_en).toBe('Assessor a-18 (province 18) may not verify region 18.01.');
  });
});

describe('agreement', () => {
  it('computes linearly weighted kappa by hand', () => {
    // Pairs (0,0) (1,1) (2,2) (2,1): observed weighted disagreement 0.5/2, expected 7/2/4 → κ = 1 − 0.5/1.75.
    expect(
      weightedKappa([
        [0, 0],
        [1, 1],
        [2, 2],
        [2, 1],
      ]),
    ).toBeCloseTo(1 - 0.5 / 1.75, 12);
    expect(
      weightedKappa([
        [1, 1],
        [2, 2],
      ]),
    ).toBe(1);
    expect(
      weightedKappa([
        [2, 2],
        [2, 2],
      ]),
    ).toBeNull();
    expect(weightedKappa([])).toBeNull();
  });

  const ref = (key: string, level: number): AnswerRef => ({
    key,
    kind: 'indicator',
    indicator: key,
    level,
    status: 'accepted',
  });
  const catalogue = [ref('1', 3), ref('2a', 2), ref('3', 1)];
  it('reports identical shares per indicator and pair, and lists disagreements', () => {
    const report = agreementReport([
      {
        region: '18.01',
        catalogue,
        first: {
          assessor: 'b',
          decisions: new Map([
            ['1', { decision: 'accept' as const }],
            ['2a', { decision: 'adjust' as const, level: 1 }],
            ['3', { decision: 'reject' as const }],
          ]),
        },
        second: {
          assessor: 'a',
          decisions: new Map([
            ['1', { decision: 'accept' as const }],
            ['2a', { decision: 'accept' as const }],
            ['3', { decision: 'reject' as const }],
          ]),
        },
      },
    ]);
    expect(report.overall).toMatchObject({ pairs: 3, identical: 2, identicalShare: 2 / 3 });
    // Levels: (3,3) (1,2) (0,0).
    expect(report.overall.kappa).toBeCloseTo(
      weightedKappa([
        [3, 3],
        [1, 2],
        [0, 0],
      ]) ?? Number.NaN,
      12,
    );
    expect(Object.keys(report.byPair)).toEqual(['a|b']);
    expect(report.byIndicator['2a']).toMatchObject({ pairs: 1, identical: 0 });
    expect(report.disagreements).toEqual([
      expect.objectContaining({
        region: '18.01',
        answer: '2a',
        first: expect.objectContaining({ assessor: 'b' }),
      }),
    ]);
  });

  it('counts the adjudicated decision, else the agreed one, else nothing yet', () => {
    const r = ref('1', 3);
    const acc: LevelDecision = { decision: 'accept' };
    const rej: LevelDecision = { decision: 'reject' };
    expect(countingDecision(r, acc, undefined, undefined)).toBe(acc);
    expect(countingDecision(r, acc, { decision: 'accept' as const }, undefined)).toBe(acc);
    expect(countingDecision(r, acc, rej, undefined)).toBeUndefined();
    expect(countingDecision(r, acc, rej, rej)).toBe(rej);
  });
});

describe('objections (sanggah)', () => {
  const window = {
    opensAt: '2026-10-01T00:00:00+07:00',
    closesAt: '2026-10-07T23:59:00+07:00',
    respondBy: '2026-10-14T23:59:00+07:00',
  };
  const ref: AnswerRef = { key: '13a', kind: 'indicator', indicator: '13a', level: 3, status: 'accepted' };
  const decision: Decision = {
    answer: '13a',
    decision: 'reject',
    reason: 'EVIDENCE_MISSING',
    assessor: 'asesor-1',
    at: '2026-09-01T00:00:00Z',
  };
  const base = {
    id: 'o1',
    region: '18.01',
    ref,
    answer: '13a',
    claim: 'Dokumen ada di halaman 4',
    evidence: ['objections/x.pdf'],
    filedBy: 'op-18.01',
    now: new Date('2026-10-03T10:00:00+07:00'),
    window,
    decision,
    existing: [],
  };
  const filed = (): Objection => {
    const r = fileObjection(base);
    if (!r.ok) throw new Error('expected ok');
    return r.value;
  };

  it('files during the window, once per answer, only against a non-accept decision', () => {
    expect(filed()).toMatchObject({ status: 'open', respondBy: window.respondBy, contested: decision });
    const again = fileObjection({ ...base, existing: [{ answer: '13a' }] });
    expect(again.ok || again.problems[0]?.code).toBe('OBJECTION_EXISTS');
    const accepted = fileObjection({ ...base, decision: { ...decision, decision: 'accept' } });
    expect(accepted.ok || accepted.problems[0]?.code).toBe('NOTHING_TO_OBJECT');
  });

  it('refuses outside the window with the dates in WIB', () => {
    const late = fileObjection({ ...base, now: new Date('2026-10-08T00:00:00+07:00') });
    expect(late.ok).toBe(false);
    if (late.ok) return;
    expect(late.problems[0]?.code).toBe('SANGGAH_CLOSED');
    expect(late.problems[0]?.message_id).toContain('07-10-2026 23:59 WIB');
    // The deadline minute itself is still open.
    expect(fileObjection({ ...base, now: new Date('2026-10-07T23:59:30+07:00') }).ok).toBe(true);
    const early = fileObjection({ ...base, now: new Date('2026-09-30T00:00:00+07:00') });
    expect(early.ok || early.problems[0]?.code).toBe('SANGGAH_NOT_OPEN');
  });

  it('is resolved by another assessor; upheld restores the answer unless a new decision is given', () => {
    const o = filed();
    const self = resolveObjection(o, { by: 'asesor-1', now: base.now, outcome: 'upheld', reason: 'ok' });
    expect(self.ok || self.problems[0]?.code).toBe('RESOLVER_IS_DECIDER');
    const upheld = resolveObjection(o, {
      by: 'asesor-2',
      now: base.now,
      outcome: 'upheld',
      reason: 'Bukti sah',
    });
    expect(upheld.ok && upheld.value.resolution).toMatchObject({
      by: 'asesor-2',
      decision: { decision: 'accept' },
    });
    if (!upheld.ok) return;
    const twice = resolveObjection(upheld.value, {
      by: 'asesor-3',
      now: base.now,
      outcome: 'dismissed',
      reason: 'x',
    });
    expect(twice.ok || twice.problems[0]?.code).toBe('OBJECTION_RESOLVED');
    const after = decisionsAfterSanggah(new Map([['13a', decision]]), [upheld.value], (obj, effect) => ({
      ...obj.contested,
      ...effect,
      assessor: 'asesor-2',
    }));
    expect(after.get('13a')?.decision).toBe('accept');
  });

  it('flags objections unresolved at the deadline', () => {
    const o = filed();
    expect(overdueObjections([o], new Date('2026-10-14T20:00:00+07:00'))).toEqual([]);
    expect(overdueObjections([o], new Date('2026-10-15T00:00:00+07:00'))).toEqual([o]);
  });
});

describe('rank move notices', () => {
  const ranking = (entries: [string, number][]): ClusterRanking[] => [
    {
      cluster: 'kabupaten',
      name: { id: 'Kabupaten', en: 'Regencies' },
      entries: entries.map(([region, rank]) => ({
        region,
        nama: region,
        index: 0,
        display: '0',
        predikat: '',
        rank,
      })),
    },
  ];
  it("tells a region moved only by others' upheld objections, from → to and why", () => {
    const before = ranking([
      ['18.01', 1],
      ['18.02', 2],
      ['18.03', 3],
    ]);
    const after = ranking([
      ['18.03', 1],
      ['18.01', 2],
      ['18.02', 3],
    ]);
    const notices = rankMoveNotices(before, after, new Set(['18.03']));
    expect(notices.map((n) => [n.region, n.from, n.to, n.causedBy])).toEqual([
      ['18.01', 1, 2, ['18.03']],
      ['18.02', 2, 3, ['18.03']],
    ]);
    expect(notices[0]?.message_id).toContain('dari 1 menjadi 2');
    expect(notices[0]?.message_en).toContain('18.03');
  });
});

describe('editions of final results', () => {
  it('publishes edition 1, then corrections only with a reason, never overwriting', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const first = publishEdition<string>([], { results: 'r1', at, by: 'admin' });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const noReason = publishEdition(first.value, { results: 'r2', at, by: 'admin' });
    expect(noReason.ok || noReason.problems[0]?.code).toBe('CORRECTION_REASON_REQUIRED');
    const second = publishEdition(first.value, {
      results: 'r2',
      at,
      by: 'admin',
      reason: 'Salah ketik 18.01',
    });
    expect(second.ok && second.value.map((e) => [e.edition, e.results, e.reason])).toEqual([
      [1, 'r1', undefined],
      [2, 'r2', 'Salah ketik 18.01'],
    ]);
    expect(first.value).toHaveLength(1);
    if (second.ok) {
      expect(latestEdition(second.value)?.edition).toBe(2);
      expect(Object.isFrozen(second.value[0])).toBe(true);
    }
  });
});
