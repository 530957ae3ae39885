import { describe, expect, it } from 'vitest';
import { roundDecimal } from '#domain/engine/display';
import { publishExact, score, scoreFast, scorePacked } from '#domain/engine/index';
import { packSubmission } from '#domain/engine/packed';
import { decodePacked, encodePacked } from '#domain/engine/packed-bytes';
import { decimal, formatRational, rational } from '#domain/engine/rational';
import { indicatorLeaves, repeatedGroupNode } from '#domain/methodology/leaves';
import type { LoadedMethodology } from '#domain/methodology/load';
import type { AggregateNode } from '#domain/methodology/schema';
import { innovation, methodology, SID_CODES, spdAtLevel, submission } from '../../support/iid';

/**
 * The published value is the half-up rounding of the exact index, never of a double such as
 * 60.004999999999995 (issue 12 §1).
 */

describe('the issue example: raw 150.0125 is index 60.005 exactly', () => {
  // SPD 63 + SID 1301 / 16 + 0.38 x 15 accepted = 63 + 81.3125 + 5.7 = 150.0125.
  const m = methodology('iid-2023');
  const exact = submission({
    methodology: 'iid-2023',
    region: '18.01',
    period: 2023,
    indicators: spdAtLevel(3),
    groups: { inovasi: exampleItems() },
  });

  it('publishes 60.01 "Sangat Inovatif" on the fast, traced and packed paths', () => {
    const card = score(m, exact);
    expect(card.rawTotal).toBeCloseTo(150.0125, 9);
    expect((card.rawTotal / 250) * 100).not.toBe(60.005); // the double the old rule rounded
    for (const r of [
      card,
      scoreFast(m, exact),
      scorePacked(m, decodePacked(encodePacked(packSubmission(m, exact)))),
    ]) {
      expect(r.display).toBe('60.01');
      expect(r.predikat).toBe('Sangat Inovatif');
      expect(r.index).toBe(60.005);
    }
  });
});

/** 15 accepted innovations worth 1301 points in all, and one rejected (it stays in the divisor of 16). */
function exampleItems() {
  const weights = new Map(
    indicatorLeaves(
      (repeatedGroupNode(methodology('iid-2023'), 'inovasi') as { item: AggregateNode }).item,
    ).map((l) => [l.indicator, l.weight]),
  );
  let need = 1301;
  const items = Array.from({ length: 15 }, (_, i) => {
    const it = innovation(`i${i}`, 0);
    for (const code of SID_CODES) {
      const w = weights.get(code) ?? 0;
      let level = 3;
      while (level > 0 && w * level > need) level--;
      it.indicators[code] = { level, evidence: `${code}.pdf` };
      need -= w * level;
    }
    return it;
  });
  if (need !== 0) throw new Error('the example does not add up');
  return [...items, { ...innovation('rejected', 3), status: 'rejected' }];
}

/** Every sum a set of (weight x level value) leaves can reach, in units of 1/den. */
function achievableSums(
  m: LoadedMethodology,
  codes: readonly string[],
  weightOf: (code: string) => number,
  den: number,
) {
  let reach = new Set<number>([0]);
  for (const code of codes) {
    const rule = m.indicators.find((i) => i.code === code)?.rule;
    if (!rule || (rule.type !== 'level' && rule.type !== 'bands'))
      throw new Error(`${code} is not a level rule`);
    const points = [0, ...rule.levels.map((l) => (l.value ?? l.level) * weightOf(code) * den)];
    for (const p of points) expect(Number.isInteger(Math.round(p * 1e9) / 1e9)).toBe(true);
    const next = new Set<number>();
    for (const r of reach) for (const p of points) next.add(r + Math.round(p));
    reach = next;
  }
  return [...reach].sort((a, b) => a - b);
}

describe.each([['iid-2023'], ['iid-2026']])(
  '%s: every achievable raw total publishes its exact half-up rounding',
  (id) => {
    const m = methodology(id);
    const root = m.root;
    const spdNode = root.children.find((c) => c.kind === 'aggregate') as AggregateNode;
    const group = repeatedGroupNode(m, 'inovasi');
    if (!group?.countScore) throw new Error('IID without innovations');
    const count = group.countScore;
    const spdWeights = new Map(
      spdNode.children.map((c) => [c.kind === 'indicator' ? c.indicator : '', c.weight]),
    );
    const itemWeights = new Map(indicatorLeaves(group.item).map((l) => [l.indicator, l.weight]));

    it('enumerates SPD and SID totals for n up to 250 (rejected innovations in the divisor), checks every class', () => {
      // SPD sums in quarters (weights 0.75, 1.5 ...), an innovation's sum in whole points.
      const spd = achievableSums(m, [...spdWeights.keys()], (c) => spdWeights.get(c) ?? 0, 4);
      const item = achievableSums(m, [...itemWeights.keys()], (c) => itemWeights.get(c) ?? 0, 1);
      const itemMax = item.at(-1) ?? 0;
      // One innovation reaches every whole number 0..111, so a accepted innovations reach 0..111a.
      expect(item).toEqual(Array.from({ length: itemMax + 1 }, (_, i) => i));
      expect(itemMax).toBe(111);
      const spdClasses = [...new Set(spd.map((q) => q % 4))];
      const perItem = Math.round(count.perItem * 100); // 38 hundredths
      const scale = m.output.scale;
      const rawMax = 250;
      expect(decimal(scale).num * 1n).toBe(100n);

      // raw = q/4 + T/div + perItem/100 x k. Adding 1 to raw adds exactly 0.40 to the index (40
      // hundredths), so the published digits of a total are fixed by its integer part and its
      // fraction: checking every achievable fraction at one integer part checks every total. The
      // fraction is (q mod 4)/4 + (T mod div)/div + (38k mod 100)/100, with T mod div reaching r
      // when r <= 111a.
      let classes = 0;
      let halfCents = 0;
      let oldRuleWrong = 0;
      const checked = new Map<number, Uint8Array>();
      for (let n = 0; n <= 250; n++) {
        const div = Math.max(group.minDivisor, n);
        const L = lcm(lcm(4, div), 100);
        let seen = checked.get(L);
        if (!seen) {
          seen = new Uint8Array(L);
          checked.set(L, seen);
        }
        for (let a = 0; a <= n; a++) {
          const ks = count.condition ? [0, Math.min(a, count.cap)] : [Math.min(a, count.cap)];
          const residues = Math.min(itemMax * a, div - 1);
          for (const k of ks) {
            const c = (((perItem * k) % 100) * L) / 100;
            for (const q of spdClasses)
              for (let r = 0; r <= residues; r++) {
                const f = ((q * L) / 4 + (r * L) / div + c) % L;
                if (seen[f]) continue;
                seen[f] = 1;
                classes++;
                // A representative total near the predikat boundaries: 150 + f / L.
                const num = BigInt(150 * L + f);
                const raw = rational(num, BigInt(L));
                const index = rational(num * BigInt(scale), BigInt(L * rawMax));
                const published = publishExact(m, index, true);
                // The oracle in integers: hundredths = floor((2 x 40 x (150L + f) + L) / 2L).
                const hundredths = (80n * num + BigInt(L)) / (2n * BigInt(L));
                const expected = `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
                if (published.display !== expected)
                  expect(published.display, `raw ${num}/${L}`).toBe(expected);
                if ((80n * num) % (2n * BigInt(L)) === BigInt(L)) {
                  halfCents++;
                  const old = roundDecimal((Number(raw.num) / Number(raw.den) / rawMax) * scale, 2).toFixed(
                    2,
                  );
                  if (old !== expected) oldRuleWrong++;
                }
              }
          }
        }
      }
      expect(classes).toBeGreaterThan(10_000);
      expect(halfCents).toBeGreaterThan(100);
      // The enumeration reaches the totals the float rule got wrong.
      expect(oldRuleWrong).toBeGreaterThan(0);
    });

    it('the predikat follows the published value at the cut-off', () => {
      const sangat = m.predikat.bands.find((b) => b.label === 'Sangat Inovatif');
      if (!sangat) throw new Error('no Sangat Inovatif band');
      const below = rational(BigInt(Math.round(sangat.min * 1000)) - 5n, 1000n); // e.g. 60.005 → 60.01
      expect(publishExact(m, below, true).display).toBe(sangat.min.toFixed(2));
      expect(publishExact(m, below, true).predikat).toBe('Sangat Inovatif');
      const under = rational(BigInt(Math.round(sangat.min * 1000)) - 6n, 1000n); // 60.004 → 60.00
      expect(publishExact(m, under, true).predikat).not.toBe('Sangat Inovatif');
    });
  },
);

describe('ipkd-2020: the 4-decimal display is the half-up rounding of the exact index', () => {
  const m = methodology('ipkd-2020');
  it('an exact 51.48765 publishes 51.4877 (its double is 51.487649999999995)', () => {
    const levels = { '1.2': 1, '1.3': 1, '2.1': 2, '2.2': 2, '3.2': 4, '6.1': 2 };
    const values = {
      '1.1': 57.387,
      '2.3': 19.887,
      '2.4': 30.849,
      '3.1': 8.246,
      '4.1': 94.769,
      '4.2': 86.241,
      '4.3': 43.882,
      '5.1': 2.711,
      '5.2': 12.847,
      '5.3': 0.009,
    };
    const indicators: Record<string, unknown> = {};
    for (const [code, level] of Object.entries(levels)) indicators[code] = { level, evidence: 'e.pdf' };
    for (const [code, value] of Object.entries(values)) indicators[code] = { value, evidence: 'e.pdf' };
    const s = submission({ methodology: m.id, region: '18.01', period: m.period, indicators });
    expect(formatRational(oracleIpkd(m, s.indicators), 5)).toBe('51.48765');
    expect(score(m, s).display).toBe('51.4877');
    expect(scoreFast(m, s).display).toBe('51.4877');
  });
  it('every combination of level answers, and goalpost values on a 0.01 grid', () => {
    // Level and band answers: every combination (one region each). Goalposts: each one's values
    // across its range in 0.01 steps (every third), the others at their best, with the level
    // combinations taken in turn.
    const levelCodes = m.indicators.filter((i) => i.rule.type === 'level' || i.rule.type === 'bands');
    const goalposts = m.indicators.filter((i) => i.rule.type === 'goalpost');
    const combos: Record<string, number>[] = [{}];
    for (const i of levelCodes) {
      const levels =
        i.rule.type === 'level' || i.rule.type === 'bands' ? [0, ...i.rule.levels.map((l) => l.level)] : [];
      const next: Record<string, number>[] = [];
      for (const c of combos) for (const l of levels) next.push({ ...c, [i.code]: l });
      combos.splice(0, combos.length, ...next);
    }
    let checked = 0;
    let oldRuleWrong = 0;
    for (const g of goalposts) {
      if (g.rule.type !== 'goalpost') continue;
      const lo = Math.min(g.rule.worst, g.rule.best);
      const hi = Math.max(g.rule.worst, g.rule.best);
      for (let step = 0; step <= Math.round((hi - lo) * 100); step += 3) {
        const value = Number((lo + step / 100).toFixed(2));
        for (const combo of [combos[(step / 3) % combos.length] ?? {}]) {
          const indicators: Record<string, unknown> = {};
          for (const [code, level] of Object.entries(combo)) indicators[code] = { level, evidence: 'e.pdf' };
          for (const other of goalposts)
            if (other.rule.type === 'goalpost')
              indicators[other.code] = {
                value: other === g ? value : other.rule.best,
                evidence: 'e.pdf',
              };
          const s = submission({ methodology: m.id, region: '18.01', period: m.period, indicators });
          const expected = formatRational(oracleIpkd(m, s.indicators), 4);
          const card = score(m, s);
          if (scoreFast(m, s).display !== expected || card.display !== expected)
            expect([scoreFast(m, s).display, card.display], value.toString()).toEqual([expected, expected]);
          checked++;
          if (roundDecimal(card.rawTotal, 4).toFixed(4) !== expected) oldRuleWrong++;
        }
      }
    }
    // Every level combination alone, goalposts at their best.
    for (const combo of combos) {
      const indicators: Record<string, unknown> = {};
      for (const [code, level] of Object.entries(combo)) indicators[code] = { level, evidence: 'e.pdf' };
      for (const g of goalposts)
        if (g.rule.type === 'goalpost') indicators[g.code] = { value: g.rule.best, evidence: 'e.pdf' };
      const s = submission({ methodology: m.id, region: '18.01', period: m.period, indicators });
      expect(scoreFast(m, s).display).toBe(formatRational(oracleIpkd(m, s.indicators), 4));
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
    console.info(
      `ipkd-2020: ${checked} totals checked; the float rule misrounds ${oldRuleWrong} of the grid`,
    );
  });
});

/** IPKD by hand in exact arithmetic: Σ dimension weight x weighted mean of its indicators. */
function oracleIpkd(m: LoadedMethodology, answers: Record<string, { level?: number; value?: number }>) {
  let total = rational(0n);
  for (const dim of m.root.children) {
    if (dim.kind !== 'aggregate') continue;
    let sum = rational(0n);
    let weights = rational(0n);
    for (const leaf of dim.children) {
      if (leaf.kind !== 'indicator') continue;
      const rule = m.indicators.find((i) => i.code === leaf.indicator)?.rule;
      const a = answers[leaf.indicator];
      let v = rational(0n);
      if (rule?.type === 'goalpost' && a?.value !== undefined) {
        const x = decimal(a.value);
        const worst = decimal(rule.worst);
        const range = rational(
          decimal(rule.best).num * worst.den - worst.num * decimal(rule.best).den,
          decimal(rule.best).den * worst.den,
        );
        const pos = rational(
          (x.num * worst.den - worst.num * x.den) * range.den,
          x.den * worst.den * range.num,
        );
        const scaled = rational(pos.num * BigInt(rule.scale), pos.den);
        v =
          scaled.num < 0n
            ? rational(0n)
            : scaled.num > BigInt(rule.scale) * scaled.den
              ? rational(BigInt(rule.scale))
              : scaled;
      } else if ((rule?.type === 'level' || rule?.type === 'bands') && a?.level !== undefined) {
        const option = rule.levels.find((l) => l.level === a.level);
        v = option ? decimal(option.value ?? option.level) : rational(0n);
      }
      const w = decimal(leaf.weight);
      sum = rational(sum.num * w.den * v.den + w.num * v.num * sum.den, sum.den * w.den * v.den);
      weights = rational(weights.num * w.den + w.num * weights.den, weights.den * w.den);
    }
    const mean = rational(sum.num * weights.den, sum.den * weights.num);
    const dw = decimal(dim.weight);
    total = rational(
      total.num * dw.den * mean.den + dw.num * mean.num * total.den,
      total.den * dw.den * mean.den,
    );
  }
  return total;
}

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}
