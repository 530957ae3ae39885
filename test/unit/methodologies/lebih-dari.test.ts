import { describe, expect, it } from 'vitest';
import { score, scoreFast } from '#domain/engine/index';
import type { GroupTrace } from '#domain/engine/trace';
import { innovation, methodology, submission } from '../../support/iid';

/**
 * "lebih dari N" (more than N) in the catalogue is exclusive on the real line: 30.5 people on
 * indicator 17 ("lebih dari 30") and 7.5 recommendations on 13a ("lebih dari 7") earn level 3;
 * exactly N stays in level 2 (issue 12 §1). Each indicator's boundaryNote says so.
 */
describe.each([
  ['iid-2023', 2023],
  ['iid-2026', 2026],
])('%s "lebih dari N" bands', (id, period) => {
  const m = methodology(id);

  const spdLevel = (value: number) => {
    const card = score(
      m,
      submission({
        methodology: id,
        region: '18.01',
        period,
        indicators: { '13a': { value, evidence: 'e.pdf' } },
      }),
    );
    const spd = card.breakdown.children[0];
    if (spd?.kind !== 'aggregate') throw new Error('SPD is an aggregate');
    const leaf = spd.children.find((c) => c.kind === 'indicator' && c.code === '13a');
    return leaf?.kind === 'indicator' ? leaf.level : undefined;
  };

  const sidLevel = (value: number) => {
    const item = innovation('A', 1);
    item.indicators['17'] = { value, evidence: 'sdm.pdf' } as never;
    const s = submission({ methodology: id, region: '18.01', period, groups: { inovasi: [item] } });
    const group = score(m, s).breakdown.children[1] as GroupTrace;
    const column = group.columns.findIndex((c) => c.code === '17');
    return { level: group.items[0]?.levels[column], fast: scoreFast(m, s).index, traced: score(m, s).index };
  };

  it.each([
    [0, 0],
    [0.5, 0],
    [1, 1],
    [3, 1],
    [3.5, 1],
    [4, 2],
    [7, 2],
    [7.5, 3],
    [8, 3],
  ])('13a: %d recommendations is level %d', (value, level) => {
    expect(spdLevel(value)).toBe(level);
  });

  it.each([
    [0, 0],
    [1, 1],
    [10, 1],
    [10.5, 1],
    [11, 2],
    [30, 2],
    [30.5, 3],
    [31, 3],
  ])('17: %d people is level %d, on the fast path too', (value, level) => {
    const { level: traced, fast, traced: tracedIndex } = sidLevel(value);
    expect(traced).toBe(level);
    expect(fast).toBe(tracedIndex);
  });

  it('says which side in each boundaryNote', () => {
    for (const code of ['13a', '17']) {
      const rule = m.indicators.find((i) => i.code === code)?.rule;
      expect(rule?.type).toBe('bands');
      if (rule?.type !== 'bands') continue;
      expect(rule.boundaryNote).toMatch(/lebih dari \d+.*exclusive on the real line/);
    }
  });
});
