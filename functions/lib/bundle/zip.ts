import { ZipFile } from 'yazl';

/** A fixed entry time: the same files always give the same zip bytes (a rebuild is byte-identical). */
const ENTRY_TIME = new Date(Date.UTC(2000, 0, 1));

/** The files as one zip, in path order, deflated, with fixed entry times. */
export function writeZip(files: ReadonlyMap<string, Uint8Array>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const path of [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    zip.addBuffer(Buffer.from(files.get(path) ?? new Uint8Array()), path, {
      mtime: ENTRY_TIME,
      mode: 0o100644,
    });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
