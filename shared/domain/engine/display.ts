/**
 * Rounds half away from zero on the decimal representation, so 47.045 shows as 47.05 (as a
 * person rounding the printed number would), not 47.04 as binary `toFixed` can.
 */
export function roundDecimal(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return 0;
  const sign = value < 0 ? -1 : 1;
  // Shift the decimal point on the shortest text form, so no binary noise enters the rounding.
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e');
  const shifted = Number(`${mantissa}e${Number(exponent) + decimals}`);
  return sign * Number(`${Math.round(shifted)}e-${decimals}`);
}

export const formatDecimal = (value: number, decimals: number): string =>
  roundDecimal(value, decimals).toFixed(decimals);
