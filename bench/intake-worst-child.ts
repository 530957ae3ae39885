import { readFile } from 'node:fs/promises';
import { getMethodology } from '#domain/methodology/registry';
import { intakeFile } from '#intake/index';

/**
 * One intake of one file in a process of its own, so its peak RSS is the file's alone:
 * `node --import tsx bench/intake-worst-child.ts <file> <methodology>` prints one JSON line.
 */
const [file = '', methodologyId = 'iid-2023'] = process.argv.slice(2);
const methodology = getMethodology(methodologyId);
if (!methodology) throw new Error(`unknown methodology ${methodologyId}`);
const bytes = await readFile(file);
const baseRss = process.memoryUsage().rss;
const started = performance.now();
const result = await intakeFile({
  bytes,
  fileName: file.replace(/^.*\//, ''),
  methodology,
  region: '18.01',
  options: { maxBytes: Math.max(bytes.length, 10 * 1024 * 1024) },
});
const ms = performance.now() - started;
const codes = [...new Set(result.problems.filter((p) => p.severity === 'error').map((p) => p.code))];
console.log(
  JSON.stringify({
    ms: Math.round(ms),
    baseRssMb: Math.round(baseRss / 1048576),
    peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 1048576),
    accepted: Boolean(result.submission),
    errors: codes,
    firstError: result.problems.find((p) => p.severity === 'error')?.message_en,
  }),
);
