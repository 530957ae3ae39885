import { describe, expect, it } from 'vitest';
import { looksLikeFormula, neutraliseCell } from '#intake/index';

describe('neutraliseCell', () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['Inovasi =baik', 'Inovasi =baik'],
    ['', ''],
  ])('%j → %j', (input, output) => {
    expect(neutraliseCell(input)).toBe(output);
  });

  it('leaves numbers and other values alone', () => {
    expect(neutraliseCell(-5)).toBe(-5);
    expect(neutraliseCell(null)).toBeNull();
  });
});

describe('looksLikeFormula', () => {
  it('flags formulas and DDE payloads but not bullets or negative numbers', () => {
    expect(looksLikeFormula('=HYPERLINK("http://x")')).toBe(true);
    expect(looksLikeFormula("+cmd|' /C calc'!A0")).toBe(true);
    expect(looksLikeFormula('@SUM(1)')).toBe(true);
    expect(looksLikeFormula('- layanan keliling')).toBe(false);
    expect(looksLikeFormula('-5,2')).toBe(false);
  });
});
