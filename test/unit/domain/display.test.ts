import { describe, expect, it } from 'vitest';
import { formatDecimal, roundDecimal } from '#domain/engine/display';

describe('displayed values', () => {
  it('rounds half up on the decimal representation, unlike binary toFixed', () => {
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(formatDecimal(1.005, 2)).toBe('1.01');
    expect(formatDecimal(47.045, 2)).toBe('47.05');
    expect(formatDecimal(47.0449999, 2)).toBe('47.04');
    expect(formatDecimal(60.005, 2)).toBe('60.01');
    expect(formatDecimal(12.34565, 4)).toBe('12.3457');
    expect(formatDecimal(0, 2)).toBe('0.00');
    expect(formatDecimal(100, 2)).toBe('100.00');
  });
  it('handles very small and non-finite values', () => {
    expect(roundDecimal(1e-9, 2)).toBe(0);
    expect(roundDecimal(Number.NaN, 2)).toBe(0);
    expect(formatDecimal(3.352, 2)).toBe('3.35');
  });
});
