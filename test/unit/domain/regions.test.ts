import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findRegion, REGIONS, regionsOfProvince } from '#domain/regions';

describe('region registry', () => {
  it('holds the 552 regional governments: 38 provinsi, 416 kabupaten, 98 kota', () => {
    const count = (jenis: string) => REGIONS.filter((r) => r.jenis === jenis).length;
    expect(REGIONS).toHaveLength(552);
    expect([count('provinsi'), count('kabupaten'), count('kota')]).toEqual([38, 416, 98]);
  });
  it('keeps codes as strings and matches the source CSV row for row', () => {
    const csv = readFileSync(new URL('../../../data/wilayah.csv', import.meta.url), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1);
    expect(csv).toHaveLength(REGIONS.length);
    csv.forEach((line, i) => {
      const [kode, nama, jenis, provinsi, penduduk] = line.split(',');
      expect(REGIONS[i]).toEqual({ kode, nama, jenis, provinsi, penduduk: Number(penduduk) });
    });
    expect(findRegion('11.10')?.kode).toBe('11.10');
    expect(findRegion('11.1')).toBeUndefined();
  });
  it('follows the code convention: KK 01-69 kabupaten, 71-99 kota', () => {
    for (const r of REGIONS) {
      if (r.jenis === 'provinsi') expect(r.kode).toMatch(/^\d{2}$/);
      else {
        const kk = Number(r.kode.slice(3));
        expect(r.jenis).toBe(kk >= 71 ? 'kota' : 'kabupaten');
        expect(r.kode.slice(0, 2)).toBe(r.provinsi);
      }
    }
    expect(findRegion('18.01')?.nama).toBe('Kabupaten Lampung Selatan');
    expect(regionsOfProvince('18').every((r) => r.provinsi === '18' && r.jenis !== 'provinsi')).toBe(true);
  });
});
