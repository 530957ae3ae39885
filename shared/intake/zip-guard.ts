import type { Readable } from 'node:stream';
import { type Entry, fromBufferPromise, type ZipFile } from 'yauzl';
import type { Problem } from '#domain/problems';
import { report } from './report';

export interface ZipLimits {
  maxEntries: number;
  /** Sum of all entries once inflated, declared and actual. */
  maxUncompressedBytes: number;
  /** Inflated ÷ compressed size, for entries larger than `ratioFloorBytes`. */
  maxRatio: number;
  /** Tiny entries compress absurdly well (a 4 KB style sheet of repeated tags): ratio only counts above this. */
  ratioFloorBytes: number;
}

/**
 * A 300-innovation template is about 1–2 MB inflated with ratios near 20. These limits leave
 * generous room for hand-formatted workbooks while keeping exceljs far from the 470 MB a 300 KB
 * bomb costs it.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1000,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxRatio: 250,
  ratioFloorBytes: 1024 * 1024,
};

const MIB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MB`;

class LimitExceeded extends Error {}

/** What the worksheets may hold, counted while they inflate (see `intakeLimits`). */
export interface SheetScan {
  maxSheetRows: number;
  maxCells: number;
  maxSharedStrings: number;
  /** The problem to report when a count passes its limit. */
  refuse: (what: 'rows' | 'cells' | 'strings', limit: number) => Problem;
}

class ScanExceeded extends Error {
  constructor(readonly problem: Problem) {
    super('scan limit');
  }
}

const WORKSHEET = /(^|\/)xl\/worksheets\/[^/]+\.xml$/i;
const SHARED_STRINGS = /(^|\/)xl\/sharedStrings\.xml$/i;
/** An element start, with or without a namespace prefix (`<row `, `<x:c>`, `<c/>`). */
const ROW_OR_CELL = /<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s>/]/g;
const STRING_ITEM = /<(?:[A-Za-z_][\w.-]*:)?si[\s>/]/g;

/**
 * Counts rows and cells of a worksheet (or items of the shared-strings table) chunk by chunk, as
 * the entry inflates: a tag split across two chunks is carried to the next one.
 */
function tagCounter(
  entryName: string,
  scan: SheetScan,
  totals: { cells: number },
): ((chunk: Buffer) => void) | undefined {
  const sheet = WORKSHEET.test(entryName);
  if (!sheet && !SHARED_STRINGS.test(entryName)) return undefined;
  let carry = '';
  let rows = 0;
  let strings = 0;
  return (chunk) => {
    let text = carry + chunk.toString('latin1');
    const cut = text.lastIndexOf('<');
    if (cut >= 0 && text.length - cut < 64 && text.indexOf('>', cut) < 0) {
      carry = text.slice(cut);
      text = text.slice(0, cut);
    } else carry = '';
    if (!sheet) {
      strings += text.match(STRING_ITEM)?.length ?? 0;
      if (strings > scan.maxSharedStrings)
        throw new ScanExceeded(scan.refuse('strings', scan.maxSharedStrings));
      return;
    }
    for (const match of text.matchAll(ROW_OR_CELL)) {
      if (match[1] === 'row') {
        if (++rows > scan.maxSheetRows) throw new ScanExceeded(scan.refuse('rows', scan.maxSheetRows));
      } else if (++totals.cells > scan.maxCells) throw new ScanExceeded(scan.refuse('cells', scan.maxCells));
    }
  };
}

/**
 * Checks an XLSX archive before any spreadsheet library sees it: entry count, declared sizes and
 * ratios from the central directory (no inflating), then inflates every entry through yauzl with a
 * running byte cap, because declared sizes can lie. Never throws: every finding is a problem.
 */
export async function guardZip(
  bytes: Buffer,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  file?: string,
  scan?: SheetScan,
): Promise<{ problems: Problem[]; entries: string[] }> {
  const location = { file };
  const fail = (code: string, id: string, en: string) => ({
    problems: [report(code, 'error', location, id, en)],
    entries: [] as string[],
  });
  let zip: ZipFile;
  try {
    zip = await fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (error) {
    return fail(
      'CORRUPT_FILE',
      `berkas XLSX rusak atau tidak lengkap (${describe(error)}). Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah kembali.`,
      `the XLSX file is damaged or incomplete (${describe(error)}). Open it in Excel, save it again as .xlsx and upload it again.`,
    );
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      return fail(
        'ZIP_ENTRY_LIMIT',
        `berkas berisi ${zip.entryCount} bagian internal (batas ${limits.maxEntries}); ini bukan templat yang wajar. Pakai templat resmi tanpa gambar atau lampiran tambahan.`,
        `the file holds ${zip.entryCount} internal parts (limit ${limits.maxEntries}); this is not a plausible template. Use the official template without extra images or attachments.`,
      );
    const entries: Entry[] = [];
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      entries.push(entry);
      if (entries.length > limits.maxEntries)
        return fail(
          'ZIP_ENTRY_LIMIT',
          `berkas berisi lebih dari ${limits.maxEntries} bagian internal. Pakai templat resmi.`,
          `the file holds more than ${limits.maxEntries} internal parts. Use the official template.`,
        );
      if (entry.isEncrypted())
        return fail(
          'ZIP_ENCRYPTED',
          'berkas dilindungi kata sandi. Hapus kata sandi berkas (File → Info → Lindungi Buku Kerja) lalu unggah ulang.',
          'the file is password-protected. Remove the file password (File → Info → Protect Workbook) and upload it again.',
        );
      declared += entry.uncompressedSize;
      const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
      if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio)
        return fail(
          'ZIP_RATIO_LIMIT',
          `bagian "${entry.fileName}" mengembang ${Math.round(ratio)} kali (batas ${limits.maxRatio}): ciri "zip bomb". Berkas ditolak; pakai templat resmi.`,
          `part "${entry.fileName}" inflates ${Math.round(ratio)} times (limit ${limits.maxRatio}): the mark of a zip bomb. The file is refused; use the official template.`,
        );
    }
    if (declared > limits.maxUncompressedBytes)
      return fail(
        'ZIP_SIZE_LIMIT',
        `isi berkas mengembang menjadi ${mib(declared)} (batas ${mib(limits.maxUncompressedBytes)}). Hapus lembar, gambar, atau format yang tidak perlu, atau pakai templat resmi.`,
        `the file inflates to ${mib(declared)} (limit ${mib(limits.maxUncompressedBytes)}). Remove unneeded sheets, images or formatting, or use the official template.`,
      );
    const names = entries.map((e) => e.fileName);
    if (!names.includes('xl/workbook.xml'))
      return fail(
        'NOT_XLSX',
        'berkas ZIP ini bukan buku kerja Excel (.xlsx). Unggah templat .xlsx yang sudah diisi.',
        'this ZIP file is not an Excel workbook (.xlsx). Upload the filled-in .xlsx template.',
      );

    let inflated = 0;
    const totals = { cells: 0 };
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      try {
        const count = scan && tagCounter(entry.fileName, scan, totals);
        inflated = await drain(
          await zip.openReadStreamPromise(entry),
          inflated,
          limits.maxUncompressedBytes,
          count,
        );
      } catch (error) {
        if (error instanceof ScanExceeded) return { problems: [error.problem], entries: [] };
        if (error instanceof LimitExceeded)
          return fail(
            'ZIP_SIZE_LIMIT',
            `isi berkas sebenarnya melebihi ${mib(limits.maxUncompressedBytes)} saat dibuka, padahal ukuran yang tercatat lebih kecil: ciri "zip bomb". Berkas ditolak.`,
            `the file's real content exceeds ${mib(limits.maxUncompressedBytes)} when inflated although its recorded sizes are smaller: the mark of a zip bomb. The file is refused.`,
          );
        return fail(
          'ZIP_SIZE_MISMATCH',
          `bagian "${entry.fileName}" tidak sesuai dengan ukuran yang tercatat (${describe(error)}): berkas rusak atau dimanipulasi. Simpan ulang dari Excel.`,
          `part "${entry.fileName}" does not match its recorded size (${describe(error)}): the file is damaged or tampered with. Save it again from Excel.`,
        );
      }
    }
    return { problems: [], entries: names };
  } catch (error) {
    return fail(
      'CORRUPT_FILE',
      `berkas XLSX rusak (${describe(error)}). Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah kembali.`,
      `the XLSX file is damaged (${describe(error)}). Open it in Excel, save it again as .xlsx and upload it again.`,
    );
  } finally {
    zip.close();
  }
}

/**
 * Counts inflated bytes (and, for worksheets, rows and cells) and stops the stream the moment a
 * running total passes its cap: nothing past a limit is ever inflated.
 */
function drain(
  stream: Readable,
  start: number,
  cap: number,
  count?: (chunk: Buffer) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let total = start;
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap) {
        stream.destroy();
        reject(new LimitExceeded());
        return;
      }
      try {
        count?.(chunk);
      } catch (error) {
        stream.destroy();
        reject(error);
      }
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(total));
  });
}

const describe = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 120);

/**
 * Reads every entry of an untrusted archive that is not an XLSX (a reproducibility bundle) under
 * the same limits as `guardZip`: entry count, encryption, declared total and ratio from the central
 * directory, then inflation capped by a running byte count. Never throws: a problem instead.
 */
export async function readZipEntries(
  bytes: Buffer,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<{ entries: Map<string, Buffer>; problem?: string }> {
  const entries = new Map<string, Buffer>();
  const fail = (problem: string) => ({ entries: new Map<string, Buffer>(), problem });
  let zip: ZipFile;
  try {
    zip = await fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (error) {
    return fail(`arsip ZIP rusak / the ZIP archive is damaged (${describe(error)})`);
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      return fail(`${zip.entryCount} entri, batas / entries, limit ${limits.maxEntries}`);
    const listed: Entry[] = [];
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      listed.push(entry);
      if (entry.isEncrypted()) return fail(`entri terenkripsi / encrypted entry ${entry.fileName}`);
      declared += entry.uncompressedSize;
      const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
      if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio)
        return fail(`"${entry.fileName}" mengembang / inflates ${Math.round(ratio)}× (zip bomb)`);
    }
    if (declared > limits.maxUncompressedBytes)
      return fail(`isi / content ${mib(declared)} > ${mib(limits.maxUncompressedBytes)}`);
    let inflated = 0;
    for (const entry of listed) {
      if (entry.fileName.endsWith('/')) continue;
      const chunks: Buffer[] = [];
      try {
        inflated = await drain(
          await zip.openReadStreamPromise(entry),
          inflated,
          limits.maxUncompressedBytes,
          (chunk) => chunks.push(chunk),
        );
      } catch (error) {
        if (error instanceof LimitExceeded)
          return fail(`isi sebenarnya / real content > ${mib(limits.maxUncompressedBytes)} (zip bomb)`);
        return fail(`"${entry.fileName}": ${describe(error)}`);
      }
      if (entries.has(entry.fileName)) return fail(`entri ganda / duplicate entry ${entry.fileName}`);
      entries.set(entry.fileName, Buffer.concat(chunks));
    }
    return { entries };
  } catch (error) {
    return fail(`arsip ZIP rusak / the ZIP archive is damaged (${describe(error)})`);
  } finally {
    zip.close();
  }
}
