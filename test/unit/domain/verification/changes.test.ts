import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreFast } from '#domain/engine/index';
import {
  answerCatalogue,
  applyDecisions,
  catalogueMap,
  type Decision,
  decisionProblems,
  displayUnits,
  formatUnits,
  verificationOutcome,
  verificationProgress,
} from '#domain/verification/index';
import { innovation, methodology, SID_CODES, SPD_CODES, spdAtLevel, submission } from '../../../support/iid';

const m = methodology('iid-2023');
const at = '2026-09-01T03:00:00.000Z';
const tenInnovations = () =>
  submission({
    methodology: 'iid-2023',
    region: '18.01',
    period: 2023,
    indicators: spdAtLevel(3),
    groups: { inovasi: Array.from({ length: 10 }, (_, i) => innovation(`i${i}`, 3)) },
  });
const d = (answer: string, rest: Omit<Decision, 'answer' | 'assessor' | 'at'>): [string, Decision] => [
  answer,
  { answer, assessor: 'asesor-1', at, ...rest },
];

describe('answer catalogue', () => {
  it('lists SPD answers, then each innovation as a whole followed by its answers', () => {
    const refs = answerCatalogue(m, tenInnovations());
    expect(refs).toHaveLength(SPD_CODES.length + 10 * (1 + SID_CODES.length));
    expect(refs[0]).toMatchObject({ key: '1', kind: 'indicator', level: 3 });
    const first = SPD_CODES.length;
    expect(refs[first]).toMatchObject({ key: 'inovasi/i0', kind: 'item', itemId: 'i0' });
    expect(refs[first + 1]).toMatchObject({ key: 'inovasi/i0/16', kind: 'item-indicator', indicator: '16' });
  });
});

describe('verification outcome (hand-computed, iid-2023)', () => {
  // Self: SPD 63 + SID (10 × 111)/10 + 0.38 × 10 = 177.8 → 71.12.
  it('explains the drop answer by answer, divisor effects included', () => {
    const decisions = new Map([
      // Indicator 1 (weight 1): 3 → 1 point: raw −2 → −0.80.
      d('1', { decision: 'adjust', level: 1, reason: 'EVIDENCE_NOT_SUPPORTING' }),
      // Innovation i3 rejected: −111/10 and one fewer counted innovation (−0.38): −11.48 raw → 70.32 → 65.73.
      d('inovasi/i3', { decision: 'reject', reason: 'DUPLICATE_INNOVATION' }),
      // Inside the rejected innovation: nothing left to take.
      d('inovasi/i3/16', { decision: 'reject', reason: 'EVIDENCE_MISSING' }),
      // Indicator 16 of i4 (weight 3 × level 3 = 9 points) / divisor 10 = 0.9 raw → −0.36.
      d('inovasi/i4/16', { decision: 'reject', reason: 'EVIDENCE_MISSING' }),
      d('2a', { decision: 'accept' }),
    ]);
    const o = verificationOutcome(m, tenInnovations(), decisions);
    expect(o.self.display).toBe('71.12');
    expect(o.verified.display).toBe('65.37');
    expect(o.difference).toBe('-5.75');
    expect(o.changes.map((c) => [c.answer, c.pointsBefore, c.pointsAfter, c.effect])).toEqual([
      ['1', 3, 1, '-0.80'],
      ['inovasi/i3', 111, 0, '-4.59'],
      ['inovasi/i3/16', 0, 0, '0.00'],
      ['inovasi/i4/16', 9, 0, '-0.36'],
    ]);
    expect(o.changes[1]).toMatchObject({
      decision: 'reject',
      reason: 'DUPLICATE_INNOVATION',
      reasonText: { id: 'Inovasi ganda (sudah dilaporkan)', en: 'Duplicate innovation (already reported)' },
      indexBefore: '70.32',
      indexAfter: '65.73',
    });
    // A rejected innovation stays in the divisor: it is marked, not removed.
    expect(o.verifiedSubmission.groups.inovasi).toHaveLength(10);
    expect(o.verifiedSubmission.groups.inovasi?.[3]?.status).toBe('rejected');
  });

  it('leaves the canonical submission untouched', () => {
    const s = tenInnovations();
    const before = JSON.stringify(s);
    applyDecisions(
      s,
      answerCatalogue(m, s),
      new Map([d('1', { decision: 'reject', reason: 'EVIDENCE_MISSING' })]),
    );
    expect(JSON.stringify(s)).toBe(before);
  });

  it('is complete only when every answer has a decision', () => {
    const s = tenInnovations();
    const refs = answerCatalogue(m, s);
    const all = new Map(refs.map((r) => d(r.key, { decision: 'accept' })));
    expect(verificationProgress(refs, all).complete).toBe(true);
    all.delete('inovasi/i9/35');
    const p = verificationProgress(refs, all);
    expect(p).toMatchObject({ complete: false, undecided: ['inovasi/i9/35'], decided: refs.length - 1 });
  });
});

describe('decision validation', () => {
  const s = tenInnovations();
  const refs = catalogueMap(answerCatalogue(m, s));
  const codes = (input: Parameters<typeof decisionProblems>[2]) =>
    decisionProblems(m, refs, input).map((p) => p.code);
  it('accepts valid decisions', () => {
    expect(codes({ answer: '13a', decision: 'adjust', level: 2, reason: 'EVIDENCE_OUTDATED' })).toEqual([]);
    expect(codes({ answer: 'inovasi/i1', decision: 'reject', reason: 'INNOVATION_TOO_OLD' })).toEqual([]);
    expect(codes({ answer: 'inovasi/i1/17', decision: 'accept' })).toEqual([]);
  });
  it('names every problem', () => {
    expect(codes({ answer: '99', decision: 'accept' })).toEqual(['ANSWER_UNKNOWN']);
    expect(codes({ answer: '13a', decision: 'reject' })).toEqual(['REASON_REQUIRED']);
    expect(codes({ answer: '13a', decision: 'adjust', level: 7, reason: 'OTHER' })).toEqual([
      'NOTE_REQUIRED',
      'LEVEL_INVALID',
    ]);
    expect(codes({ answer: '13a', decision: 'adjust', level: 3, reason: 'EVIDENCE_MISSING' })).toEqual([
      'ADJUST_UNCHANGED',
    ]);
    expect(codes({ answer: '13a', decision: 'reject', reason: 'DUPLICATE_INNOVATION' })).toEqual([
      'REASON_NOT_APPLICABLE',
    ]);
    expect(codes({ answer: 'inovasi/i1', decision: 'adjust', level: 1, reason: 'EVIDENCE_MISSING' })).toEqual(
      ['ADJUST_NOT_ALLOWED'],
    );
    expect(codes({ answer: 'inovasi/i1', decision: 'reject', level: 1, reason: 'EVIDENCE_MISSING' })).toEqual(
      ['LEVEL_NOT_EXPECTED'],
    );
    expect(codes({ answer: 'inovasi/i1/16', decision: 'adjust', reason: 'EVIDENCE_MISSING' })).toEqual([
      'ADJUST_TARGET_REQUIRED',
    ]);
    const p = decisionProblems(m, refs, { answer: '13a', decision: 'reject' }, { row: 4 })[0];
    expect(p?.location).toMatchObject({ row: 4, path: '13a' });
    expect(p?.message_id).toMatch(/alasan/);
    expect(p?.message_en).toMatch(/reason/);
  });
});

describe('published units', () => {
  it('round-trips display text', () => {
    expect(displayUnits('47.04', 2)).toBe(4704n);
    expect(displayUnits('0.00', 2)).toBe(0n);
    expect(formatUnits(-123n, 2)).toBe('-1.23');
    expect(formatUnits(5n, 2)).toBe('+0.05');
    expect(formatUnits(0n, 2)).toBe('0.00');
  });
});

// Random IID submissions and random decisions on every answer: the listed effects always add up
// exactly to verified − self, whatever is adjusted, rejected or left undecided.
const levelAnswer = fc.record({
  level: fc.integer({ min: 0, max: 3 }),
  status: fc.constantFrom('accepted', 'accepted', 'rejected'),
  evidence: fc.constant('e.pdf'),
});
const answers = (codes: string[]) =>
  fc.dictionary(fc.constantFrom(...codes), levelAnswer, { maxKeys: codes.length });
const item = fc.record({
  id: fc.uuid(),
  status: fc.constantFrom('accepted', 'accepted', 'rejected'),
  urusan: fc.constantFrom('pendidikan', 'kesehatan', 'pupr'),
  indicators: answers(SID_CODES),
});
const randomSubmission = fc.record({
  methodology: fc.constantFrom('iid-2023', 'iid-2026'),
  region: fc.constant('18.01'),
  period: fc.constant(2023),
  profile: fc.constant({}),
  indicators: answers(SPD_CODES),
  groups: fc.record({ inovasi: fc.uniqueArray(item, { maxLength: 14, selector: (i) => i.id }) }),
});
const choice = fc.record({
  pick: fc.constantFrom('none', 'accept', 'accept', 'adjust', 'reject'),
  level: fc.integer({ min: 1, max: 3 }),
});

describe('changes add up (property)', () => {
  it('Σ effects = verified.display − self.display, and each effect is the step it reports', () => {
    fc.assert(
      fc.property(
        randomSubmission,
        fc.array(choice, { minLength: 400, maxLength: 400 }),
        (input, choices) => {
          const s = submission(input);
          const meth = methodology(input.methodology);
          const refs = answerCatalogue(meth, s);
          const decisions = new Map<string, Decision>();
          refs.forEach((ref, i) => {
            const c = choices[i % choices.length];
            if (!c || c.pick === 'none') return;
            if (c.pick === 'adjust' && ref.kind !== 'item' && ref.level !== c.level)
              decisions.set(ref.key, {
                answer: ref.key,
                decision: 'adjust',
                level: c.level,
                reason: 'EVIDENCE_NOT_SUPPORTING',
                assessor: 'a',
                at,
              });
            else if (c.pick === 'reject')
              decisions.set(ref.key, {
                answer: ref.key,
                decision: 'reject',
                reason: 'EVIDENCE_MISSING',
                assessor: 'a',
                at,
              });
            else decisions.set(ref.key, { answer: ref.key, decision: 'accept', assessor: 'a', at });
          });
          const o = verificationOutcome(meth, s, decisions);
          const dec = meth.output.decimals;
          const sum = o.changes.reduce((acc, c) => acc + displayUnits(c.effect, dec), 0n);
          expect(sum).toBe(displayUnits(o.verified.display, dec) - displayUnits(o.self.display, dec));
          expect(formatUnits(sum, dec)).toBe(o.difference);
          // The verified score is the engine run on the verified submission.
          expect(o.verified).toEqual(scoreFast(meth, applyDecisions(s, refs, decisions)));
          for (const c of o.changes)
            expect(displayUnits(c.indexAfter, dec) - displayUnits(c.indexBefore, dec)).toBe(
              displayUnits(c.effect, dec),
            );
          for (const [i, c] of o.changes.slice(1).entries())
            expect(c.indexBefore).toBe(o.changes[i]?.indexAfter);
          if (o.changes[0]) expect(o.changes[0].indexBefore).toBe(o.self.display);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('incremental attribution (property)', () => {
  it("each change's indexAfter is the full engine run on the submission verified up to that change", () => {
    fc.assert(
      fc.property(
        randomSubmission,
        fc.array(choice, { minLength: 400, maxLength: 400 }),
        (input, choices) => {
          const s = submission(input);
          const meth = methodology(input.methodology);
          const refs = answerCatalogue(meth, s);
          const decisions = new Map<string, Decision>();
          refs.forEach((ref, i) => {
            const c = choices[i % choices.length];
            if (c?.pick === 'reject')
              decisions.set(ref.key, { answer: ref.key, decision: 'reject', assessor: 'a', at });
            else if (c?.pick === 'adjust' && ref.kind !== 'item' && ref.level !== c.level)
              decisions.set(ref.key, {
                answer: ref.key,
                decision: 'adjust',
                level: c.level,
                assessor: 'a',
                at,
              });
          });
          const o = verificationOutcome(meth, s, decisions);
          const applied = new Map<string, Decision>();
          for (const change of o.changes) {
            const d = decisions.get(change.answer);
            if (d) applied.set(change.answer, d);
            // Re-packed from scratch: what the incremental repack of one cell or row must equal.
            expect(scoreFast(meth, applyDecisions(s, refs, applied)).display).toBe(change.indexAfter);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
