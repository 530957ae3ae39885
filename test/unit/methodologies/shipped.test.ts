import { describe, expect, it } from 'vitest';
import { compile } from '#domain/engine/index';
import { parseMethodology } from '#domain/methodology/load';
import { methodologyIds } from '#domain/methodology/registry';
import type { HierarchyNode, Methodology } from '#domain/methodology/schema';
import { methodology, readMethodologyJson } from './helpers';

/** Each leaf's share of the index when every node is a weighted mean (or a weighted sum of weights 1). */
function effectiveWeights(node: HierarchyNode, share: number, out: Map<string, number>): Map<string, number> {
  if (node.kind === 'indicator') out.set(node.indicator, share);
  else if (node.kind === 'aggregate') {
    const total = node.children.reduce((s, c) => s + c.weight, 0);
    for (const child of node.children) effectiveWeights(child, (share * child.weight) / total, out);
  }
  return out;
}

const aggregates = (node: HierarchyNode): HierarchyNode[] =>
  node.kind === 'aggregate' ? [node, ...node.children.flatMap(aggregates)] : [];

describe('shipped methodologies', () => {
  it('registers iid-2023, iid-2026, ikkd-2020 and ipkd-2020', () => {
    expect(methodologyIds()).toEqual(['iid-2023', 'iid-2026', 'ikkd-2020', 'ipkd-2020']);
  });

  it.each(methodologyIds())('%s parses and passes the consistency checks; its id matches its file', (id) => {
    const m = parseMethodology(readMethodologyJson(id), `methodologies/${id}.json`);
    expect(m.id).toBe(id);
    expect(id.startsWith(`${m.index}-`)).toBe(true);
    expect(id.endsWith(String(m.period))).toBe(true);
    expect(m.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(compile(m).rawMax).toBeCloseTo(m.output.expectedRawMax ?? Number.NaN, 9);
  });

  it.each(methodologyIds())('%s: every goalpost runs from worst to best in the declared direction', (id) => {
    for (const indicator of methodology(id).indicators) {
      const rule = indicator.rule;
      if (rule.type !== 'goalpost') continue;
      const expected =
        rule.direction === 'higher-is-better' ? rule.best > rule.worst : rule.best < rule.worst;
      expect(expected, `${id} ${indicator.code}`).toBe(true);
    }
  });

  describe.each(['ikkd-2020', 'ipkd-2020'])('%s', (id) => {
    const m: Methodology = methodology(id);

    it('says in both languages that its weights are illustrative', () => {
      expect(m.disclaimer).toMatch(/ILUSTRATIF/);
      expect(m.disclaimer).toMatch(/ILLUSTRATIVE/);
    });

    it('gives every aggregate children weights that sum to 1', () => {
      for (const node of aggregates(m.root)) {
        if (node.kind !== 'aggregate') continue;
        expect(
          node.children.reduce((s, c) => s + c.weight, 0),
          node.id,
        ).toBeCloseTo(1, 12);
      }
    });

    it('gives every indicator a plausible share of the index (1-20 %), the shares summing to 100 %', () => {
      const shares = effectiveWeights(m.root, 1, new Map());
      expect(shares.size).toBe(m.indicators.length);
      expect([...shares.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const [code, share] of shares) {
        expect(share, code).toBeGreaterThanOrEqual(0.01);
        expect(share, code).toBeLessThanOrEqual(0.2);
      }
    });

    it('ranks provinsi, kabupaten and kota separately and names "Tidak Dapat Dinilai"', () => {
      expect(m.clusters.map((c) => c.id)).toEqual(expect.arrayContaining(['provinsi', 'kabupaten', 'kota']));
      expect(m.predikat.notAssessable.label).toBe('Tidak Dapat Dinilai');
    });
  });

  it('ikkd-2020 follows Permendagri 38/2020: 2 variables, 5 dimensions, the leadership survey feeding 3', () => {
    const m = methodology('ikkd-2020');
    const [v1, v2] = m.root.children;
    expect(m.root.aggregation).toBe('weighted-mean');
    expect(v1?.kind === 'aggregate' && v1.children.map((c) => (c.kind === 'aggregate' ? c.id : ''))).toEqual([
      'D1.1',
      'D1.2',
    ]);
    expect(v2?.kind === 'aggregate' && v2.children.map((c) => c.kind)).toEqual([
      'indicator',
      'indicator',
      'indicator',
    ]);
    const rules = new Set(m.indicators.map((i) => i.rule.type));
    expect([...rules].sort()).toEqual(['bands', 'goalpost', 'level', 'min-max', 'survey']);
    expect(m.survey).toMatchObject({ scale: { min: 1, max: 5 }, minRespondents: 30 });
    expect(m.predikat.bands.map((b) => b.label)).toEqual([
      'Sangat Rendah',
      'Rendah',
      'Sedang',
      'Tinggi',
      'Sangat Tinggi',
    ]);
  });

  it('ipkd-2020 follows Permendagri 19/2020: 6 dimensions in a weighted sum, published with 4 decimals', () => {
    const m = methodology('ipkd-2020');
    expect(m.root.aggregation).toBe('weighted-sum');
    expect(m.root.children.map((c) => (c.kind === 'aggregate' ? c.id : ''))).toEqual([
      'D1',
      'D2',
      'D3',
      'D4',
      'D5',
      'D6',
    ]);
    expect(m.output.decimals).toBe(4);
    const opinion = m.indicators.find((i) => i.code === '6.1')?.rule;
    expect(
      opinion?.type === 'level' && opinion.levels.map((l) => [l.label.id.match(/\((\w+)\)$/)?.[1], l.value]),
    ).toEqual([
      ['TW', 0],
      ['WDP', 50],
      ['WTP', 100],
    ]);
  });
});
