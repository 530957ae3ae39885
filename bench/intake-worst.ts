import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { getMethodology } from '#domain/methodology/registry';
import { intakeLimits } from '#intake/index';
import { worstLegalWorkbook } from '#test/support/worst-xlsx';

const run = promisify(execFile);
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

interface ChildFigures {
  ms: number;
  baseRssMb: number;
  peakRssMb: number;
  accepted: boolean;
  errors: string[];
  firstError?: string;
}

/** Validates `file` in a child process and returns its time and peak RSS (VmHWM). */
async function validateInChild(file: string): Promise<ChildFigures> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'intake-worst-child.ts'), file, 'iid-2023'],
    { maxBuffer: 1 << 20, timeout: 600_000 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildFigures;
}

/**
 * The attack of issue 9 §4: one sheet of 183k rows inside the old zip-guard limits, written with
 * exceljs' streaming writer (inline strings, as a generator script would). `padding` characters
 * per row make it large: with 380 its XML passes the inflated-byte cap; with 0 (one number per
 * row) it stays under the cap and the row count stops it while inflating.
 */
async function oversizedWorkbook(file: string, rows: number, padding: number): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const ws = writer.addWorksheet('Inovasi Daerah');
  for (let r = 1; r <= rows; r++)
    ws.addRow([
      `INV-${r}`,
      `Inovasi pelayanan publik nomor ${r} yang berkelanjutan`,
      'pendidikan',
      2021,
      3,
      `bukti-${r}.pdf`,
      12.5,
      'x'.repeat(padding),
    ]).commit();
  await writer.commit();
}

/**
 * `npm run bench -- intake-worst`: the worst legal IID workbook (every limit nearly reached) and
 * the oversized attack file, each validated in a child process; prints time and peak RSS.
 * Budget (issue 9 §4): any accepted file under 30 s and 512 MB.
 */
export async function benchIntakeWorst(): Promise<void> {
  const iid = getMethodology('iid-2023');
  if (!iid) throw new Error('iid-2023 missing');
  const limits = intakeLimits(iid, 'submission');
  console.log(
    `(limits iid-2023: ${limits.maxSheetRows} rows per sheet, ${limits.maxCells} cells, ${mb(limits.maxInflatedBytes)} inflated, ${limits.maxCsvRecords} CSV records, ${limits.maxJsonEntries} JSON values)`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'indeks-worst-'));
  try {
    const worst = await worstLegalWorkbook(iid, limits);
    const worstFile = join(dir, 'worst-legal.xlsx');
    await writeFile(worstFile, worst.bytes);
    console.log(
      `(worst legal workbook: ${mb(worst.bytes.length)} zip, ${mb(worst.inflated)} inflated, ${worst.cells} cells)`,
    );
    const legal = await validateInChild(worstFile);
    if (legal.errors.some((c) => ['FILE_TOO_COMPLEX', 'TOO_MANY_ROWS', 'ZIP_SIZE_LIMIT'].includes(c)))
      throw new Error(`the worst legal workbook was refused: ${legal.firstError}`);
    console.log(
      `intake worst legal xlsx: ${legal.ms} ms, peak RSS ${legal.peakRssMb} MB (process base ${legal.baseRssMb} MB; errors: ${legal.errors.join(', ') || 'none'})`,
    );

    for (const [name, rows, padding] of [
      ['183k rows, ~100 MB of XML', 183_000, 380],
      ['20k rows of one number, inside the byte cap', 20_000, 0],
    ] as const) {
      const attackFile = join(dir, `attack-${padding}.xlsx`);
      await oversizedWorkbook(attackFile, rows, padding);
      const attack = await validateInChild(attackFile);
      console.log(
        `intake oversized xlsx (${name}) refused: ${attack.ms} ms, peak RSS ${attack.peakRssMb} MB (${attack.errors.join(', ')}: ${attack.firstError})`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
