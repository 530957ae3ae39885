import { describe, expect, it } from 'vitest';
import {
  describe as describeValues,
  distribution,
  hasResults,
  isPublished,
  matchesSearch,
  normaliseSearch,
  previousCycleOf,
  rankChange,
} from '#domain/results';

const NOW = new Date('2026-06-01T00:00:00Z');
const cycle = (status: string, publishAt?: string) => ({ status, calendar: publishAt ? { publishAt } : {} });

describe('isPublished', () => {
  it('needs a FINAL run, a PUBLISHED cycle and a passed embargo', () => {
    expect(isPublished({ cycle: cycle('PUBLISHED'), run: { status: 'FINAL' } }, NOW)).toBe(true);
    expect(
      isPublished({ cycle: cycle('PUBLISHED', '2026-05-31T10:00:00+07:00'), run: { status: 'FINAL' } }, NOW),
    ).toBe(true);
    // The embargo ends at the very instant (WIB offset honoured).
    expect(
      isPublished({ cycle: cycle('PUBLISHED', '2026-06-01T07:00:00+07:00'), run: { status: 'FINAL' } }, NOW),
    ).toBe(true);
    expect(
      isPublished({ cycle: cycle('PUBLISHED', '2026-06-01T07:00:01+07:00'), run: { status: 'FINAL' } }, NOW),
    ).toBe(false);
    for (const status of ['ASSESSED', 'ASSESSING', 'CLOSED', 'OPEN', 'DRAFT'])
      expect(isPublished({ cycle: cycle(status), run: { status: 'FINAL' } }, NOW), status).toBe(false);
    for (const status of ['PROVISIONAL', 'RUNNING', 'FAILED'])
      expect(isPublished({ cycle: cycle('PUBLISHED'), run: { status } }, NOW), status).toBe(false);
  });

  it('keeps results closed when the embargo date cannot be read', () => {
    expect(isPublished({ cycle: cycle('PUBLISHED', 'soon'), run: { status: 'FINAL' } }, NOW)).toBe(false);
  });

  it('knows which runs have results', () => {
    expect(['RUNNING', 'PROVISIONAL', 'FINAL', 'FAILED'].map(hasResults)).toEqual([false, true, true, false]);
  });
});

describe('rankChange', () => {
  it('is places gained (positive = up), null unless ranked both times', () => {
    expect(rankChange(10, 4)).toBe(6);
    expect(rankChange(4, 10)).toBe(-6);
    expect(rankChange(3, 3)).toBe(0);
    expect(rankChange(null, 3)).toBeNull();
    expect(rankChange(3, undefined)).toBeNull();
  });
});

describe('previousCycleOf', () => {
  const cycles = [
    { cycleId: 'iid-2023', index: 'IID', period: 2023 },
    { cycleId: 'iid-2024', index: 'IID', period: 2024 },
    { cycleId: 'iid-2025', index: 'IID', period: 2025 },
    { cycleId: 'ikkd-2024', index: 'IKKD', period: 2024 },
    { cycleId: 'iid-2024-ulang', index: 'iid', period: 2024 },
  ];
  it('takes the highest earlier period of the same index (case-insensitive), never itself', () => {
    expect(previousCycleOf({ cycleId: 'iid-2025', index: 'IID', period: 2025 }, cycles)?.cycleId).toBe(
      'iid-2024-ulang',
    );
    expect(previousCycleOf({ cycleId: 'iid-2024', index: 'IID', period: 2024 }, cycles)?.cycleId).toBe(
      'iid-2023',
    );
    expect(previousCycleOf({ cycleId: 'iid-2023', index: 'IID', period: 2023 }, cycles)).toBeUndefined();
    expect(previousCycleOf({ cycleId: 'ikkd-2025', index: 'IKKD', period: 2025 }, cycles)?.cycleId).toBe(
      'ikkd-2024',
    );
  });
});

describe('statistics', () => {
  it('matches hand-computed values (PERCENTILE.INC quartiles, population sd)', () => {
    const s = describeValues([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s).toMatchObject({ count: 8, mean: 4.5, median: 4.5, min: 1, max: 8, p25: 2.75, p75: 6.25 });
    expect(s?.sd).toBeCloseTo(Math.sqrt(5.25), 12);
    expect(describeValues([42])).toMatchObject({ count: 1, mean: 42, median: 42, sd: 0, p25: 42, p75: 42 });
    expect(describeValues([])).toBeNull();
    expect(describeValues([Number.NaN, 1, Number.POSITIVE_INFINITY])?.count).toBe(1);
  });

  it('counts predikat in band order, unknown labels after, zeros kept', () => {
    expect(distribution(['A', 'B', 'C'], ['B', 'B', 'X', undefined, 'A'])).toEqual([
      { predikat: 'A', count: 1 },
      { predikat: 'B', count: 2 },
      { predikat: 'C', count: 0 },
      { predikat: 'X', count: 1 },
      { predikat: '-', count: 1 },
    ]);
  });
});

describe('search', () => {
  it('matches every word in the name or the code, ignoring case, accents and dots after words', () => {
    expect(normaliseSearch('  Kab.   Lampung  SELATAN ')).toBe('kab. lampung selatan');
    expect(matchesSearch('lampung sel', '18.01', 'Kabupaten Lampung Selatan')).toBe(true);
    expect(matchesSearch('kab. lampung', '18.01', 'Kabupaten Lampung Selatan')).toBe(true);
    expect(matchesSearch('18.01', '18.01', 'Kabupaten Lampung Selatan')).toBe(true);
    expect(matchesSearch('kota lampung', '18.01', 'Kabupaten Lampung Selatan')).toBe(false);
    expect(matchesSearch('bénér', '11.17', 'Kabupaten Bener Meriah')).toBe(true);
    expect(matchesSearch('   ', '11.17', 'Kabupaten Bener Meriah')).toBe(true);
  });
});
