import rows from '../../data/wilayah.json';

export type RegionType = 'provinsi' | 'kabupaten' | 'kota';

export interface Region {
  /** Kemendagri code, always a string: `11.10` is not `11.1`. */
  kode: string;
  nama: string;
  jenis: RegionType;
  /** Code of the province the region belongs to (a province's own code for a province). */
  provinsi: string;
  penduduk: number;
}

export const REGIONS: readonly Region[] = rows as Region[];

const byCode = new Map(REGIONS.map((r) => [r.kode, r]));

export const findRegion = (kode: string): Region | undefined => byCode.get(kode);

export const regionsOfProvince = (provinsi: string): Region[] =>
  REGIONS.filter((r) => r.provinsi === provinsi && r.jenis !== 'provinsi');

export type RegionLookup = (kode: string) => Region | undefined;
