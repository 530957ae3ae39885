import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { callApi } from '../api-client';
import { EXIT_OK, type Output, UsageError } from '../errors';
import { parseApiArgs } from './api-args';

export const decisionsHelp = `indeks decisions upload <berkas.xlsx|berkas.csv> --cycle <cycleId> [--token <jwt>] [--json]

Mengunggah lembar keputusan verifikasi (kolom kode,answer,decision,level,reason,note). Tidak ada
yang disimpan kecuali seluruh lembar sah; setiap masalah disebut dengan barisnya.
Uploads a verification decision sheet (columns kode,answer,decision,level,reason,note). Nothing is
stored unless the whole sheet is valid; every problem is named with its row.
API: INDEKS_API, token: INDEKS_TOKEN (assessor or admin). Exit: 0 ok, 1 refused, 2 wrong usage`;

export async function decisionsCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals, target } = parseApiArgs(args, { cycle: { type: 'string' } });
  const [action, file, ...rest] = positionals;
  if (action !== 'upload' || !file || rest.length > 0)
    throw new UsageError(
      'Pakai: indeks decisions upload BERKAS --cycle C.',
      'Usage: indeks decisions upload FILE --cycle C.',
    );
  if (!values.cycle) throw new UsageError('Opsi --cycle wajib diisi.', 'The --cycle option is required.');
  const bytes = await readFile(file);
  const { body } = await callApi<{ stored: number; regions: string[] }>(
    target,
    'POST',
    `/cycles/${encodeURIComponent(values.cycle)}/decisions`,
    { body: { sheet: { fileName: basename(file), contentBase64: bytes.toString('base64') } } },
  );
  io.out(
    values.json
      ? JSON.stringify(body, null, 2)
      : `${body.stored} keputusan disimpan untuk ${body.regions.length} wilayah / ${body.stored} decisions stored for ${body.regions.length} regions: ${body.regions.join(', ')}`,
  );
  return EXIT_OK;
}
