import { describe, expect, it } from 'vitest';
import {
  type AggregateTrace,
  type GroupTrace,
  type NodeTrace,
  type ScoreCard,
  score,
  scoreFast,
} from '#domain/engine/index';
import { exampleWith, loadExample, methodology } from './helpers';

function node(card: ScoreCard, id: string): NodeTrace {
  const found = card.breakdown.children.find((c) => (c.kind === 'indicator' ? c.code : c.id) === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}
const spd = (card: ScoreCard) => node(card, 'SPD') as AggregateTrace;
const sid = (card: ScoreCard) => node(card, 'SID') as GroupTrace;
const tally = (scores: number[]) =>
  scores.reduce<Record<string, number>>((t, s) => {
    t[String(s)] = (t[String(s)] ?? 0) + 1;
    return t;
  }, {});

/*
 * One innovation scores Σ weight × level over indicators 16-35 (weights 3 2 2 2 1 2 1 1 1 1 1 1 2 1 2 3 2 3 2 4,
 * maximum 37 × 3 = 111). The examples use four answer profiles, so the sums can be checked by hand:
 *   excellent = 111 − 2 (30 at level 2) − 3 (31 at level 2)                                              = 106
 *   strong    = 16:9 17:6 18:4 19:6 20:2 21:6 22:3 23:2 24:2 25:3 26:2 27:3 28:4 29:3 30:4 31:6 32:4 33:9 34:4 35:12 = 94
 *   medium    = 16:6 17:4 18:4 19:4 20:1 21:4 22:2 23:2 24:1 25:2 26:2 27:2 28:4 29:2 30:2 31:3 32:4 33:6 34:4 35:8  = 67
 *   weak      = 16:3 17:2 18:2 19:0 20:0 21:2 22:1 23:1 24:0 25:1 26:1 27:1 28:2 29:1 30:0 31:0 32:2 33:3 34:2 35:4  = 28
 * Numeric answers (people, days, beneficiaries, ...) vary per innovation but fall in the band of the profile's level.
 */
describe('examples/iid-2023-lampung-selatan.json (rejected innovations stay in the divisor)', () => {
  const m = methodology('iid-2023');
  const submission = loadExample('iid-2023-lampung-selatan.json');
  const card = score(m, submission);

  it('scores SPD = 43.5 with the rejected indicator 15 worth 0', () => {
    /*
     * SPD = 1:1×3 + 2a:1×3 + 2b:1×2 + 3:1×3 (12.5 % ≥ 8.17) + 4:1×2 (4.1 in 2.04-5.23)
     *     + 5a:0.75×3 (0.41 ≥ 0.36) + 5b:0.75×2 (4.97 in 2.35-5.91) + 6:1.5×2 (25.3) + 7:1.5×2 (12.4) + 8:1.5×3
     *     + 9:1×2 + 10a:0.75×2 (0.52) + 10b:0.75×1 (14.08 ≥ 13.1) + 11a:0.75×2 (0.72) + 11b:0.75×2 (70.86)
     *     + 12:2×2 + 13a:1×2 (5 recommendations) + 13b:1×2 + 14:1×1 + 15: rejected → 0
     *     = 3 + 3 + 2 + 3 + 2 + 2.25 + 1.5 + 3 + 3 + 4.5 + 2 + 1.5 + 0.75 + 1.5 + 1.5 + 4 + 2 + 2 + 1 + 0 = 43.5
     */
    expect(spd(card).score).toBeCloseTo(43.5, 12);
    const fifteen = spd(card).children.find((c) => c.kind === 'indicator' && c.code === '15');
    expect(fifteen).toMatchObject({ status: 'rejected', score: 0 });
  });

  it('divides the accepted innovations by all 14 reported and counts only the 11 accepted', () => {
    /*
     * 14 innovations reported, 3 rejected (INV-12..14, worth nothing but still in the divisor).
     * Accepted: 3 strong (94) + 1 strong whose video (35, weight 4 × level 3 = 12) was rejected (94 − 12 = 82)
     *         + 5 medium (67) + 2 weak (28) = 282 + 82 + 335 + 56 = 755
     * SID = 755 / MAX(10, 14) + 0.38 × min(11, 200) = 53.928571… + 4.18 = 58.108571…
     */
    const group = sid(card);
    expect(group.items.map((i) => i.score)).toEqual([94, 94, 94, 82, 67, 67, 67, 67, 67, 28, 28, 0, 0, 0]);
    expect(group.items.filter((i) => i.status === 'rejected').map((i) => i.id)).toEqual([
      'INV-12',
      'INV-13',
      'INV-14',
    ]);
    expect(group).toMatchObject({ reported: 14, accepted: 11, itemsTotal: 755, divisor: 14 });
    expect(group.countScore?.points).toBeCloseTo(4.18, 12);
    expect(group.score).toBeCloseTo(755 / 14 + 4.18, 12);
  });

  it('gives IID = (43.5 + 58.108571) / 250 × 100 = 40.64: Inovatif', () => {
    expect(card.rawTotal).toBeCloseTo(101.608571428571, 9);
    expect(card.index).toBeCloseTo(40.6434285714286, 9);
    expect(card.display).toBe('40.64');
    expect(card.predikat).toBe('Inovatif');
    expect(card.warnings).toEqual([]);
    expect(scoreFast(m, submission).index).toBe(card.index);
  });

  it('would score higher if the rejected innovations left the divisor (which they must not)', () => {
    // Dropping them: 755 / MAX(10, 11) + 4.18 = 72.818… → IID = (43.5 + 72.818) / 250 × 100 = 46.53.
    const withoutRejected = exampleWith('iid-2023-lampung-selatan.json', (raw) => {
      const items = raw.groups?.inovasi ?? [];
      raw.groups = { inovasi: items.filter((i) => i.status !== 'rejected') };
    });
    expect(scoreFast(m, withoutRejected).display).toBe('46.53');
  });
});

describe('examples/iid-2023-disclaimer.json (nothing evidence-based)', () => {
  const m = methodology('iid-2023');
  const card = score(m, loadExample('iid-2023-disclaimer.json'));

  it('is Tidak Dapat Dinilai with index 0: answers without evidence and a rejected document do not count', () => {
    expect(card.assessable).toBe(false);
    expect(card.index).toBe(0);
    expect(card.display).toBe('0.00');
    expect(card.predikat).toBe('Tidak Dapat Dinilai');
    expect(card.warnings.map((w) => w.code)).toContain('NOT_ASSESSABLE');
  });
});

describe('examples/iid-2026-*.json (the count score needs 5 of the 6 basic-service urusan)', () => {
  const m = methodology('iid-2026');

  it('kota-mojokerto covers all 6, so the count score applies: 67.04 Sangat Inovatif', () => {
    /*
     * SPD = 1:3 2a:3 2b:3 3:3 (15.2) 4:3 (5.9) 5a:0.75×3 (0.52) 5b:0.75×2 (4.35) 6:1.5×2 (38.4) 7:1.5×3 (36.2)
     *     8:1.5×3 9:3 10a:0.75×3 (1.21) 10b:0.75×2 (5.61) 11a:0.75×3 (0.95) 11b:0.75×3 (80.83) 12:2×3 13a:3 (9)
     *     13b:3 14:2 15:2
     *     = 15 + 2.25 + 1.5 + 3 + 4.5 + 4.5 + 3 + 2.25 + 1.5 + 2.25 + 2.25 + 6 + 3 + 3 + 2 + 2 = 58
     * 40 reported, 2 rejected; accepted 24 excellent + 12 strong + 2 medium = 2544 + 1128 + 134 = 3806
     * SID = 3806 / MAX(12, 40) + 0.38 × 38 = 95.15 + 14.44 = 109.59
     * IID = (58 + 109.59) / 250 × 100 = 67.036 → 67.04 ≥ 65.01: Sangat Inovatif
     */
    const card = score(m, loadExample('iid-2026-kota-mojokerto.json'));
    expect(spd(card).score).toBeCloseTo(58, 12);
    const group = sid(card);
    expect(tally(group.items.map((i) => i.score))).toEqual({ '106': 24, '94': 12, '67': 2, '0': 2 });
    expect(group).toMatchObject({ reported: 40, accepted: 38, itemsTotal: 3806, divisor: 40 });
    expect(group.countScore).toMatchObject({ conditionMet: true, counted: 38 });
    expect(group.countScore?.covered).toEqual([
      'kesehatan',
      'pendidikan',
      'perumahan',
      'pupr',
      'sosial',
      'trantibumlinmas',
    ]);
    expect(group.countScore?.points).toBeCloseTo(14.44, 12);
    expect(card.index).toBeCloseTo(67.036, 9);
    expect(card.display).toBe('67.04');
    expect(card.predikat).toBe('Sangat Inovatif');
  });

  it('lombok-barat covers only 4 (its trantibumlinmas innovation was rejected): no count score, 39.58 Kurang Inovatif', () => {
    /*
     * SPD = 1:2 2a:3 2b:2 3:2 (−12.4) 4:2 (3.9) 5a:0.75×1 (−0.2) 5b:0.75×2 (3.1) 6:1.5×2 (12) 7:1.5×2 (8.7) 8:1.5×3
     *     9:2 10a:0.75×2 (0.4) 10b:0.75×1 (13.5) 11a:0.75×2 (0.71) 11b:0.75×2 (70.4) 12:2×1 13a:1 (2) 13b:1, 14-15 empty
     *     = 11 + 0.75 + 1.5 + 3 + 3 + 4.5 + 2 + 1.5 + 0.75 + 1.5 + 1.5 + 2 + 1 + 1 = 35
     * 20 reported, 1 rejected; accepted 6 strong + 9 medium + 4 weak = 564 + 603 + 112 = 1279
     * covered basic services: kesehatan, pendidikan, pupr, sosial = 4 < 5 → count score 0 (would be 0.38 × 19 = 7.22)
     * SID = 1279 / MAX(12, 20) + 0 = 63.95;  IID = (35 + 63.95) / 250 × 100 = 39.58 < 40.01: Kurang Inovatif
     */
    const card = score(m, loadExample('iid-2026-lombok-barat-layanan-dasar-kurang.json'));
    expect(spd(card).score).toBeCloseTo(35, 12);
    const group = sid(card);
    expect(group).toMatchObject({ reported: 20, accepted: 19, itemsTotal: 1279, divisor: 20 });
    expect(group.countScore).toMatchObject({
      conditionMet: false,
      points: 0,
      covered: ['kesehatan', 'pendidikan', 'pupr', 'sosial'],
    });
    expect(card.index).toBeCloseTo(39.58, 9);
    expect(card.display).toBe('39.58');
    expect(card.predikat).toBe('Kurang Inovatif');

    // Re-labelling one accepted innovation as perumahan makes 5 of 6: + 7.22 → (35 + 71.17) / 250 × 100 = 42.468.
    const covered = exampleWith('iid-2026-lombok-barat-layanan-dasar-kurang.json', (raw) => {
      for (const item of raw.groups?.inovasi ?? []) if (item.id === 'INV-11') item.urusan = 'perumahan';
    });
    const better = scoreFast(m, covered);
    expect(better.index).toBeCloseTo(42.468, 9);
    expect(better.predikat).toBe('Inovatif');
  });
});
