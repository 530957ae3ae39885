import { createHash } from 'node:crypto';
import * as z from 'zod';
import { BUNDLE_FORMAT, BUNDLE_PATHS, type CodeInfo, codeInfo } from './layout';

/** The bundle's files by path (bytes exactly as in the zip). */
export type BundleFiles = ReadonlyMap<string, Uint8Array>;

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

export const bundleManifest = z.object({
  format: z.literal(BUNDLE_FORMAT),
  code: codeInfo,
  /** Every file of the bundle except the manifest itself, in path order. */
  files: z.array(z.object({ path: z.string().min(1), bytes: z.number().int().min(0), sha256: z.string() })),
});
export type BundleManifest = z.infer<typeof bundleManifest>;

/** The manifest of `files` (manifest.json itself left out), paths in code-unit order. */
export function buildManifest(files: BundleFiles, code: CodeInfo): BundleManifest {
  const paths = [...files.keys()].filter((p) => p !== BUNDLE_PATHS.manifest).sort(byCodeUnit);
  return {
    format: BUNDLE_FORMAT,
    code,
    files: paths.map((path) => {
      const bytes = files.get(path) ?? new Uint8Array();
      return { path, bytes: bytes.byteLength, sha256: sha256Hex(bytes) };
    }),
  };
}

export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One way the files disagree with the manifest. */
export interface ManifestProblem {
  path: string;
  problem: 'missing' | 'unlisted' | 'sha256' | 'unreadable';
  expected?: string;
  actual?: string;
}

export type ManifestCheck =
  | { ok: true; manifest: BundleManifest }
  | { ok: false; problems: ManifestProblem[]; manifest?: BundleManifest };

/** Every listed file present with its sha256, and nothing in the bundle that the manifest does not list. */
export function checkManifest(files: BundleFiles): ManifestCheck {
  const raw = files.get(BUNDLE_PATHS.manifest);
  if (!raw) return { ok: false, problems: [{ path: BUNDLE_PATHS.manifest, problem: 'missing' }] };
  let manifest: BundleManifest;
  try {
    manifest = bundleManifest.parse(JSON.parse(Buffer.from(raw).toString('utf8')));
  } catch {
    return { ok: false, problems: [{ path: BUNDLE_PATHS.manifest, problem: 'unreadable' }] };
  }
  const problems: ManifestProblem[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const bytes = files.get(f.path);
    if (!bytes) {
      problems.push({ path: f.path, problem: 'missing', expected: f.sha256 });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== f.sha256) problems.push({ path: f.path, problem: 'sha256', expected: f.sha256, actual });
  }
  for (const path of files.keys())
    if (path !== BUNDLE_PATHS.manifest && !listed.has(path)) problems.push({ path, problem: 'unlisted' });
  return problems.length === 0 ? { ok: true, manifest } : { ok: false, problems, manifest };
}
