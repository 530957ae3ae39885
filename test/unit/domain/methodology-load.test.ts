import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMethodology } from '#domain/methodology/load';
import { ProblemError } from '#domain/problems';

const iidSource = () =>
  JSON.parse(
    readFileSync(new URL('../../../methodologies/iid-2023.json', import.meta.url), 'utf8'),
  ) as Record<
    string,
    // biome-ignore lint/suspicious/noExplicitAny: a test mutates the raw document to break it
    any
  >;

function problemsOf(doc: unknown) {
  try {
    parseMethodology(doc, 'bad.json');
  } catch (e) {
    if (e instanceof ProblemError) return e.problems;
    throw e;
  }
  throw new Error('expected the methodology to be rejected');
}

describe('parseMethodology', () => {
  it('names the path of a schema error, bilingual', () => {
    const doc = iidSource();
    doc.root.children[0].children[3].weight = 'satu';
    const [p] = problemsOf(doc);
    expect(p?.location).toEqual({ file: 'bad.json', path: 'root.children[0].children[3].weight' });
    expect(p?.message_id).toContain('root.children[0].children[3].weight');
    expect(p?.message_en).toContain('Invalid value');
  });

  it('reports every consistency problem, not only the first', () => {
    const doc = iidSource();
    doc.root.children[0].children.push({ kind: 'indicator', indicator: '99', weight: 1 });
    doc.indicators.find((i: { code: string }) => i.code === '4').rule.bands[1].max = 5.2;
    doc.predikat.bands[1].min = 35.5;
    const problems = problemsOf(doc);
    expect(problems.map((p) => p.location.indicator ?? p.location.path)).toEqual(
      expect.arrayContaining(['99', '4', 'predikat.bands']),
    );
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses an indicator scored twice and one never scored', () => {
    const doc = iidSource();
    doc.root.children[0].children[0].indicator = '2a';
    const codes = problemsOf(doc).map((p) => p.location.indicator);
    expect(codes).toContain('2a');
    expect(codes).toContain('1');
  });

  it('checks the declared maximum against the hierarchy', () => {
    const doc = iidSource();
    doc.output.expectedRawMax = 260;
    expect(problemsOf(doc).map((p) => p.location.path)).toContain('output.expectedRawMax');
  });

  it('hashes content, not formatting or key order', () => {
    const doc = iidSource();
    const reordered = Object.fromEntries(Object.entries(doc).reverse());
    expect(parseMethodology(reordered).hash).toBe(parseMethodology(doc).hash);
    doc.root.children[0].children[0].weight = 2;
    doc.output.expectedRawMax = 253;
    expect(parseMethodology(doc).hash).not.toBe(parseMethodology(iidSource()).hash);
  });
});

describe('hierarchy leaves', () => {
  it('lists region-level codes and a repeated group item in hierarchy order', async () => {
    const { regionIndicatorCodes, repeatedGroupNode, indicatorLeaves } = await import(
      '#domain/methodology/leaves'
    );
    const m = parseMethodology(iidSource());
    expect(regionIndicatorCodes(m)).toHaveLength(20);
    expect(regionIndicatorCodes(m).slice(0, 3)).toEqual(['1', '2a', '2b']);
    const sid = repeatedGroupNode(m, 'inovasi');
    expect(sid?.id).toBe('SID');
    expect(indicatorLeaves(sid ?? m.root).map((l) => l.indicator)).toEqual(
      Array.from({ length: 20 }, (_, i) => String(16 + i)),
    );
    expect(repeatedGroupNode(m, 'nothing')).toBeUndefined();
  });
});
