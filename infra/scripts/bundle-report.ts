/**
 * Bundles every Lambda exactly as the CDK app does (infra/bundle-options.ts) and reports, per
 * function, the bundle size and the cold import time of the bundle in a fresh Node process
 * (median of 3). Usage: `npx tsx infra/scripts/bundle-report.ts [--json]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE } from '../bundle-options';
import { FUNCTIONS } from '../functions';
import { PROJECT_ROOT, TSCONFIG } from '../paths';

interface Row {
  function: string;
  entry: string;
  bundleKiB: number;
  coldImportMs: number;
}

const IMPORT_SCRIPT =
  'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

function coldImportMs(file: string): number {
  const runs = [0, 1, 2].map(() =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT, file], {
        env: {
          ...process.env,
          AWS_REGION: 'ap-southeast-3',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        encoding: 'utf8',
      }),
    ),
  );
  runs.sort((a, b) => a - b);
  return Math.round(runs[1] ?? Number.NaN);
}

async function main(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'indeks-bundles-'));
  const rows: Row[] = [];
  try {
    for (const [name, spec] of Object.entries(FUNCTIONS)) {
      const outfile = join(out, name, 'index.mjs');
      await build({
        entryPoints: [join(PROJECT_ROOT, spec.entry)],
        outfile,
        bundle: true,
        format: BUNDLE.format,
        target: BUNDLE.target,
        platform: BUNDLE.platform,
        minify: BUNDLE.minify,
        sourcemap: BUNDLE.sourcemap,
        mainFields: [...BUNDLE.mainFields],
        banner: { js: BUNDLE.banner },
        external: [...BUNDLE.external],
        tsconfig: TSCONFIG,
        logLevel: 'error',
      });
      rows.push({
        function: name,
        entry: spec.entry,
        bundleKiB: Math.round(statSync(outfile).size / 102.4) / 10,
        coldImportMs: coldImportMs(outfile),
      });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  process.stdout.write('| function | entry | bundle (KiB) | cold import (ms) |\n|---|---|---:|---:|\n');
  for (const r of rows)
    process.stdout.write(`| ${r.function} | ${r.entry} | ${r.bundleKiB} | ${r.coldImportMs} |\n`);
}

await main();
