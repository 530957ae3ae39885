import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { score, scoreRun } from '#domain/engine/index';
import { getMethodology } from '#domain/methodology/registry';
import { findRegion } from '#domain/regions';
import { EXAMPLES_DIR, exampleFiles, loadExample, methodology } from './helpers';

const readme = readFileSync(`${EXAMPLES_DIR}README.md`, 'utf8');
const cells = (line: string) =>
  line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());

/** The rows of examples/README.md's first table: file, methodology, region, index, predikat. */
const listed = readme
  .split('\n')
  .filter((line) => line.startsWith('| [`'))
  .map((line) => {
    const [link = '', id = '', region = '', index = '', predikat = ''] = cells(line);
    return {
      file: link.match(/`([^`]+\.json)`/)?.[1] ?? link,
      id,
      region: region.split(' ')[0],
      index,
      predikat,
    };
  });

describe('examples/', () => {
  it('lists every example file in README.md, and nothing else', () => {
    expect(listed.map((r) => r.file).sort()).toEqual(exampleFiles());
  });

  it('has at least one example per shipped methodology', () => {
    const used = new Set(exampleFiles().map((f) => loadExample(f).methodology));
    expect([...used].sort()).toEqual(['iid-2023', 'iid-2026', 'ikkd-2020', 'ipkd-2020']);
  });

  describe.each(listed)('$file', (row) => {
    const submission = loadExample(row.file);
    const m = getMethodology(submission.methodology);

    it('is a canonical submission under 200 KB for a real region, methodology and period', () => {
      expect(statSync(`${EXAMPLES_DIR}${row.file}`).size).toBeLessThan(200 * 1024);
      expect(findRegion(submission.region)).toBeDefined();
      expect([submission.methodology, submission.region]).toEqual([row.id, row.region]);
      expect(submission.period).toBe(m?.period);
    });

    it(`scores ${row.index} ${row.predikat}, as README.md says, with no warning about the file itself`, () => {
      if (!m) throw new Error(`unknown methodology ${submission.methodology}`);
      const card = score(m, submission);
      expect([card.display, card.predikat]).toEqual([row.index, row.predikat]);
      const fileProblems = ['METHODOLOGY_MISMATCH', 'PERIOD_MISMATCH', 'UNKNOWN_INDICATOR', 'LEVEL_INVALID'];
      expect(card.warnings.filter((w) => fileProblems.includes(w.code))).toEqual([]);
    });
  });

  it('agrees with the README table of the IKKD national run', () => {
    const section = readme.split('\n## ').find((s) => s.startsWith('IKKD national run')) ?? '';
    const rows = section
      .split('\n')
      .filter((line) => /^\| \d\d\.\d\d /.test(line))
      .map((line) => cells(line).slice(0, 3));
    const m = methodology('ikkd-2020');
    const files = exampleFiles().filter((f) => f.startsWith('ikkd-2020-'));
    const { results } = scoreRun(m, files.map(loadExample));
    const byRegion = new Map(results.map((r) => [r.region, r]));
    expect(rows).toHaveLength(files.length);
    for (const [region = '', display, predikat] of rows) {
      const result = byRegion.get(region.split(' ')[0] ?? '');
      expect([result?.display, result?.predikat], region).toEqual([display, predikat]);
    }
  });
});
