import { describe, expect, it } from 'vitest';
import { type DemoAnswer, decisionSheet, mainReasons, planRegion } from '#cli/demo/verification-plan';
import { answerCatalogue, catalogueMap, decisionProblems } from '#domain/verification/index';
import { REASONS, type ReasonCode } from '#domain/verification/reasons';
import { readDecisionSheet } from '#intake/decision-sheet';
import { innovation, methodology, spdAtLevel, submission } from '../../support/iid';

/** The verification demo's decisions: realistic shares, valid against the real catalogue, deterministic. */
const m = methodology('iid-2023');
const catalogue = (kode: string, innovations: number, level: number) =>
  answerCatalogue(
    m,
    submission({
      methodology: 'iid-2023',
      region: kode,
      period: 2023,
      indicators: spdAtLevel(level),
      groups: { inovasi: Array.from({ length: innovations }, (_, i) => innovation(`i${i}`, level)) },
    }),
  );
const regions = Array.from(
  { length: 60 },
  (_, i) => `${String(11 + (i % 20)).padStart(2, '0')}.${String(1 + i).padStart(2, '0')}`,
);

describe('verification demo plan', () => {
  it('does not accept about 15 % of the answers, each with a valid reason and target', () => {
    let answers = 0;
    let notAccepted = 0;
    let items = 0;
    let itemsRejected = 0;
    for (const [i, kode] of regions.entries()) {
      const refs = catalogue(kode, 5 + (i % 15), 2 + (i % 3));
      const plan = planRegion(2026, kode, refs);
      const byKey = catalogueMap(refs);
      for (const d of [...plan.primary, ...plan.second])
        expect(decisionProblems(m, byKey, d, { path: d.answer }), `${kode} ${d.answer}`).toEqual([]);
      for (const d of plan.primary) {
        const kind = byKey.get(d.answer)?.kind;
        answers++;
        if (d.decision !== 'accept') notAccepted++;
        if (kind === 'item') {
          items++;
          if (d.decision === 'reject') itemsRejected++;
        } else if (d.decision !== 'accept')
          expect(REASONS[d.reason as ReasonCode].innovationOnly).toBe(false);
      }
      expect(plan.primary.map((d) => d.answer)).toEqual(refs.map((r) => r.key));
    }
    expect(notAccepted / answers).toBeGreaterThan(0.12);
    expect(notAccepted / answers).toBeLessThan(0.18);
    // A few whole innovations, not many.
    expect(itemsRejected).toBeGreaterThan(0);
    expect(itemsRejected / items).toBeLessThan(0.08);
  });

  it('is deterministic for a seed and differs by seed and region', () => {
    const refs = catalogue('18.01', 12, 3);
    expect(planRegion(7, '18.01', refs)).toEqual(planRegion(7, '18.01', refs));
    expect(planRegion(7, '18.01', refs)).not.toEqual(planRegion(8, '18.01', refs));
    expect(planRegion(7, '18.01', refs)).not.toEqual(planRegion(7, '18.02', refs));
  });

  it('lets the second assessor disagree on a few answers only', () => {
    let differ = 0;
    let total = 0;
    for (const kode of regions) {
      const plan = planRegion(2026, kode, catalogue(kode, 10, 3));
      plan.primary.forEach((d, i) => {
        total++;
        if (JSON.stringify(d) !== JSON.stringify(plan.second[i])) differ++;
      });
    }
    expect(differ).toBeGreaterThan(0);
    expect(differ / total).toBeLessThan(0.1);
  });

  it('writes a sheet the bulk decision reader accepts row for row', async () => {
    const refs: DemoAnswer[] = catalogue('18.01', 8, 3);
    const plan = planRegion(3, '18.01', refs);
    const read = await readDecisionSheet(Buffer.from(decisionSheet('18.01', plan.primary)), 'k.csv');
    expect(read.problems).toEqual([]);
    expect(read.rows.map((r) => ({ kode: r.kode, ...r.input }))).toEqual(
      plan.primary.map((d) => ({ kode: '18.01', ...d })),
    );
  });

  it('names the reasons that cost most (hand-computed)', () => {
    expect(
      mainReasons([
        { reason: 'EVIDENCE_MISSING', effect: '-1.20' },
        { reason: 'EVIDENCE_OUTDATED', effect: '-0.50' },
        { reason: 'EVIDENCE_MISSING', effect: '-0.30' },
        { reason: 'DUPLICATE_INNOVATION', effect: '-2.00' },
      ]),
    ).toEqual([
      { reason: 'DUPLICATE_INNOVATION', effect: -2, count: 1 },
      { reason: 'EVIDENCE_MISSING', effect: -1.5, count: 2 },
    ]);
  });
});
