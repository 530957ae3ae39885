import { createHash } from 'node:crypto';
import type { RankingItem, RankingsQuery } from '#http/openapi-results';
import { neutraliseCell } from '#intake/neutralise';
import type { RankingRows } from './rankings';

/** Bilingual headers, Bahasa Indonesia first; every text cell is neutralised, numbers stay numbers. */
interface Column {
  header: string;
  width: number;
  value: (row: RankingItem) => string | number | null;
  /** The XLSX cell when it differs (a number instead of text). */
  cell?: (row: RankingItem) => string | number | null;
}

const COLUMNS: Column[] = [
  { header: 'Peringkat / Rank', width: 10, value: (r) => r.rank },
  { header: 'Kode / Code', width: 9, value: (r) => r.kode },
  { header: 'Nama Daerah / Region', width: 34, value: (r) => r.nama },
  { header: 'Provinsi / Province', width: 26, value: (r) => r.provinsiNama ?? r.provinsi },
  {
    header: 'Nilai Indeks / Index',
    width: 14,
    value: (r) => r.display,
    cell: (r) => (r.display === null ? null : Number(r.display)),
  },
  { header: 'Predikat / Band', width: 22, value: (r) => r.predikat },
  { header: 'Peringkat Sebelumnya / Previous Rank', width: 14, value: (r) => r.previousRank },
  { header: 'Perubahan Peringkat / Rank Change', width: 14, value: (r) => r.rankChange },
  { header: 'Memenuhi Syarat / Eligible', width: 12, value: (r) => (r.eligible ? 'Ya / Yes' : 'Tidak / No') },
  { header: 'Keterangan / Reason', width: 40, value: (r) => r.reason },
  // Rank intervals under the methodology's declared uncertainty (empty when not ranked).
  { header: 'Peringkat Median / Median Rank', width: 12, value: (r) => r.interval?.median ?? null },
  { header: 'Peringkat P5 / Rank P5', width: 10, value: (r) => r.interval?.p5 ?? null },
  { header: 'Peringkat P95 / Rank P95', width: 10, value: (r) => r.interval?.p95 ?? null },
  {
    header: 'Setara Statistik dengan (daerah) / Statistically Tied With (regions)',
    width: 16,
    value: (r) => r.interval?.tiedWith ?? null,
  },
];

export const EXPORT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function exportFileName(cycleId: string, query: RankingsQuery, format: 'csv' | 'xlsx'): string {
  const parts = ['peringkat', cycleId, query.cluster, query.province].filter(Boolean);
  return `${parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
}

/** A CSV field: text always quoted (and neutralised), numbers plain, empty for null. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return `"${neutraliseCell(value).replaceAll('"', '""')}"`;
}

/** UTF-8 with a BOM (Excel opens it with the right characters), CRLF line ends. */
export function rankingCsv(rows: readonly RankingItem[]): string {
  const lines = [COLUMNS.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) lines.push(COLUMNS.map((c) => csvField(c.value(row))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The rows' identity, for an ETag that does not depend on the zip's timestamps. */
export function rowsTag(data: RankingRows, rows: readonly RankingItem[], format: string): string {
  const hash = createHash('sha256')
    .update(
      JSON.stringify([format, data.resolved.run.runId, data.resolved.published, data.previous?.ref, rows]),
    )
    .digest('base64url');
  return `"${hash.slice(0, 32)}"`;
}

export async function rankingXlsx(
  data: RankingRows,
  rows: readonly RankingItem[],
  query: RankingsQuery,
): Promise<Buffer> {
  // Loaded on the first XLSX export only: exceljs is most of the bundle and slows every cold start.
  const { default: ExcelJS } = await import('exceljs');
  const { cycle, run, published } = data.resolved;
  const decimals = data.methodology?.output.decimals ?? 2;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Indeks';
  const at = new Date(run.finalizedAt ?? run.completedAt ?? run.startedAt);
  workbook.created = at;
  workbook.modified = at;

  const sheet = workbook.addWorksheet('Peringkat', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(
      COLUMNS.map((c) => {
        const value = (c.cell ?? c.value)(row);
        return typeof value === 'string' ? neutraliseCell(value) : value;
      }),
    );
  }
  // The published (rounded) value is written as a number, shown with the methodology's decimals.
  sheet.getColumn(5).numFmt = decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0';
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };

  const about = workbook.addWorksheet('Keterangan');
  about.columns = [
    { header: 'Keterangan / Item', width: 32 },
    { header: 'Nilai / Value', width: 70 },
  ];
  about.getRow(1).font = { bold: true };
  const facts: [string, string][] = [
    ['Siklus / Cycle', `${cycle.name} (${cycle.cycleId})`],
    ['Penilaian / Run', run.runId],
    [
      'Status',
      published
        ? 'FINAL, diterbitkan / published'
        : `${run.status}, belum diterbitkan / not published (hanya untuk internal / internal only)`,
    ],
    ['Metodologi / Methodology', `${run.methodology.id} (${run.methodology.hash})`],
    ['Klaster / Cluster', query.cluster],
    ['Provinsi / Province', query.province ?? 'semua / all'],
    ['Predikat', query.predikat ?? 'semua / all'],
    ['Pencarian / Search', query.q ?? '-'],
    [
      'Dibandingkan dengan / Compared with',
      data.previous ? `${data.previous.ref.cycleId} (${data.previous.ref.runId})` : '-',
    ],
    ['Jumlah baris / Rows', String(rows.length)],
  ];
  for (const [k, v] of facts) about.addRow([neutraliseCell(k), neutraliseCell(v)]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
