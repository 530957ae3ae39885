import { readFile, rm, writeFile } from 'node:fs/promises';

const heldHere = new Set<string>();

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `Folder data ${dataDir} sedang dipakai oleh proses lain (pid ${pid}); hentikan proses itu atau pakai --data-dir lain.\n` +
        `The data folder ${dataDir} is in use by another process (pid ${pid}); stop it or use another --data-dir.`,
    );
    this.name = 'DataDirInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/**
 * Whether the last runtime on this folder died without stopping (kill -9, a power cut): its lock
 * is still there and its process is gone. A clean stop removes the lock.
 */
export async function stoppedUncleanly(file: string): Promise<boolean> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return !(Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid));
  } catch {
    return false;
  }
}

/**
 * One runtime per data folder: dynalite's LevelDB and the local S3's files are not safe to share. A
 * stale lock (its process is gone, e.g. after kill -9) is taken over.
 */
export async function lockDataDir(file: string, dataDir: string): Promise<() => Promise<void>> {
  if (heldHere.has(file)) throw new DataDirInUseError(dataDir, process.pid);
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
      throw new DataDirInUseError(dataDir, pid);
  } catch (error) {
    if (error instanceof DataDirInUseError) throw error;
  }
  await writeFile(file, `${process.pid}\n`);
  heldHere.add(file);
  return async () => {
    heldHere.delete(file);
    await rm(file, { force: true });
  };
}
