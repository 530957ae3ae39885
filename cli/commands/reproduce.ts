import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatReport, isExact, reproduce } from '#domain/bundle/index';
import { readZipEntries } from '#intake/zip-guard';
import { EXIT_INVALID, EXIT_OK, type Output, UsageError } from '../errors';

export const reproduceHelp = `indeks reproduce <FILE.zip> [--json]

Tanpa jaringan: memeriksa manifest sha256 bundel, lalu menghitung ulang indeks setiap daerah dan
setiap peringkat dari metodologi dan isian di dalam bundel dengan mesin penilaian repositori ini.
Keluar 0 bila semua sama persis (indeks presisi penuh, nilai tampil, predikat, kelayakan, peringkat),
1 bila ada perbedaan (setiap perbedaan dicetak) atau manifest tidak cocok.
Offline: checks the bundle's sha256 manifest, then recomputes every region's index and every rank
from the bundle's own methodology and submissions with this repository's engine. Exit 0 when all
is exactly equal (full-precision index, display value, predikat, eligibility, ranks), 1 on any
difference (each printed) or a manifest mismatch.`;

export async function reproduceCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [file, ...rest] = positionals;
  if (!file || rest.length > 0)
    throw new UsageError('Isi satu berkas bundel .zip.', 'Give one bundle .zip file.');
  const started = Date.now();
  const read = await readZipEntries(await readFile(file), {
    maxEntries: 5000,
    maxUncompressedBytes: 2 * 1024 * 1024 * 1024,
    maxRatio: 250,
    ratioFloorBytes: 1024 * 1024,
  });
  if (read.problem) {
    io.err(`${file}: ${read.problem}`);
    return EXIT_INVALID;
  }
  const report = reproduce(read.entries);
  const seconds = Number(((Date.now() - started) / 1000).toFixed(1));
  if (values.json) io.out(JSON.stringify({ exact: isExact(report), seconds, report }, null, 2));
  else for (const line of formatReport(report)) io.out(line);
  if (!values.json) io.err(`(${seconds} s)`);
  return isExact(report) ? EXIT_OK : EXIT_INVALID;
}
