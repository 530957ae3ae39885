import type { NationalRegionResult } from '#functions/lib/national/contracts';
import { neutraliseCell } from '#intake/neutralise';

/** A CSV field: text quoted (and neutralised), numbers plain (full precision), empty for none. */
function field(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `"${neutraliseCell(value).replaceAll('"', '""')}"`;
}

const csv = (header: string[], rows: (string | number | boolean | undefined)[][]): string =>
  `${[header.map(field), ...rows.map((r) => r.map(field))].map((r) => r.join(',')).join('\r\n')}\r\n`;

/** One row per region: the full-precision index, the published value, predikat, eligibility, outcome. */
export function resultsCsv(results: readonly NationalRegionResult[]): string {
  return csv(
    [
      'kode',
      'nama',
      'provinsi',
      'index',
      'display',
      'predikat',
      'eligible',
      'outcome',
      'unranked',
      'submissionId',
    ],
    results.map((r) => [
      r.kode,
      r.nama,
      r.provinsi,
      r.score,
      r.display,
      r.predikat,
      r.eligible,
      r.outcome,
      r.unranked,
      r.submissionId,
    ]),
  );
}

/** One row per region and cluster it is ranked in. */
export function ranksCsv(results: readonly NationalRegionResult[]): string {
  return csv(
    ['cluster', 'rank', 'kode', 'nama', 'display'],
    results
      .flatMap((r) => Object.entries(r.ranks).map(([cluster, rank]) => ({ cluster, rank, r })))
      .sort((a, b) =>
        a.cluster < b.cluster
          ? -1
          : a.cluster > b.cluster
            ? 1
            : a.rank - b.rank || (a.r.kode < b.r.kode ? -1 : 1),
      )
      .map(({ cluster, rank, r }) => [cluster, rank, r.kode, r.nama, r.display]),
  );
}
