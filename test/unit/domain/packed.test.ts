import { describe, expect, it } from 'vitest';
import {
  decodePacked,
  encodePacked,
  PACKED_FORMAT_VERSION,
  PackedFormatError,
  packSubmission,
  runStats,
  score,
  scorePacked,
  scoreRunPacked,
} from '#domain/engine/index';
import { decimal, formatRational, rational, toNumber } from '#domain/engine/rational';
import { innovation, methodology, spdAtLevel, submission } from '../../support/iid';
import { exampleWith, methodology as shipped } from '../methodologies/helpers';

describe('packed submissions', () => {
  const m = methodology('iid-2023');
  const s = submission({
    methodology: 'iid-2023',
    region: '18.01',
    period: 2023,
    indicators: { ...spdAtLevel(2), '4': { value: 5.23, evidence: 'pdrb.pdf' }, '13a': { value: 7.5 } },
    groups: {
      inovasi: [
        innovation('A', 3),
        { ...innovation('B', 2), status: 'rejected' },
        { ...innovation('C', 1), indicators: { '17': { value: 30.5, evidence: 'sdm.pdf' } } },
      ],
    },
  });

  it('resolves each answer to one level cell, innovations as rows, rejected ones flagged', () => {
    const p = packSubmission(m, s);
    const group = p.groups[0];
    expect(group?.items).toBe(3);
    expect([...(group?.rejected ?? [])]).toEqual([0, 1, 0]);
    expect(group?.levels.length).toBe(3 * 20);
    // Row 2: only indicator 17 answered, 30.5 people → level 3 ("lebih dari 30").
    expect([...(group?.levels.subarray(40, 60) ?? [])].filter((l) => l > 0)).toEqual([3]);
    // Row 1 is rejected: no cells.
    expect([...(group?.levels.subarray(20, 40) ?? [])].every((l) => l === 0)).toBe(true);
  });

  it('round-trips through its bytes and scores as the traced path', () => {
    const bytes = encodePacked(packSubmission(m, s));
    const back = decodePacked(bytes);
    expect(back).toEqual(packSubmission(m, s));
    // Unaligned bytes (a Buffer pool slice) are copied once, not misread.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodePacked(shifted.subarray(3))).toEqual(back);
    const card = score(m, s);
    expect(scorePacked(m, back)).toMatchObject({
      index: card.index,
      display: card.display,
      predikat: card.predikat,
    });
  });

  it('refuses another format version, a truncated object, or another methodology revision', () => {
    const bytes = encodePacked(packSubmission(m, s));
    const future = bytes.slice();
    new DataView(future.buffer).setUint16(4, PACKED_FORMAT_VERSION + 1, true);
    expect(() => decodePacked(future)).toThrow(PackedFormatError);
    expect(() => decodePacked(bytes.subarray(0, bytes.length - 1))).toThrow(PackedFormatError);
    expect(() => decodePacked(new Uint8Array(4))).toThrow(PackedFormatError);
    expect(() => scorePacked(methodology('iid-2026'), decodePacked(bytes))).toThrow(/packed for iid-2023/);
  });

  it('a national run with relative rules (IKKD min-max, survey) scores the same packed as from JSON', () => {
    const ikkd = shipped('ikkd-2020');
    const regions = ['18.01', '18.02', '18.71'].map((region, i) =>
      exampleWith('ikkd-2020-kabupaten-banyuwangi.json', (raw) => {
        raw.region = region;
        const first = Object.keys(raw.indicators)[i];
        if (first) delete raw.indicators[first];
      }),
    );
    const stats = runStats(ikkd, regions);
    const packed = scoreRunPacked(
      ikkd,
      regions.map((r) => decodePacked(encodePacked(packSubmission(ikkd, r)))),
    );
    regions.forEach((r, i) => {
      const card = score(ikkd, r, { stats });
      expect(packed.results[i]).toMatchObject({
        index: card.index,
        display: card.display,
        predikat: card.predikat,
      });
    });
  });
});

describe('rational arithmetic', () => {
  it('reads the decimal a number was written as', () => {
    expect(decimal(0.38)).toEqual(rational(38n, 100n));
    expect(decimal(-50.32)).toEqual(rational(-5032n, 100n));
    expect(decimal(1e-7)).toEqual(rational(1n, 10_000_000n));
    expect(decimal(250)).toEqual(rational(250n));
  });

  it('rounds half away from zero on the exact value', () => {
    expect(formatRational(rational(60005n, 1000n), 2)).toBe('60.01');
    expect(formatRational(rational(600049999n, 10_000_000n), 2)).toBe('60.00');
    expect(formatRational(rational(-60005n, 1000n), 2)).toBe('-60.01');
    expect(formatRational(rational(1n, 3n), 4)).toBe('0.3333');
    expect(formatRational(rational(0n), 2)).toBe('0.00');
    expect(formatRational(rational(5n, 10n), 0)).toBe('1');
  });

  it('gives the nearest double', () => {
    expect(toNumber(rational(60005n, 1000n))).toBe(60.005);
    expect(toNumber(rational(1n, 3n))).toBe(1 / 3);
    expect(toNumber(rational(10n ** 30n + 1n, 10n ** 28n))).toBe(100);
  });
});
