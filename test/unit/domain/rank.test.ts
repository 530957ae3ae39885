import { describe, expect, it } from 'vitest';
import { type Rankable, rank } from '#domain/engine/index';
import type { ClusterDefinition } from '#domain/methodology/schema';
import { findRegion } from '#domain/regions';

const result = (region: string, index: number, over: Partial<Rankable> = {}): Rankable => ({
  region,
  index,
  display: index.toFixed(2),
  predikat: 'x',
  assessable: true,
  eligible: true,
  profile: {},
  ...over,
});

const kabupaten: ClusterDefinition = {
  id: 'kabupaten',
  name: { id: 'Kabupaten', en: 'Regencies' },
  match: { jenis: ['kabupaten'] },
};
const kota: ClusterDefinition = {
  id: 'kota',
  name: { id: 'Kota', en: 'Cities' },
  match: { jenis: ['kota'] },
};

describe('rank', () => {
  it('uses standard competition ranking (1224) on full precision, ties ordered by code', () => {
    const [ranking] = rank(
      [
        result('18.03', 50),
        result('18.01', 70),
        result('18.02', 50),
        result('18.04', 40),
        result('18.05', 50.000000001),
      ],
      [kabupaten],
    );
    expect(ranking?.entries.map((e) => [e.region, e.rank])).toEqual([
      ['18.01', 1],
      ['18.05', 2],
      ['18.02', 3],
      ['18.03', 3],
      ['18.04', 5],
    ]);
  });

  it('ranks on full precision even when the displayed values are equal', () => {
    const [ranking] = rank([result('18.01', 47.044), result('18.02', 47.0449)], [kabupaten]);
    expect(ranking?.entries.map((e) => e.rank)).toEqual([1, 2]);
    expect(ranking?.entries[0]?.region).toBe('18.02');
  });

  it('lists ineligible and not-assessable regions without a rank, after the ranked ones', () => {
    const [ranking] = rank(
      [
        result('18.01', 10),
        result('18.02', 90, { eligible: false }),
        result('18.03', 0, { assessable: false }),
        result('18.04', 20),
      ],
      [kabupaten],
    );
    expect(ranking?.entries.map((e) => [e.region, e.rank, e.unranked])).toEqual([
      ['18.04', 1, undefined],
      ['18.01', 2, undefined],
      ['18.02', null, 'ineligible'],
      ['18.03', null, 'not-assessable'],
    ]);
  });

  it('ranks within clusters, never across them; a region may sit in several clusters', () => {
    const tertinggal: ClusterDefinition = {
      id: 'dt',
      name: { id: 'DT', en: 'DT' },
      match: { codes: ['18.01', '18.71'] },
    };
    const fiscal: ClusterDefinition = {
      id: 'tinggi',
      name: { id: 'Tinggi', en: 'High' },
      match: { jenis: ['kabupaten'], profile: { field: 'kapasitasFiskal', values: ['tinggi'] } },
    };
    const rankings = rank(
      [
        result('18.01', 30, { profile: { kapasitasFiskal: 'tinggi' } }),
        result('18.02', 40),
        result('18.71', 90),
      ],
      [kabupaten, kota, tertinggal, fiscal],
    );
    const by = Object.fromEntries(
      rankings.map((r) => [r.cluster, r.entries.map((e) => `${e.region}#${e.rank}`)]),
    );
    expect(by).toEqual({
      kabupaten: ['18.02#1', '18.01#2'],
      kota: ['18.71#1'],
      dt: ['18.71#1', '18.01#2'],
      tinggi: ['18.01#1'],
    });
    expect(rankings[1]?.entries[0]?.nama).toBe(findRegion('18.71')?.nama);
  });

  it('is deterministic whatever the input order', () => {
    const input = [result('18.03', 50), result('18.01', 50), result('18.02', 50)];
    const a = rank(input, [kabupaten]);
    const b = rank([...input].reverse(), [kabupaten]);
    expect(a).toEqual(b);
  });
});
