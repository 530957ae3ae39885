import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rank, scoreRun } from '#domain/engine/index';
import {
  mulberry32,
  rankIntervals,
  type UncertaintySettings,
  uncertaintyModel,
  uncertaintySettings,
} from '#domain/engine/uncertainty';
import type { LoadedMethodology } from '#domain/methodology/load';
import { REGIONS } from '#domain/regions';
import { type Submission, submissionSchema } from '#domain/submission';
import { innovation, methodology, SPD_CODES } from '../../support/iid';

const KOTA = REGIONS.filter((r) => r.jenis === 'kota').map((r) => r.kode);

/** Kota regions with arbitrary SPD levels and a few innovations each. */
const iidRun = (m: LoadedMethodology) =>
  fc
    .array(
      fc.record({
        spd: fc.array(fc.integer({ min: 0, max: 3 }), {
          minLength: SPD_CODES.length,
          maxLength: SPD_CODES.length,
        }),
        innovations: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 14 }),
      }),
      { minLength: 2, maxLength: 25 },
    )
    .map((regions) =>
      regions.map((r, i) =>
        submissionSchema.parse({
          methodology: m.id,
          region: KOTA[i],
          period: m.period,
          profile: {},
          indicators: Object.fromEntries(
            SPD_CODES.map((c, k) => [c, { level: r.spd[k] ?? 0, evidence: 'e.pdf' }]),
          ),
          groups: { inovasi: r.innovations.map((level, k) => innovation(`i${k}`, level)) },
        }),
      ),
    );

function intervals(m: LoadedMethodology, submissions: Submission[], settings: UncertaintySettings) {
  const run = scoreRun(m, submissions, { trace: true });
  const rankings = rank(run.results, m.clusters);
  const model = uncertaintyModel(m, settings);
  const rows = new Map(run.results.map((card) => [card.region, model.row(card.breakdown, run.stats)]));
  return { run, rankings, model, rows, intervals: rankIntervals(model, rows, rankings) };
}

const iid = methodology('iid-2026');
const small = (over: Partial<UncertaintySettings> = {}): UncertaintySettings => ({
  ...uncertaintySettings(iid),
  samples: 60,
  ...over,
});

describe('rank intervals', () => {
  it('mulberry32 draws uniformly in [0, 1), the same sequence for the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 20_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(draws.every((u) => u >= 0 && u < 1)).toBe(true);
    const mean = draws.reduce((s, u) => s + u, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });

  it('recombines each row with the official weights to the card raw total', () => {
    fc.assert(
      fc.property(iidRun(iid), (submissions) => {
        const { run, model, rows } = intervals(iid, submissions, small({ samples: 1 }));
        for (const card of run.results) {
          const row = rows.get(card.region) as Float64Array;
          // SPD leaves (weight x value), then SID columns, then the count score.
          let total = 0;
          for (let i = 0; i < model.nodes; i++) {
            if (model.slot[i] === -1) continue;
            let w = 1;
            for (let j = i; j > 0; j = model.parent[j] as number) w *= model.weight[j] as number;
            total += w * (row[model.slot[i] as number] as number);
          }
          expect(total).toBeCloseTo(card.rawTotal, 9);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('puts the median rank within [P5, P95] and every rank within the cluster', () => {
    fc.assert(
      fc.property(iidRun(iid), (submissions) => {
        const { intervals: out, rankings } = intervals(iid, submissions, small());
        for (const ranking of rankings) {
          const n = ranking.entries.filter((e) => e.rank !== null).length;
          for (const e of ranking.entries) {
            const it = out.get(e.region)?.[ranking.cluster];
            if (e.rank === null) {
              expect(it).toBeUndefined();
              continue;
            }
            expect(it).toBeDefined();
            if (!it) continue;
            expect(it.rank).toBe(e.rank);
            expect(it.p5).toBeLessThanOrEqual(it.median);
            expect(it.median).toBeLessThanOrEqual(it.p95);
            expect(it.p5).toBeGreaterThanOrEqual(1);
            expect(it.p95).toBeLessThanOrEqual(n);
            expect(it.tiedWith).toBeLessThan(n);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it('collapses to the official rank without perturbation', () => {
    fc.assert(
      fc.property(iidRun(iid), (submissions) => {
        const { intervals: out, rankings } = intervals(
          iid,
          submissions,
          small({ perturbation: 0, normalisations: [] }),
        );
        for (const ranking of rankings)
          for (const e of ranking.entries) {
            if (e.rank === null) continue;
            const it = out.get(e.region)?.[ranking.cluster];
            expect(it).toMatchObject({ rank: e.rank, p5: e.rank, median: e.rank, p95: e.rank });
          }
      }),
      { numRuns: 40 },
    );
  });

  it('is determined by the seed', () => {
    fc.assert(
      fc.property(iidRun(iid), fc.integer({ min: 0, max: 0xffffffff }), (submissions, seed) => {
        const a = intervals(iid, submissions, small({ seed })).intervals;
        const b = intervals(iid, structuredClone(submissions), small({ seed })).intervals;
        expect([...b]).toEqual([...a]);
      }),
      { numRuns: 20 },
    );
  });

  it('counts the regions whose intervals overlap (hand-computed)', () => {
    // Three kota: two identical (always tied), one far below them (never overlapping).
    const spd = (level: number) =>
      Object.fromEntries(SPD_CODES.map((c) => [c, { level, evidence: 'e.pdf' }]));
    const make = (region: string, level: number, n: number) =>
      submissionSchema.parse({
        methodology: iid.id,
        region,
        period: iid.period,
        profile: {},
        indicators: spd(level),
        groups: { inovasi: Array.from({ length: n }, (_, k) => innovation(`i${k}`, level)) },
      });
    const { intervals: out } = intervals(
      iid,
      [make('35.76', 3, 12), make('35.77', 3, 12), make('35.78', 1, 1)],
      small(),
    );
    expect(out.get('35.76')?.kota).toEqual({ rank: 1, median: 1, p5: 1, p95: 1, tiedWith: 1 });
    expect(out.get('35.77')?.kota).toEqual({ rank: 1, median: 1, p5: 1, p95: 1, tiedWith: 1 });
    expect(out.get('35.78')?.kota).toEqual({ rank: 3, median: 3, p5: 3, p95: 3, tiedWith: 0 });
  });

  it('handles weighted means and relative indicators (IKKD) and collapses without perturbation', () => {
    const ikkd = methodology('ikkd-2020');
    const base = JSON.parse(readFileSync('examples/ikkd-2020-kota-surakarta.json', 'utf8'));
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.5, max: 1.5, noNaN: true }), { minLength: 3, maxLength: 12 }),
        (factors) => {
          const submissions = factors.map((f, i) => {
            const s = structuredClone(base);
            s.region = KOTA[i];
            for (const a of Object.values(s.indicators) as { value?: number }[])
              if (a.value !== undefined) a.value = a.value * f;
            return submissionSchema.parse(s);
          });
          const settings = { ...uncertaintySettings(ikkd), samples: 40 };
          const still = intervals(ikkd, submissions, { ...settings, perturbation: 0, normalisations: [] });
          expect(still.model.linear).toBe(false);
          for (const [, own] of still.intervals)
            for (const it of Object.values(own))
              expect([it.p5, it.median, it.p95]).toEqual([it.rank, it.rank, it.rank]);
          const moved = intervals(ikkd, submissions, settings).intervals;
          for (const [, own] of moved)
            for (const it of Object.values(own)) {
              expect(it.p5).toBeLessThanOrEqual(it.median);
              expect(it.median).toBeLessThanOrEqual(it.p95);
            }
        },
      ),
      { numRuns: 15 },
    );
  });
});
