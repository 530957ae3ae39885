import { readFileSync } from 'node:fs';
import type { LoadedMethodology } from '#domain/methodology/load';
import { parseMethodology } from '#domain/methodology/load';
import { getMethodology, methodologyIds } from '#domain/methodology/registry';
import { ProblemError, problem } from '#domain/problems';
import { UsageError } from './errors';

/** A shipped methodology by id, or a methodology file by path. */
export function resolveMethodology(idOrPath: string): LoadedMethodology {
  const shipped = getMethodology(idOrPath);
  if (shipped) return shipped;
  if (!/[/\\]|\.json$/i.test(idOrPath))
    throw new UsageError(
      `Metodologi "${idOrPath}" tidak dikenal. Tersedia: ${methodologyIds().join(', ')}, atau jalur berkas .json.`,
      `Unknown methodology "${idOrPath}". Available: ${methodologyIds().join(', ')}, or a path to a .json file.`,
    );
  return parseMethodology(readJson(idOrPath), idOrPath);
}

export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ProblemError('file', [
      problem(
        'FILE_UNREADABLE',
        'error',
        { file: path },
        `Berkas "${path}" tidak dapat dibaca. Periksa jalur dan izin berkas.`,
        `File "${path}" cannot be read. Check the path and its permissions.`,
      ),
    ]);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new ProblemError('file', [
      problem(
        'JSON_INVALID',
        'error',
        { file: path },
        `Berkas "${path}" bukan JSON yang sah (${detail}).`,
        `File "${path}" is not valid JSON (${detail}).`,
      ),
    ]);
  }
}
