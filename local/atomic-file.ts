import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of a file being written; one left behind was cut off by a crash and is never read. */
export const PARTIAL_PREFIX = '.partial-';

/** A temporary name beside `file` (same directory, so rename is atomic on the same file system). */
export function partialNameFor(file: string): string {
  return join(dirname(file), `${PARTIAL_PREFIX}${randomBytes(6).toString('hex')}-${basename(file)}`);
}

/** Flushes a directory's entry table, so a rename into it survives a power cut. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

/**
 * Writes `file` so that a kill at any instant leaves either the previous content or the new one,
 * never a torn mix: the bytes go to a temporary file beside it, are flushed (fsync), then renamed
 * over it, and the directory entry is flushed too.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = partialNameFor(file);
  const handle = await open(partial, 'w', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  await syncDirectory(dirname(file));
}
