import ExcelJS from 'exceljs';
import { type LoadedMethodology, parseMethodology } from '#domain/methodology/load';
import { getMethodology } from '#domain/methodology/registry';
import { buildTemplate, intakeFile, placeIndicators } from '#intake/index';
import iid2023 from '../methodologies/iid-2023.json';
import { measureAsync } from './measure';

const REGION = { kode: '18.01', nama: 'Kabupaten Lampung Selatan' };
const URUSAN = ['pendidikan', 'kesehatan', 'pupr', 'perumahan', 'trantibumlinmas', 'sosial', 'pertanian'];

/** Column numbers by the template's hidden key row. */
function keyColumns(ws: ExcelJS.Worksheet): Map<string, number> {
  const map = new Map<string, number>();
  ws.getRow(2).eachCell((cell, col) => {
    map.set(String(cell.value), col);
  });
  return map;
}

/** The IID template filled like a large region: every SPD indicator, `count` innovations fully answered. */
async function filledWorkbook(
  m: LoadedMethodology,
  count: number,
): Promise<{ bytes: Buffer; evidence: string[] }> {
  const placement = placeIndicators(m);
  const evidence: string[] = [];
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await buildTemplate(m, REGION)) as unknown as ExcelJS.Buffer);
  const ind = wb.getWorksheet('Indikator');
  const inv = wb.getWorksheet('Inovasi Daerah');
  if (!ind || !inv) throw new Error('template sheets missing');
  const indCols = keyColumns(ind);
  ind.eachRow((row, n) => {
    if (n < 3) return;
    const code = String(row.getCell(indCols.get('kode') ?? 1).value);
    const rule = placement.byCode.get(code)?.rule;
    row.getCell(indCols.get('isian') ?? 0).value = rule?.type === 'level' ? 2 : 4.75;
    row.getCell(indCols.get('bukti') ?? 0).value = `spd-${code}.pdf`;
    evidence.push(`spd-${code}.pdf`);
  });
  const cols = keyColumns(inv);
  const sid = placement.groups.get('inovasi') ?? [];
  for (let i = 0; i < count; i++) {
    const row = inv.getRow(3 + i);
    row.getCell(cols.get('id') ?? 0).value = `INV-${i + 1}`;
    row.getCell(cols.get('nama') ?? 0).value = `Inovasi pelayanan publik nomor ${i + 1}`;
    row.getCell(cols.get('urusan') ?? 0).value = URUSAN[i % URUSAN.length];
    row.getCell(cols.get('tahun') ?? 0).value = 2019 + (i % 5);
    for (const indicator of sid) {
      row.getCell(cols.get(`ind:${indicator.code}`) ?? 0).value =
        indicator.rule.type === 'level' ? (i % 3) + 1 : 12.5;
      const name = `inv-${i + 1}-${indicator.code}.pdf`;
      row.getCell(cols.get(`bukti:${indicator.code}`) ?? 0).value = name;
      evidence.push(name);
    }
  }
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), evidence };
}

/** A long-layout CSV (semicolons, decimal commas, CRLF) of about `targetBytes`, as many innovations as it takes. */
function largeCsv(
  m: LoadedMethodology,
  targetBytes: number,
): { bytes: Buffer; innovations: number; rows: number } {
  const placement = placeIndicators(m);
  const lines = [
    'bagian;item;kode;nilai;bukti;status',
    'meta;;metodologi;iid-2023;;',
    'meta;;wilayah;18.01;;',
  ];
  for (const indicator of placement.region)
    lines.push(
      `indikator;;${indicator.code};${indicator.rule.type === 'level' ? '2' : '4,75'};spd-${indicator.code}.pdf;`,
    );
  let size = lines.join('\r\n').length;
  let n = 0;
  while (size < targetBytes) {
    n++;
    const id = `INV-${n}`;
    const block = [
      `inovasi;${id};nama;Inovasi pelayanan publik nomor ${n};;`,
      `inovasi;${id};urusan;${URUSAN[n % URUSAN.length]};;`,
      `inovasi;${id};tahun;${2019 + (n % 5)};;`,
      ...(placement.groups.get('inovasi') ?? []).map(
        (i) =>
          `inovasi;${id};${i.code};${i.rule.type === 'level' ? (n % 3) + 1 : '12,5'};inv-${n}-${i.code}.pdf;`,
      ),
    ];
    size += block.join('\r\n').length + 2;
    lines.push(...block);
  }
  return { bytes: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'), innovations: n, rows: lines.length };
}

/**
 * Intake timings: the full pipeline (detect, zip guard, parse, validate) on an IID workbook with
 * 300 innovations, and on a 10 MB CSV (the data upload limit) in the long layout.
 */
export async function benchIntake(): Promise<void> {
  const iid = getMethodology('iid-2023');
  if (!iid) throw new Error('iid-2023 missing');
  await measureAsync('intake: build IID template', () => buildTemplate(iid, REGION), { warmup: 1, runs: 5 });

  const workbook = await filledWorkbook(iid, 300);
  console.log(`(workbook: 300 innovations, ${(workbook.bytes.length / 1024).toFixed(0)} KB)`);
  await measureAsync(
    'intake: IID workbook, 300 innovations',
    async () => {
      const result = await intakeFile({
        bytes: workbook.bytes,
        fileName: 'iid.xlsx',
        methodology: iid,
        region: '18.01',
        evidenceNames: workbook.evidence,
      });
      if (!result.submission) throw new Error(`unexpected problems: ${result.problems[0]?.message_en}`);
    },
    { warmup: 1, runs: 5 },
  );

  // The 10 MB file holds thousands of innovations, more than iid-2023 allows: raise its cap for timing.
  const roomy = parseMethodology(
    { ...iid2023, groups: iid2023.groups.map((g) => ({ ...g, maxItems: 100_000 })) },
    'bench',
  );
  const csv = largeCsv(roomy, 10 * 1024 * 1024);
  console.log(
    `(csv: ${(csv.bytes.length / 1048576).toFixed(1)} MB, ${csv.rows} rows, ${csv.innovations} innovations)`,
  );
  await measureAsync(
    'intake: 10 MB CSV',
    async () => {
      const result = await intakeFile({
        bytes: csv.bytes,
        fileName: 'iid.csv',
        methodology: roomy,
        region: '18.01',
        options: { maxBytes: 11 * 1024 * 1024, maxRows: 300_000 },
      });
      if (!result.submission) throw new Error(`unexpected problems: ${result.problems[0]?.message_en}`);
    },
    { warmup: 1, runs: 5 },
  );
}
