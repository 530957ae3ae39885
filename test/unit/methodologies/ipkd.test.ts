import { describe, expect, it } from 'vitest';
import { roundDecimal } from '#domain/engine/display';
import { type AggregateTrace, rank, score, scoreFast, scoreRun } from '#domain/engine/index';
import { predikatOf } from '#domain/engine/predikat';
import { exampleWith, loadExample, methodology } from './helpers';

const m = methodology('ipkd-2020');
const PASER = 'ipkd-2020-kabupaten-paser.json';
const KENDARI = 'ipkd-2020-kota-kendari.json';
const PASANGKAYU = 'ipkd-2020-kabupaten-pasangkayu.json';

const dimensions = (file: string) =>
  score(m, loadExample(file)).breakdown.children.map((d) => (d as AggregateTrace).score);

/*
 * IPKD = 0.15 D1 + 0.20 D2 + 0.15 D3 + 0.15 D4 + 0.20 D5 + 0.15 D6, each dimension the weighted mean of its
 * indicators on 0..100:
 *   D1 = 0.4 RKPD-APBD match (50..100 %) + 0.3 APBD on time + 0.3 accountability bylaw on time (0 / 50 / 100)
 *   D2 = 0.25 each: education (< 15 → 0, 15-20 → 50, ≥ 20 → 100), health (< 5, 5-10, ≥ 10), capital 10..30 %,
 *        personnel 50..30 % (lower is better)
 *   D3 = 0.6 published documents 0..12 + 0.4 e-transaction level (25 / 50 / 75 / 100)
 *   D4 = 0.5 spending outturn 60..95 % + 0.3 revenue outturn 70..100 % + 0.2 spending by Q3 30..75 %
 *   D5 = 0.4 own-source revenue share 0..50 % + 0.3 SiLPA 20..2 % (lower is better) + 0.3 current ratio 0..2
 *   D6 = BPK opinion: TMP/TW 0, WDP 50, WTP 100
 */
describe('ipkd-2020 examples (4 decimals, grades A / B / C)', () => {
  it('kabupaten-paser: 85.2364, A', () => {
    /*
     * D1 = 0.4 × (96 − 50) / 50 × 100 + 0.3 × 100 + 0.3 × 100 = 36.8 + 60 = 96.8
     * D2 = 0.25 × (100 [21.4 %] + 100 [11.2 %] + 80 [(26 − 10) / 20] + 80 [(50 − 34) / 20]) = 90
     * D3 = 0.6 × 11 / 12 × 100 + 0.4 × 75 = 55 + 30 = 85
     * D4 = 0.5 × (91.6 − 60) / 35 × 100 + 0.3 × (98.5 − 70) / 30 × 100 + 0.2 × (66 − 30) / 45 × 100
     *    = 0.5 × 90.285714 + 0.3 × 95 + 0.2 × 80 = 45.142857 + 28.5 + 16 = 89.642857
     * D5 = 0.4 × 12 / 50 × 100 + 0.3 × (20 − 6.5) / 18 × 100 + 0.3 × 1.7 / 2 × 100 = 9.6 + 22.5 + 25.5 = 57.6
     * D6 = 100 (WTP)
     * IPKD = 14.52 + 18 + 12.75 + 13.446429 + 11.52 + 15 = 85.236429 → 85.2364
     */
    expect(dimensions(PASER).map((d) => roundDecimal(d ?? Number.NaN, 6))).toEqual([
      96.8, 90, 85, 89.642857, 57.6, 100,
    ]);
    const card = score(m, loadExample(PASER));
    expect(card.index).toBeCloseTo(85.2364285714, 9);
    expect(card.display).toBe('85.2364');
    expect(card.predikat).toBe('A (Baik)');
    expect(card.predikatEn).toBe('A (good)');
  });

  it('kota-kendari: 68.1786, B', () => {
    /*
     * D1 = 0.4 × 76 + 0.3 × 100 + 0.3 × 50 = 75.4
     * D2 = 0.25 × (100 [20.6 %] + 50 [8.7 %] + 42.5 [18.5 %] + 45 [41 %]) = 59.375
     * D3 = 0.6 × 8 / 12 × 100 + 0.4 × 50 = 40 + 20 = 60
     * D4 = 0.5 × 27.2 / 35 × 100 + 0.3 × 22.3 / 30 × 100 + 0.2 × 28.2 / 45 × 100
     *    = 38.857143 + 22.3 + 12.533333 = 73.690476
     * D5 = 0.4 × 38 + 0.3 × 60 [(20 − 9.2) / 18] + 0.3 × 55 = 15.2 + 18 + 16.5 = 49.7
     * D6 = 100 (WTP)
     * IPKD = 11.31 + 11.875 + 9 + 11.053571 + 9.94 + 15 = 68.178571 → 68.1786
     */
    expect(dimensions(KENDARI).map((d) => roundDecimal(d ?? Number.NaN, 6))).toEqual([
      75.4, 59.375, 60, 73.690476, 49.7, 100,
    ]);
    const card = score(m, loadExample(KENDARI));
    expect(card.index).toBeCloseTo(68.1785714286, 9);
    expect(card.display).toBe('68.1786');
    expect(card.predikat).toBe('B (Perlu Perbaikan)');
  });

  it('kabupaten-pasangkayu: 41.4169, C', () => {
    /*
     * D1 = 0.4 × 40 + 0.3 × 0 + 0.3 × 50 = 31
     * D2 = 0.25 × (50 [17.5 %] + 100 [10.4 %] + 100 [31 %, clamped] + 20 [46 %]) = 67.5
     * D3 = 0.6 × 4 / 12 × 100 + 0.4 × 25 = 20 + 10 = 30
     * D4 = 0.5 × 18.1 / 35 × 100 + 0.3 × 14.5 / 30 × 100 + 0.2 × 11 / 45 × 100
     *    = 25.857143 + 14.5 + 4.888889 = 45.246032
     * D5 = 0.4 × 11 + 0.3 × 30 [(20 − 14.6) / 18] + 0.3 × 30 = 4.4 + 9 + 9 = 22.4
     * D6 = 50 (WDP)
     * IPKD = 4.65 + 13.5 + 4.5 + 6.786905 + 4.48 + 7.5 = 41.416905 → 41.4169
     */
    expect(dimensions(PASANGKAYU).map((d) => roundDecimal(d ?? Number.NaN, 6))).toEqual([
      31, 67.5, 30, 45.246032, 22.4, 50,
    ]);
    const card = score(m, loadExample(PASANGKAYU));
    expect(card.index).toBeCloseTo(41.4169047619, 9);
    expect(card.display).toBe('41.4169');
    expect(card.predikat).toBe('C (Perlu Banyak Perbaikan)');
  });

  it('scores the BPK opinion TMP/TW 0, WDP 50, WTP 100 (0.15 of the index each way)', () => {
    const withOpinion = (level: number) =>
      scoreFast(
        m,
        exampleWith(PASANGKAYU, (raw) => {
          raw.indicators['6.1'] = { level, evidence: '76.01/ipkd/6.1.pdf' };
        }),
      ).index;
    expect(withOpinion(1)).toBeCloseTo(41.4169047619 - 7.5, 9);
    expect(withOpinion(3)).toBeCloseTo(41.4169047619 + 7.5, 9);
  });
});

describe('ipkd-2020 grade bands on the 4-decimal published value', () => {
  const grade = (index: number) => predikatOf(m, roundDecimal(index, 4), true).label.slice(0, 1);

  it.each([
    [0, 'C'],
    [59.9999, 'C'],
    [59.99994, 'C'],
    [59.99995, 'B'],
    [60, 'B'],
    [79.9999, 'B'],
    [79.99995, 'A'],
    [80, 'A'],
    [100, 'A'],
  ])('%s → %s', (index, expected) => {
    expect(grade(index)).toBe(expected);
  });

  it('is Tidak Dapat Dinilai when nothing evidence-based was submitted', () => {
    const card = score(
      m,
      exampleWith(PASER, (raw) => {
        for (const answer of Object.values(raw.indicators)) delete answer.evidence;
      }),
    );
    expect(card).toMatchObject({ assessable: false, display: '0.0000', predikat: 'Tidak Dapat Dinilai' });
  });
});

describe('ipkd-2020 fiscal-capacity clusters', () => {
  it('ranks within jenis × kapasitasFiskal as well as within jenis', () => {
    const subs = [
      loadExample(PASER),
      loadExample(KENDARI),
      loadExample(PASANGKAYU),
      // Kabupaten Penajam Paser Utara, high fiscal capacity too, a little behind Paser
      exampleWith(PASER, (raw) => {
        raw.region = '64.09';
        raw.indicators['4.1'] = { value: 80.6, evidence: '64.09/ipkd/4.1.pdf' };
      }),
      // Kota Baubau, medium fiscal capacity, declared nothing about it: only in the kota cluster
      exampleWith(KENDARI, (raw) => {
        raw.region = '74.72';
        raw.profile = {};
      }),
    ];
    const { results } = scoreRun(m, subs);
    const rankings = Object.fromEntries(
      rank(results, m.clusters).map((r) => [r.cluster, r.entries.map((e) => [e.region, e.rank, e.display])]),
    );
    /* Penajam Paser Utara: D4 = 0.5 × (80.6 − 60) / 35 × 100 + 44.5 = 73.928571 → IPKD = 85.236429 − 0.15 × 15.714286 = 82.879286 */
    expect(rankings['kabupaten-kapasitas-fiskal-tinggi']).toEqual([
      ['64.01', 1, '85.2364'],
      ['64.09', 2, '82.8793'],
    ]);
    expect(rankings['kabupaten-kapasitas-fiskal-rendah']).toEqual([['76.01', 1, '41.4169']]);
    expect(rankings['kabupaten-kapasitas-fiskal-sedang']).toEqual([]);
    expect(rankings.kabupaten).toEqual([
      ['64.01', 1, '85.2364'],
      ['64.09', 2, '82.8793'],
      ['76.01', 3, '41.4169'],
    ]);
    expect(rankings['kota-kapasitas-fiskal-sedang']).toEqual([['74.71', 1, '68.1786']]);
    // Same values, so they tie on rank 1; ties are listed by region code.
    expect(rankings.kota).toEqual([
      ['74.71', 1, '68.1786'],
      ['74.72', 1, '68.1786'],
    ]);
    expect(rankings['provinsi-kapasitas-fiskal-tinggi']).toEqual([]);
  });
});
