import { describe, expect, it } from 'vitest';
import { adviseImprovements } from '#domain/engine/index';
import { submissionSchema } from '#domain/submission';
import { innovation, methodology, SPD_CODES } from '../../support/iid';

const iid = methodology('iid-2023');

/**
 * iid-2023, by hand: SPD weights sum to 21 (max 63), SID weights to 37 (max 111 per innovation),
 * divisor MAX(10, n), count score 0.38 per accepted innovation, index = total / 250 x 100.
 * Every SPD indicator at level 2 except 12 (weight 2) at level 1: SPD = 2 x 21 - 2 = 40.
 * Ten innovations at level 2: SID = 10 x 74 / 10 + 10 x 0.38 = 77.8. Total 117.8, index 47.12.
 */
const region = submissionSchema.parse({
  methodology: 'iid-2023',
  region: '35.76',
  period: 2023,
  profile: {},
  indicators: Object.fromEntries(
    SPD_CODES.map((c) => [c, { level: c === '12' ? 1 : 2, evidence: `${c}.pdf` }]),
  ),
  groups: { inovasi: Array.from({ length: 10 }, (_, k) => innovation(`i${k}`, 2)) },
});

describe('advice: what moves my rank', () => {
  it('lists the five single improvements that raise the index most, with index and rank (hand-computed)', () => {
    const advice = adviseImprovements({
      methodology: iid,
      submission: region,
      stats: new Map(),
      others: { kota: [50, 48, 47.5, 40] },
    });
    expect(advice.baseline).toMatchObject({ display: '47.12', predikat: 'Inovatif' });
    expect(advice.baseline.ranks).toEqual([{ cluster: 'kota', rank: 4, from: 4 }]);
    const [first, second, ...rest] = advice.improvements;
    // An 11th innovation at level 3: (740 + 111) / 11 + 11 x 0.38 = 81.5436…; + 40 = 121.5436… → 48.6175 (rank 2).
    expect(first).toMatchObject({
      kind: 'new-item',
      toLevel: 3,
      display: '48.62',
      ranks: [{ rank: 2, from: 4 }],
    });
    expect(first?.index).toBeCloseTo(((40 + 851 / 11 + 4.18) / 250) * 100, 9);
    // Indicator 12 (weight 2) from level 1 to 2: + 2 → 119.8 → 47.92 (rank 3).
    expect(second).toMatchObject({
      kind: 'indicator',
      indicator: '12',
      fromLevel: 1,
      toLevel: 2,
      display: '47.92',
      ranks: [{ cluster: 'kota', rank: 3, from: 4 }],
    });
    expect(second?.gain).toBeCloseTo(0.8, 9);
    // Then the weight-1.5 indicators 6, 7, 8 from level 2 to 3: + 1.5 → 119.3 → 47.72.
    expect(rest.map((i) => [i.indicator, i.display, i.ranks[0]?.rank])).toEqual([
      ['6', '47.72', 3],
      ['7', '47.72', 3],
      ['8', '47.72', 3],
    ]);
    expect(advice.improvements).toHaveLength(5);
    expect(second?.description.id).toContain('Naikkan indikator 12');
  });

  it('never proposes a change that lowers the index (an innovation at level 1 dilutes the average)', () => {
    const advice = adviseImprovements(
      { methodology: iid, submission: region, stats: new Map(), others: {} },
      100,
    );
    expect(advice.improvements.every((i) => i.gain > 0)).toBe(true);
    expect(advice.improvements.some((i) => i.kind === 'new-item' && i.toLevel === 1)).toBe(false);
    // One innovation's indicator 35 (weight 4) from 2 to 3: + 4 / 10 = 0.4 → 47.28.
    expect(
      advice.improvements.find((i) => i.kind === 'item-indicator' && i.indicator === '35'),
    ).toMatchObject({
      item: 'i0',
      display: '47.28',
    });
    // The same gain in every innovation is offered once.
    expect(advice.improvements.filter((i) => i.indicator === '35')).toHaveLength(1);
  });
});
