/**
 * Exact rational arithmetic for the published value: numerator and denominator as BigInt, the
 * denominator always positive. A national run makes a handful of these per region (the leaves are
 * summed as exact integers first), so BigInt costs nothing measurable.
 */
export interface Rational {
  num: bigint;
  den: bigint;
}

export const ZERO: Rational = { num: 0n, den: 1n };

const abs = (v: bigint): bigint => (v < 0n ? -v : v);

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError('rational with a zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/**
 * The exact value of a number's shortest decimal text (what the methodology file or the submission
 * wrote): 0.38 is 38/100, not the binary double nearest to it.
 */
export function decimal(value: number): Rational {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER)
    return { num: BigInt(value), den: 1n };
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = BigInt(`${whole}${fraction}`) * (negative ? -1n : 1n);
  const exponent = Number(exponentText) - fraction.length;
  return exponent >= 0
    ? rational(digits * 10n ** BigInt(exponent))
    : rational(digits, 10n ** BigInt(-exponent));
}

// The operations leave the fraction unreduced (a region makes a handful of them; `reduce` once at
// the end keeps the numbers small without a gcd per step).
export const add = (a: Rational, b: Rational): Rational =>
  a.den === b.den
    ? { num: a.num + b.num, den: a.den }
    : { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
export const sub = (a: Rational, b: Rational): Rational => add(a, { num: -b.num, den: b.den });
export const mul = (a: Rational, b: Rational): Rational => ({ num: a.num * b.num, den: a.den * b.den });
export const div = (a: Rational, b: Rational): Rational => rational(a.num * b.den, a.den * b.num);
export const reduce = (r: Rational): Rational => rational(r.num, r.den);
export const compare = (a: Rational, b: Rational): number => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
export const clamp = (v: Rational, lo: Rational, hi: Rational): Rational =>
  compare(v, lo) < 0 ? lo : compare(v, hi) > 0 ? hi : v;

/** The nearest double to the exact value (exact numerator and denominator up to 2^53 divide correctly). */
export function toNumber(r: Rational): number {
  const limit = 2n ** 53n;
  if (abs(r.num) <= limit && r.den <= limit) return Number(r.num) / Number(r.den);
  // Keep 60 significant bits of the quotient, then one rounding in the division.
  const shift = 60n;
  const scaled = (r.num << shift) / r.den;
  return Number(scaled) / 2 ** Number(shift);
}

/**
 * Half away from zero at `decimals` places, on the exact value: 60.005 → 60.01 however the double
 * nearest to it happens to fall. Returns the text the results publish, e.g. "60.01".
 */
export function formatRational(r: Rational, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const n = abs(r.num) * scale * 2n + r.den;
  const q = n / (2n * r.den);
  const negative = r.num < 0n && q !== 0n;
  const text = q.toString().padStart(decimals + 1, '0');
  const whole = text.slice(0, text.length - decimals);
  const fraction = text.slice(text.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}
