import { describe, expect, it } from 'vitest';
import {
  type AggregateTrace,
  type IndicatorTrace,
  type NodeTrace,
  rank,
  type ScoreCard,
  score,
  scoreFast,
  scoreRun,
} from '#domain/engine/index';
import { exampleWith, loadExample, methodology } from './helpers';

const m = methodology('ikkd-2020');
const BANYUWANGI = 'ikkd-2020-kabupaten-banyuwangi.json';
const SURAKARTA = 'ikkd-2020-kota-surakarta.json';
const PESISIR_SELATAN_PJ = 'ikkd-2020-kabupaten-pesisir-selatan-pj.json';

function find(node: NodeTrace, id: string): NodeTrace | undefined {
  if ((node.kind === 'indicator' ? node.code : node.id) === id) return node;
  if (node.kind !== 'aggregate') return undefined;
  for (const child of node.children) {
    const hit = find(child, id);
    if (hit) return hit;
  }
  return undefined;
}
const aggregate = (card: ScoreCard, id: string) => find(card.breakdown, id) as AggregateTrace;
const leaf = (card: ScoreCard, code: string) => find(card.breakdown, code) as IndicatorTrace;

/*
 * IKKD = (0.6 × V1 + 0.4 × V2) / 1, every node a weighted mean (excluded children drop out of the divisor).
 *   V1 = 0.8 × D1.1 + 0.2 × D1.2
 *   D1.1 = 0.12 × growth + 0.10 × fiscal capacity (min-max) + 0.10 × independence (min-max) + 0.16 × EKPPD
 *        + 0.12 × poverty + 0.10 × unemployment + 0.12 × HDI + 0.08 × RB category + 0.10 × SAKIP score
 *   D1.2 = 0.7 × national awards + 0.3 × presidential/international awards
 *   V2 = 0.4 × birokrasi + 0.3 × politik + 0.3 × sosial, each (mean of item means − 1) / (5 − 1) × 100
 * Goalposts: growth 0..7 %, EKPPD 0..4, poverty 30..2 %, unemployment 12..2 %, HDI 55..85, SAKIP 50..90.
 */
describe('ikkd-2020 examples scored alone (provisional: the min-max indicators await the national run)', () => {
  it('kabupaten-banyuwangi: 77.16 Tinggi', () => {
    /*
     * growth 5.6 → 80; EKPPD 3.4 → 85; poverty 7.6 → (30 − 7.6) / 28 = 80; TPT 3.9 → (12 − 3.9) / 10 = 81;
     * HDI 70.6 → 15.6 / 30 = 52; SAKIP 76.1 → 26.1 / 40 = 65.25; RB BB → 75; 1.1.2 and 1.1.3 pending.
     * D1.1 = (0.12×80 + 0.16×85 + 0.12×80 + 0.10×81 + 0.12×52 + 0.10×65.25 + 0.08×75) / 0.8
     *      = (9.6 + 13.6 + 9.6 + 8.1 + 6.24 + 6.525 + 6) / 0.8 = 59.665 / 0.8 = 74.58125
     * D1.2 = 0.7 × 100 (8 awards) + 0.3 × 60 (1 award) = 88;  V1 = 0.8 × 74.58125 + 0.2 × 88 = 77.265
     * Survey, 42 respondents: R41 left KP3 empty (invalid for politik only), R42 answered 6 to KB2 (invalid for
     * birokrasi only). birokrasi 41 valid, Σ 861 over 41 × 5 → mean 4.2 → 80; politik 41 valid, Σ 615 over
     * 41 × 4 → 3.75 → 68.75; sosial 42 valid, Σ 714 over 42 × 4 → 4.25 → 81.25.
     * V2 = 0.4×80 + 0.3×68.75 + 0.3×81.25 = 32 + 20.625 + 24.375 = 77
     * IKKD = 0.6 × 77.265 + 0.4 × 77 = 46.359 + 30.8 = 77.159
     */
    const card = score(m, loadExample(BANYUWANGI));
    expect(aggregate(card, 'D1.1').score).toBeCloseTo(74.58125, 9);
    expect(aggregate(card, 'D1.1').weightsUsed).toBeCloseTo(0.8, 12);
    expect(aggregate(card, 'D1.2').score).toBeCloseTo(88, 9);
    expect(leaf(card, '2.1').score).toBeCloseTo(80, 9);
    expect(leaf(card, '2.2').score).toBeCloseTo(68.75, 9);
    expect(leaf(card, '2.3').score).toBeCloseTo(81.25, 9);
    expect(aggregate(card, 'V2').score).toBeCloseTo(77, 9);
    expect(card.index).toBeCloseTo(77.159, 9);
    expect(card.display).toBe('77.16');
    expect(card.predikat).toBe('Tinggi');
    expect(card).toMatchObject({ eligible: true, provisional: true, ineligibility: [] });
  });

  it('kota-surakarta: 84.46 Sangat Tinggi', () => {
    /*
     * growth 5.95 → 85; EKPPD 3.2 → 80; poverty 8.44 → 21.56 / 28 = 77; TPT 4.2 → 78; HDI 81.85 → 26.85 / 30 = 89.5;
     * SAKIP 80.5 → 30.5 / 40 = 76.25; RB A → 90.
     * D1.1 = (10.2 + 12.8 + 9.24 + 7.8 + 10.74 + 7.625 + 7.2) / 0.8 = 65.605 / 0.8 = 82.00625
     * D1.2 = 0.7 × 100 (11 awards) + 0.3 × 100 (2 awards) = 100;  V1 = 0.8 × 82.00625 + 20 = 85.605
     * 35 respondents, all valid: birokrasi Σ 770 / 175 = 4.4 → 85; politik Σ 560 / 140 = 4 → 75;
     * sosial Σ 630 / 140 = 4.5 → 87.5;  V2 = 34 + 22.5 + 26.25 = 82.75
     * IKKD = 0.6 × 85.605 + 0.4 × 82.75 = 51.363 + 33.1 = 84.463
     */
    const card = score(m, loadExample(SURAKARTA));
    expect(aggregate(card, 'V1').score).toBeCloseTo(85.605, 9);
    expect(aggregate(card, 'V2').score).toBeCloseTo(82.75, 9);
    expect(card.index).toBeCloseTo(84.463, 9);
    expect(card.display).toBe('84.46');
    expect(card.predikat).toBe('Sangat Tinggi');
  });

  it('kabupaten-pesisir-selatan-pj: 55.62 Sedang, but ineligible (Pj head, SAKIP CC) with both reasons', () => {
    /*
     * growth 4.9 → 70; EKPPD 2.8 → 70; poverty 7.88 → 22.12 / 28 = 79; TPT 5 → 70; HDI 69.4 → 48;
     * SAKIP 58 → 20; RB C → 20.
     * D1.1 = (8.4 + 11.2 + 9.48 + 7 + 5.76 + 2 + 1.6) / 0.8 = 45.44 / 0.8 = 56.8
     * D1.2 = 0.7 × 40 (2 awards) + 0.3 × 0 = 28;  V1 = 0.8 × 56.8 + 0.2 × 28 = 51.04
     * 32 respondents: birokrasi Σ 560 / 160 = 3.5 → 62.5; politik Σ 416 / 128 = 3.25 → 56.25;
     * sosial Σ 480 / 128 = 3.75 → 68.75;  V2 = 25 + 16.875 + 20.625 = 62.5
     * IKKD = 0.6 × 51.04 + 0.4 × 62.5 = 30.624 + 25 = 55.624
     */
    const card = score(m, loadExample(PESISIR_SELATAN_PJ));
    expect(card.index).toBeCloseTo(55.624, 9);
    expect(card.display).toBe('55.62');
    expect(card.predikat).toBe('Sedang');
    expect(card.eligible).toBe(false);
    expect(card.ineligibility.map((r) => [r.rule, r.field, r.found])).toEqual([
      ['kepala-daerah-definitif', 'statusKepalaDaerah', 'pj'],
      ['sakip-minimal-b', 'sakip', 'CC'],
    ]);
    expect(card.ineligibility[0]?.message_id).toMatch(/penjabat \(Pj\)/);
    expect(card.ineligibility[1]?.message_en).toMatch(/at least B/);
  });
});

describe('ikkd-2020 national run of the three examples', () => {
  const subs = [BANYUWANGI, SURAKARTA, PESISIR_SELATAN_PJ].map(loadExample);

  it('leaves min-max pending without statistics and scores it in scoreRun', () => {
    const alone = score(m, loadExample(BANYUWANGI));
    expect(leaf(alone, '1.1.2')).toMatchObject({ status: 'pending', score: null });
    expect(
      alone.warnings.filter((w) => w.code === 'PENDING_NATIONAL_RUN').map((w) => w.location.indicator),
    ).toEqual(['1.1.2', '1.1.3']);

    /*
     * Fiscal capacity index: Pesisir Selatan 0.5, Banyuwangi 1.1, Surakarta 2.1 → Banyuwangi (1.1 − 0.5) / 1.6 = 37.5
     * Independence ratio: 6 %, 16 %, 26 % → Banyuwangi (16 − 6) / 20 = 50
     */
    const { stats, results } = scoreRun(m, subs, { trace: true });
    expect(stats.get('1.1.2')).toMatchObject({ count: 3, min: 0.5, max: 2.1 });
    expect(stats.get('1.1.3')).toMatchObject({ count: 3, min: 6, max: 26 });
    const [banyuwangi, surakarta, pesisir] = results;
    if (!banyuwangi || !surakarta || !pesisir) throw new Error('three results expected');
    expect(leaf(banyuwangi, '1.1.2')).toMatchObject({ status: 'scored' });
    expect(leaf(banyuwangi, '1.1.2').score).toBeCloseTo(37.5, 9);
    expect(leaf(banyuwangi, '1.1.3').score).toBeCloseTo(50, 9);
    expect(banyuwangi.provisional).toBe(false);

    /*
     * Banyuwangi: D1.1 = 59.665 + 0.10×37.5 + 0.10×50 = 68.415; V1 = 0.8 × 68.415 + 17.6 = 72.332;
     *   IKKD = 0.6 × 72.332 + 30.8 = 74.1992
     * Surakarta (both at the maximum → 100): D1.1 = 65.605 + 10 + 10 = 85.605; V1 = 68.484 + 20 = 88.484;
     *   IKKD = 0.6 × 88.484 + 33.1 = 86.1904
     * Pesisir Selatan (both at the minimum → 0): D1.1 = 45.44; V1 = 36.352 + 5.6 = 41.952;
     *   IKKD = 0.6 × 41.952 + 25 = 50.1712
     */
    expect(results.map((r) => [r.region, r.display, r.predikat])).toEqual([
      ['35.10', '74.20', 'Tinggi'],
      ['33.72', '86.19', 'Sangat Tinggi'],
      ['13.01', '50.17', 'Sedang'],
    ]);
    expect(banyuwangi.index).toBeCloseTo(74.1992, 9);
    expect(surakarta.index).toBeCloseTo(86.1904, 9);
    expect(pesisir.index).toBeCloseTo(50.1712, 9);
    expect(scoreRun(m, subs).results.map((r) => r.index)).toEqual(results.map((r) => r.index));
  });

  it('ranks per jenis, listing the ineligible Pj region without a rank', () => {
    const { results } = scoreRun(m, subs);
    const rankings = Object.fromEntries(rank(results, m.clusters).map((r) => [r.cluster, r.entries]));
    expect(rankings.provinsi).toEqual([]);
    expect(rankings.kota?.map((e) => [e.region, e.rank])).toEqual([['33.72', 1]]);
    expect(rankings.kabupaten?.map((e) => [e.region, e.rank, e.unranked])).toEqual([
      ['35.10', 1, undefined],
      ['13.01', null, 'ineligible'],
    ]);
  });
});

describe('ikkd-2020 eligibility', () => {
  const card = (profile: Record<string, string>) =>
    score(
      m,
      exampleWith(BANYUWANGI, (raw) => {
        raw.profile = profile;
      }),
    );
  const ok = { statusKepalaDaerah: 'definitif', statusHukum: 'none', sakip: 'B' };

  it('accepts a definitive head with no legal status and SAKIP B or better', () => {
    for (const sakip of ['B', 'BB', 'A', 'AA']) expect(card({ ...ok, sakip }).eligible, sakip).toBe(true);
  });

  it.each([
    [{ statusKepalaDaerah: 'pj' }, 'kepala-daerah-definitif'],
    [{ statusKepalaDaerah: 'plt' }, 'kepala-daerah-definitif'],
    [{ statusHukum: 'tersangka' }, 'tidak-berstatus-hukum'],
    [{ statusHukum: 'terdakwa' }, 'tidak-berstatus-hukum'],
    [{ sakip: 'CC' }, 'sakip-minimal-b'],
    [{ sakip: 'D' }, 'sakip-minimal-b'],
  ])('refuses %o with reason %s, still scoring the region', (change, rule) => {
    const result = card({ ...ok, ...change });
    expect(result.eligible).toBe(false);
    expect(result.ineligibility.map((r) => r.rule)).toEqual([rule]);
    expect(result.display).toBe('77.16');
  });

  it('treats an undeclared profile field as failing, saying it was not declared', () => {
    const result = card({ statusKepalaDaerah: 'definitif', statusHukum: 'none' });
    expect(result.ineligibility).toHaveLength(1);
    expect(result.ineligibility[0]).toMatchObject({ rule: 'sakip-minimal-b', found: null });
    expect(result.ineligibility[0]?.message_id).toMatch(/tidak dinyatakan/);
  });
});

describe('ikkd-2020 leadership survey below the minimum of 30 valid respondents', () => {
  /** Blanks KP1 for every respondent from index `from`, leaving `from` valid respondents for politik (R41 is invalid anyway). */
  const politikValidUpTo = (from: number) =>
    exampleWith(BANYUWANGI, (raw) => {
      for (const [i, r] of (raw.survey?.respondents ?? []).entries()) if (i >= from) r.answers.KP1 = null;
    });

  it('scores the short dimension 0 without sharing its weight, and leaves the region unranked', () => {
    /*
     * politik keeps 29 valid respondents < 30 → 0. birokrasi (41 valid) 80 and sosial (42) 81.25 are unchanged.
     * V2 = 0.4 × 80 + 0.3 × 0 + 0.3 × 81.25 = 32 + 24.375 = 56.375 (weights still sum to 1)
     * IKKD = 0.6 × 77.265 + 0.4 × 56.375 = 46.359 + 22.55 = 68.909 → 68.91
     */
    const card = score(m, politikValidUpTo(29));
    expect(leaf(card, '2.2')).toMatchObject({ status: 'not-scored', score: 0 });
    expect(aggregate(card, 'V2').weightsUsed).toBeCloseTo(1, 12);
    expect(aggregate(card, 'V2').score).toBeCloseTo(56.375, 9);
    expect(card.index).toBeCloseTo(68.909, 9);
    expect(card.display).toBe('68.91');
    expect(card).toMatchObject({ eligible: true, assessable: true, surveyBelowMinimum: true });
    const warning = card.warnings.find((w) => w.code === 'SURVEY_BELOW_MINIMUM');
    expect(warning?.location.indicator).toBe('2.2');
    expect(warning?.message_id).toMatch(/29.*tidak diperingkat/);
    expect(scoreFast(m, politikValidUpTo(29))).toMatchObject({ index: card.index, surveyBelowMinimum: true });
  });

  it('scores the dimension at exactly 30 valid respondents', () => {
    const card = score(m, politikValidUpTo(30));
    expect(leaf(card, '2.2').status).toBe('scored');
    expect(card.surveyBelowMinimum).toBe(false);
    expect(card.warnings.map((w) => w.code)).not.toContain('SURVEY_BELOW_MINIMUM');
  });

  it('without any survey the leadership variable is 0 and all 3 dimensions are flagged', () => {
    const card = score(
      m,
      exampleWith(BANYUWANGI, (raw) => {
        raw.survey = { respondents: [] };
      }),
    );
    expect(card.warnings.filter((w) => w.code === 'SURVEY_BELOW_MINIMUM')).toHaveLength(3);
    expect(aggregate(card, 'V2').score).toBe(0);
    // 0.6 × 77.265 = 46.359
    expect(card.index).toBeCloseTo(46.359, 9);
    expect(card.surveyBelowMinimum).toBe(true);
  });
});
