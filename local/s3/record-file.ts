import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { partialNameFor, syncDirectory } from '../atomic-file';

/**
 * The local S3's file format, for objects and for multipart parts alike: a magic line, the length of
 * a small JSON header (which holds the body's `size`), the header, then the body. Written to a
 * `.partial-` file and renamed into place, so a kill leaves the previous file or the new one, never
 * a torn mix; read back by checking the header and the file's length against it.
 */

const MAGIC = Buffer.from('INDEKS-S3-OBJECT-1\n');
const MAX_HEADER = 1024 * 1024;

export interface RecordHeader {
  size: number;
}

/** Writes `header` + `body` atomically to `file`; answers where the body starts. */
export async function writeRecordFile(
  file: string,
  header: RecordHeader,
  body: Buffer | AsyncIterable<Uint8Array>,
  options: { fsync: boolean },
): Promise<number> {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const partial = partialNameFor(file);
  const handle = await open(partial, 'w');
  try {
    if (Buffer.isBuffer(body)) await handle.writev([MAGIC, length, json, body]);
    else {
      await handle.writev([MAGIC, length, json]);
      let written = 0;
      for await (const chunk of body) {
        await handle.write(chunk);
        written += chunk.length;
      }
      // The sources are checked before; a short copy must never become an object.
      if (written !== header.size) throw new Error(`body of ${written} bytes, ${header.size} expected`);
    }
    if (options.fsync) await handle.sync();
    await handle.close();
    await rename(partial, file);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
  if (options.fsync) await syncDirectory(dirname(file));
  return MAGIC.length + 4 + json.length;
}

/** The header of an open record file and where its body starts; throws (with the reason) for a torn file. */
export async function readRecordHeader(
  handle: FileHandle,
): Promise<{ header: RecordHeader & Record<string, unknown>; bodyOffset: number }> {
  const prefix = Buffer.alloc(MAGIC.length + 4);
  const { bytesRead } = await handle.read(prefix, 0, prefix.length, 0);
  if (bytesRead < prefix.length || !prefix.subarray(0, MAGIC.length).equals(MAGIC))
    throw new Error('not an object file (no header)');
  const length = prefix.readUInt32BE(MAGIC.length);
  if (length > MAX_HEADER) throw new Error('object header too large');
  const json = Buffer.alloc(length);
  const read = await handle.read(json, 0, length, prefix.length);
  if (read.bytesRead < length) throw new Error('object header cut off');
  const header = JSON.parse(json.toString('utf8')) as RecordHeader & Record<string, unknown>;
  if (typeof header.size !== 'number') throw new Error('object header without size');
  const bodyOffset = prefix.length + length;
  const { size } = await handle.stat();
  if (size !== bodyOffset + header.size)
    throw new Error(`object cut off: ${size - bodyOffset} of ${header.size} bytes`);
  return { header, bodyOffset };
}

/** `readRecordHeader` of the file at `path`. */
export async function readRecordFile(
  path: string,
): Promise<{ header: RecordHeader & Record<string, unknown>; bodyOffset: number }> {
  const handle = await open(path, 'r');
  try {
    return await readRecordHeader(handle);
  } finally {
    await handle.close();
  }
}
