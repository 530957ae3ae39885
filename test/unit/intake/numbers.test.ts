import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '#intake/index';

describe('parseDecimal', () => {
  it.each([
    ['5,23', 'auto', 5.23, false],
    ['5.23', 'auto', 5.23, false],
    ['-0,5', 'auto', -0.5, false],
    ['\u22125,1', 'auto', -5.1, false],
    ['1.234.567', 'auto', 1234567, false],
    ['1.234.567,89', 'auto', 1234567.89, false],
    ['1,234,567.89', 'auto', 1234567.89, false],
    [' 12 %', 'auto', 12, false],
    ['1 234,5', 'auto', 1234.5, false],
    ['1.234', 'auto', 1.234, true],
    ['1.234', ',', 1234, false],
    ['1,234', ',', 1.234, false],
    ['0,125', ',', 0.125, false],
    [',5', 'auto', 0.5, false],
    ['+3', 'auto', 3, false],
  ] as const)('%s (%s) → %d', (text, decimal, value, ambiguous) => {
    expect(parseDecimal(text, decimal)).toEqual({ value, ambiguous });
  });

  it.each(['', 'abc', '5,2,3,', '1.23.4', '12a', '--1', '1,234.5,6', '=1+1', '5e3', 'NaN', '.'])(
    'rejects %j',
    (text) => {
      expect(parseDecimal(text)).toBeUndefined();
    },
  );

  test.prop([fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true })])(
    'reads back what Indonesian Excel writes (decimal comma)',
    (value) => {
      const rounded = Math.round(value * 100) / 100 + 0;
      const written = String(rounded).replace('.', ',');
      expect(parseDecimal(written, ',')?.value).toBe(rounded);
    },
  );
});
