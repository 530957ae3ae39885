import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { callApi } from '../api-client';
import { EXIT_OK, type Output, UsageError } from '../errors';
import { CYCLE_OPTION, parseApiArgs } from './api-args';

export const bundleHelp = `indeks bundle --cycle <cycleId> --run <runId> -o <FILE.zip> [--json] [--token <jwt>]

Mengunduh bundel reproduksi penilaian yang sudah diterbitkan (FINAL): metodologi, isian setiap daerah
(mandiri dan terverifikasi), keputusan, hasil dan peringkat, ledger, versi kode dan manifest sha256
(pimpinan dan admin). Periksa dengan: indeks reproduce FILE.zip
Downloads the reproducibility bundle of a published (FINAL) run: methodology, every region's
submission (self-assessed and verified), decisions, results and ranks, ledger, code version and a
sha256 manifest (leadership and admin). Check it with: indeks reproduce FILE.zip
API: INDEKS_API, token: INDEKS_TOKEN.`;

interface BundleLink {
  key: string;
  url: string;
  bytes: number;
  sha256: string;
  built: boolean;
}

export async function bundleCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals, target } = parseApiArgs(args, {
    cycle: CYCLE_OPTION,
    run: { type: 'string', short: 'r' },
    output: { type: 'string', short: 'o' },
  });
  if (!values.cycle || !values.run || !values.output || positionals.length > 0)
    throw new UsageError(
      'Isi --cycle <cycleId> --run <runId> -o <FILE.zip>.',
      'Give --cycle <cycleId> --run <runId> -o <FILE.zip>.',
    );
  const started = Date.now();
  const { body } = await callApi<BundleLink>(
    target,
    'GET',
    `/cycles/${encodeURIComponent(values.cycle)}/runs/${encodeURIComponent(values.run)}/bundle`,
  );
  const res = await fetch(body.url);
  if (!res.ok) throw new Error(`unduhan bundel gagal / downloading the bundle failed: HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== body.sha256)
    throw new Error(
      `bundel yang diunduh (sha256 ${sha256}) tidak sama dengan yang disimpan (${body.sha256}); unduh ulang / the downloaded bundle differs from the stored one; download it again`,
    );
  await writeFile(values.output, bytes);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (values.json)
    io.out(JSON.stringify({ ...body, file: values.output, seconds: Number(seconds) }, null, 2));
  else
    io.out(
      `${values.output}: ${bytes.byteLength} bytes, sha256 ${sha256} (${body.built ? 'dibuat / built' : 'tersimpan / stored'}, ${seconds} s)`,
    );
  return EXIT_OK;
}
