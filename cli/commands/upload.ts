import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { type ApiTarget, callApi, postPresigned } from '../api-client';
import { EXIT_OK, type Output, UsageError } from '../errors';
import { CYCLE_OPTION, parseApiArgs } from './api-args';

export const uploadHelp = `indeks upload <file> --cycle <cycleId> --region <kode> [--kind data|evidence] [--token <jwt>]

Meminta tautan unggah (presigned POST) lalu mengunggah berkas, mengulang bila jaringan putus.
Requests a presigned POST and uploads the file, retrying on network failures.
API: INDEKS_API (bawaan/default ${'http://127.0.0.1:3000'}), token: --token atau INDEKS_TOKEN.`;

const CONTENT_TYPES: Record<string, string> = {
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

export interface UploadReceipt {
  uploadId: string;
  key: string;
}

/** The upload itself, shared with the demo. */
export async function uploadFile(
  target: ApiTarget,
  input: {
    cycleId: string;
    region: string;
    kind: 'data' | 'evidence';
    fileName: string;
    contentType: string;
    bytes: Uint8Array;
  },
): Promise<UploadReceipt> {
  const { body } = await callApi<{
    uploadId: string;
    key: string;
    url: string;
    fields: Record<string, string>;
  }>(
    target,
    'POST',
    `/cycles/${encodeURIComponent(input.cycleId)}/regions/${encodeURIComponent(input.region)}/uploads`,
    {
      body: {
        fileName: input.fileName,
        contentType: input.contentType,
        size: input.bytes.length,
        kind: input.kind,
      },
    },
  );
  await postPresigned(body.url, body.fields, {
    name: input.fileName,
    type: input.contentType,
    bytes: input.bytes,
  });
  return { uploadId: body.uploadId, key: body.key };
}

export async function uploadCommand(args: string[], io: Output): Promise<number> {
  // No --json: the receipt is one line.
  const { values, positionals, target } = parseApiArgs(
    args,
    {
      cycle: CYCLE_OPTION,
      region: { type: 'string', short: 'r' },
      kind: { type: 'string', default: 'data' },
    },
    { json: false },
  );
  const [file] = positionals;
  if (!file || !values.cycle || !values.region)
    throw new UsageError('Sebutkan berkas, --cycle dan --region.', 'Give the file, --cycle and --region.');
  if (values.kind !== 'data' && values.kind !== 'evidence')
    throw new UsageError('--kind harus data atau evidence.', '--kind must be data or evidence.');
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  if (!contentType)
    throw new UsageError(
      `Jenis berkas ${extname(file) || '(tanpa ekstensi)'} tidak didukung: ${Object.keys(CONTENT_TYPES).join(', ')}.`,
      `File type ${extname(file) || '(no extension)'} is not supported: ${Object.keys(CONTENT_TYPES).join(', ')}.`,
    );
  const receipt = await uploadFile(target, {
    cycleId: values.cycle,
    region: values.region,
    kind: values.kind,
    fileName: basename(file),
    contentType,
    bytes: await readFile(file),
  });
  io.out(
    `Terunggah / uploaded: ${receipt.key} (upload ${receipt.uploadId}). Periksa status: indeks status --cycle ${values.cycle} --region ${values.region}`,
  );
  return EXIT_OK;
}
