import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePacked,
  encodePacked,
  packSubmission,
  score,
  scoreFast,
  scorePacked,
  scoreRun,
  scoreRunPacked,
} from '#domain/engine/index';
import type { LoadedMethodology } from '#domain/methodology/load';
import { nodeMaximum } from '#domain/methodology/maximum';
import { listMethodologies } from '#domain/methodology/registry';
import { type Submission, submissionSchema } from '#domain/submission';
import { methodology, SID_CODES, SPD_CODES } from '../../support/iid';

const URUSAN = ['pendidikan', 'kesehatan', 'pupr', 'perumahan', 'trantibumlinmas', 'sosial', 'pariwisata'];

const answer = fc.oneof(
  fc.record({
    level: fc.integer({ min: 0, max: 3 }),
    status: fc.constantFrom('accepted', 'rejected'),
    evidence: fc.constant('e.pdf'),
  }),
  fc.record({
    value: fc.double({ min: -100, max: 1000, noNaN: true }),
    status: fc.constant('accepted' as const),
    evidence: fc.constant('e.pdf'),
  }),
);
const answers = (codes: string[]) =>
  fc.dictionary(fc.constantFrom(...codes), answer, { maxKeys: codes.length });
const item = fc.record({
  id: fc.uuid(),
  status: fc.constantFrom('accepted', 'accepted', 'accepted', 'rejected'),
  urusan: fc.constantFrom(...URUSAN),
  indicators: answers(SID_CODES),
});

const iidSubmission = (id: string, period: number) =>
  fc
    .record({
      methodology: fc.constant(id),
      region: fc.constantFrom('18.01', '18.02', '18', '18.71'),
      period: fc.constant(period),
      profile: fc.constant({}),
      indicators: answers(SPD_CODES),
      groups: fc.record({ inovasi: fc.array(item, { maxLength: 30 }) }),
    })
    .map((raw) => submissionSchema.parse(raw));

describe.each([
  ['iid-2023', 2023],
  ['iid-2026', 2026],
])('%s properties', (id, period) => {
  const m = methodology(id);
  const arb = iidSubmission(id, period);

  it('keeps the index within [0, 100]', () => {
    fc.assert(
      fc.property(arb, (s) => {
        const r = scoreFast(m, s);
        return r.index >= 0 && r.index <= 100 + 1e-9;
      }),
    );
  });

  it('the fast path and the traced path agree exactly', () => {
    fc.assert(
      fc.property(arb, (s) => {
        const fast = scoreFast(m, s);
        const card = score(m, s);
        return fast.index === card.index && fast.predikat === card.predikat && fast.display === card.display;
      }),
    );
  });

  it('the packed path, through its stored bytes, agrees exactly with the traced path', () => {
    fc.assert(
      fc.property(arb, (s) => {
        const packed = scorePacked(m, decodePacked(encodePacked(packSubmission(m, s))));
        const card = score(m, s);
        // The trace derives the same value in doubles: it must not drift from the published one.
        const traced = (card.rawTotal / card.rawMax) * card.scale;
        return (
          packed.index === card.index &&
          packed.display === card.display &&
          packed.predikat === card.predikat &&
          Math.abs(traced - card.index) <= 1e-9 * Math.max(1, card.index)
        );
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(arb, (s) => JSON.stringify(score(m, s)) === JSON.stringify(score(m, structuredClone(s)))),
    );
  });

  it('raising one indicator level never lowers the index', () => {
    fc.assert(
      fc.property(arb, fc.constantFrom(...SPD_CODES, ...SID_CODES), fc.nat(29), (s, code, itemIndex) => {
        const before = scoreFast(m, s).index;
        const raised = structuredClone(s);
        const target = SPD_CODES.includes(code)
          ? raised.indicators
          : raised.groups.inovasi?.[itemIndex]?.indicators;
        if (!target) return true;
        const current = target[code];
        if (current?.value !== undefined) return true;
        const level = current?.level ?? 0;
        if (level >= 3) return true;
        target[code] = { level: level + 1, status: current?.status ?? 'accepted', evidence: 'e.pdf' };
        return scoreFast(m, raised).index >= before - 1e-12;
      }),
    );
  });
});

describe('every shipped methodology', () => {
  it.each(listMethodologies().map((m) => [m.id, m] as [string, LoadedMethodology]))(
    '%s: consistent weights, maximum and predikat bands',
    (_id, m) => {
      const max = nodeMaximum(m.root, m);
      expect(max).toBeGreaterThan(0);
      if (m.output.expectedRawMax !== undefined) expect(max).toBeCloseTo(m.output.expectedRawMax, 9);
      const bands = [...m.predikat.bands].sort((a, b) => a.min - b.min);
      expect(bands.at(-1)?.max).toBe(m.output.scale);
      for (const node of m.root.children) expect(node.weight).toBeGreaterThanOrEqual(0);
    },
  );

  it('a full run ranks nothing that was never scored, and scoreRun equals scoring one by one without relative rules', () => {
    const m = methodology('iid-2023');
    fc.assert(
      fc.property(
        fc.uniqueArray(iidSubmission('iid-2023', 2023), { selector: (s) => s.region, maxLength: 4 }),
        (subs) => {
          const { results } = scoreRun(m, subs);
          const packed = scoreRunPacked(
            m,
            subs.map((s) => decodePacked(encodePacked(packSubmission(m, s)))),
          ).results;
          return results.every(
            (r, i) =>
              r.index === scoreFast(m, subs[i] as Submission).index &&
              JSON.stringify(packed[i]) === JSON.stringify(r),
          );
        },
      ),
    );
  });
});

describe('numeric bands', () => {
  it('levelOfValue picks the one band whose stated bounds contain the value', async () => {
    const { compile } = await import('#domain/engine/index');
    const { levelOfValue } = await import('#domain/engine/leaf');
    const c = compile(methodology('iid-2023'));
    const banded = [...c.indicators.values()].filter((i) => i.bands.length > 0);
    const boundaries = banded.flatMap((i) =>
      i.bands.flatMap((b) => [b.min, b.max]).filter((v): v is number => v !== undefined),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...banded),
        fc.oneof(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.constantFrom(...boundaries)),
        (indicator, value) => {
          const inside = indicator.bands.filter(
            (b) =>
              (b.min === undefined || (b.minInclusive ? value >= b.min : value > b.min)) &&
              (b.max === undefined || (b.maxInclusive ? value <= b.max : value < b.max)),
          );
          return inside.length === 1 && inside[0]?.level === levelOfValue(indicator, value);
        },
      ),
    );
  });
});
