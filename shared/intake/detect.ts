import type { Problem } from '#domain/problems';
import { report } from './report';

export type Format = 'xlsx' | 'csv' | 'json';

/** What the bytes actually are, whatever the name says. */
export type Sniffed = 'empty' | 'zip' | 'ole' | 'pdf' | 'image' | 'executable' | 'json' | 'text' | 'binary';

const BY_EXTENSION: Record<string, Format> = { xlsx: 'xlsx', csv: 'csv', txt: 'csv', json: 'json' };

/** Extensions operators really send, each with the fix for it. */
const WRONG_EXTENSION: Record<string, { id: string; en: string }> = {
  xls: {
    id: 'format Excel 97-2003 (.xls) tidak diterima. Buka berkas lalu "Simpan Sebagai" → "Buku Kerja Excel (*.xlsx)".',
    en: 'the Excel 97-2003 format (.xls) is not accepted. Open the file and "Save As" → "Excel Workbook (*.xlsx)".',
  },
  xlsm: {
    id: 'buku kerja bermakro (.xlsm) tidak diterima. "Simpan Sebagai" → "Buku Kerja Excel (*.xlsx)".',
    en: 'macro-enabled workbooks (.xlsm) are not accepted. "Save As" → "Excel Workbook (*.xlsx)".',
  },
  xlsb: {
    id: 'format biner Excel (.xlsb) tidak diterima. "Simpan Sebagai" → "Buku Kerja Excel (*.xlsx)".',
    en: 'binary Excel (.xlsb) is not accepted. "Save As" → "Excel Workbook (*.xlsx)".',
  },
  ods: {
    id: 'format OpenDocument (.ods) tidak diterima. Simpan sebagai .xlsx.',
    en: 'OpenDocument (.ods) is not accepted. Save as .xlsx.',
  },
  pdf: {
    id: 'berkas PDF adalah bukti dukung: unggah sebagai bukti, bukan sebagai berkas data.',
    en: 'a PDF is supporting evidence: upload it as evidence, not as the data file.',
  },
};

/** Browsers send these for spreadsheets; Windows labels .csv as application/vnd.ms-excel. */
const BY_CONTENT_TYPE: Record<string, Format> = {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/comma-separated-values': 'csv',
  'text/plain': 'csv',
  'text/tab-separated-values': 'csv',
  'application/vnd.ms-excel': 'csv',
  'application/json': 'json',
  'text/json': 'json',
};
const NEUTRAL_CONTENT_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export const CONTENT_TYPES_OF: Record<Format, string[]> = {
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  csv: Object.keys(BY_CONTENT_TYPE).filter((t) => BY_CONTENT_TYPE[t] === 'csv'),
  json: ['application/json', 'text/json'],
};

const DESCRIBE: Record<Sniffed, { id: string; en: string }> = {
  empty: { id: 'kosong', en: 'empty' },
  zip: { id: 'arsip ZIP/XLSX', en: 'a ZIP/XLSX archive' },
  ole: {
    id: 'berkas Excel lama (.xls) atau berkas Excel berkata sandi',
    en: 'an old Excel file (.xls) or a password-encrypted workbook',
  },
  pdf: { id: 'dokumen PDF', en: 'a PDF document' },
  image: { id: 'gambar', en: 'an image' },
  executable: { id: 'program (executable)', en: 'a program (executable)' },
  json: { id: 'teks JSON', en: 'JSON text' },
  text: { id: 'teks (CSV)', en: 'text (CSV)' },
  binary: { id: 'data biner yang tidak dikenal', en: 'unrecognised binary data' },
};

const FORMAT_NAME: Record<Format, string> = { xlsx: 'XLSX', csv: 'CSV', json: 'JSON' };

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  magic.every((b, i) => bytes[i] === b);

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return 'empty';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return 'zip';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'pdf';
  if (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(bytes, [0xff, 0xd8, 0xff]) ||
    startsWith(bytes, [0x47, 0x49, 0x46, 0x38])
  )
    return 'image';
  if (startsWith(bytes, [0x4d, 0x5a]) || startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'executable';
  const utf16 = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  const head = bytes.subarray(0, 8192);
  if (!utf16) {
    let control = 0;
    for (const b of head) {
      if (b === 0) return 'binary';
      if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
    }
    if (control > head.length / 100) return 'binary';
  }
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09))
    i++;
  return !utf16 && (head[i] === 0x7b || head[i] === 0x5b) ? 'json' : 'text';
}

const ACCEPTS: Record<Format, readonly Sniffed[]> = {
  xlsx: ['zip'],
  csv: ['text'],
  json: ['json'],
};

const extensionOf = (fileName: string): string => {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
};

export const formatOfContentType = (contentType: string): Format | undefined =>
  BY_CONTENT_TYPE[(contentType.split(';')[0] ?? '').trim().toLowerCase()];

export const formatOfFileName = (fileName: string): Format | undefined => BY_EXTENSION[extensionOf(fileName)];

/**
 * Decides the format from the name and checks that the content type and the bytes agree with it.
 * A disagreement is refused, with the real nature of the file in the message: a renamed .xls, a
 * PDF sent as data, a program disguised as a spreadsheet.
 */
export function detectFormat(input: { bytes: Uint8Array; fileName: string; contentType?: string }): {
  format?: Format;
  sniffed: Sniffed;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const sniffed = sniff(input.bytes);
  const location = { file: input.fileName };
  const extension = extensionOf(input.fileName);
  const contentType = (input.contentType?.split(';')[0] ?? '').trim().toLowerCase();
  const byType = BY_CONTENT_TYPE[contentType];
  const claimed = BY_EXTENSION[extension] ?? (extension ? undefined : byType);

  if (sniffed === 'empty') {
    problems.push(
      report(
        'EMPTY_FILE',
        'error',
        location,
        'berkas kosong (0 bita). Unggah ulang berkas yang sudah diisi.',
        'the file is empty (0 bytes). Upload the filled-in file again.',
      ),
    );
    return { sniffed, problems };
  }
  if (!claimed) {
    const known = WRONG_EXTENSION[extension];
    problems.push(
      report(
        'UNSUPPORTED_FORMAT',
        'error',
        location,
        known?.id ??
          `jenis berkas ${extension ? `".${extension}"` : 'tanpa ekstensi'} tidak diterima. Unggah .xlsx (templat), .csv, atau .json.`,
        known?.en ??
          `${extension ? `".${extension}" files are` : 'a file without an extension is'} not accepted. Upload .xlsx (the template), .csv or .json.`,
      ),
    );
    return { sniffed, problems };
  }
  if (contentType && !NEUTRAL_CONTENT_TYPES.has(contentType) && byType !== claimed)
    problems.push(
      report(
        'CONTENT_TYPE_MISMATCH',
        'error',
        location,
        `jenis isi "${contentType}" tidak cocok dengan berkas ${FORMAT_NAME[claimed]}. Unggah ulang berkas tanpa mengganti namanya.`,
        `content type "${contentType}" does not match a ${FORMAT_NAME[claimed]} file. Upload the file again without renaming it.`,
      ),
    );
  if (!ACCEPTS[claimed].includes(sniffed)) {
    const actual = DESCRIBE[sniffed];
    problems.push(
      report(
        'MAGIC_MISMATCH',
        'error',
        location,
        `nama berkas menyatakan ${FORMAT_NAME[claimed]}, tetapi isinya ${actual.id}. Jangan mengganti ekstensi berkas: buka berkas di Excel lalu simpan sebagai ${FORMAT_NAME[claimed]}.`,
        `the file name says ${FORMAT_NAME[claimed]}, but the content is ${actual.en}. Do not rename extensions: open the file in Excel and save it as ${FORMAT_NAME[claimed]}.`,
      ),
    );
  }
  return problems.length ? { sniffed, problems } : { format: claimed, sniffed, problems };
}
