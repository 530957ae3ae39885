/**
 * Numbers as Indonesian operators type them: decimal comma (`5,23`), dot thousands (`1.234.567`),
 * a trailing `%`, a Unicode minus. English notation (`5.23`, `1,234.5`) is read too.
 */
export interface ParsedNumber {
  value: number;
  /** `1.234` or `1,234`: one separator before exactly three digits reads either way. */
  ambiguous: boolean;
}

const PLAIN = /^\d+$/;
const GROUPED = (sep: string) => new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`);

export function parseDecimal(input: string, decimal: ',' | '.' | 'auto' = 'auto'): ParsedNumber | undefined {
  let text = input.replace(/[\s\u00a0\u202f]/g, '').replace(/\u2212/g, '-');
  if (text.endsWith('%')) text = text.slice(0, -1);
  let sign = 1;
  if (text.startsWith('-')) {
    sign = -1;
    text = text.slice(1);
  } else if (text.startsWith('+')) text = text.slice(1);
  if (!/^[\d.,]+$/.test(text) || !/\d/.test(text)) return undefined;

  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  let intPart: string;
  let fracPart = '';
  let ambiguous = false;
  if (lastComma >= 0 && lastDot >= 0) {
    const dec = lastComma > lastDot ? ',' : '.';
    const thousands = dec === ',' ? '.' : ',';
    const cut = Math.max(lastComma, lastDot);
    intPart = text.slice(0, cut);
    fracPart = text.slice(cut + 1);
    if (intPart.includes(dec) || !GROUPED(thousands).test(intPart)) return undefined;
    intPart = intPart.split(thousands).join('');
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const parts = text.split(sep);
    if (parts.length > 2) {
      if (!GROUPED(sep).test(text)) return undefined;
      intPart = parts.join('');
    } else {
      const [head = '', tail = ''] = parts;
      const looksGrouped = tail.length === 3 && head.length >= 1 && head.length <= 3 && head !== '0';
      const asThousands = looksGrouped && decimal !== 'auto' && sep !== decimal;
      ambiguous = looksGrouped && decimal === 'auto';
      if (asThousands) intPart = head + tail;
      else {
        intPart = head || '0';
        fracPart = tail;
      }
    }
  } else intPart = text;
  if (!PLAIN.test(intPart) || (fracPart !== '' && !PLAIN.test(fracPart))) return undefined;
  const value = sign * Number(fracPart ? `${intPart}.${fracPart}` : intPart);
  return Number.isFinite(value) ? { value, ambiguous } : undefined;
}

/** Rounds away binary noise such as 0.0523 * 100 = 5.2299999999999995. */
export const tidy = (value: number): number => Number.parseFloat(value.toPrecision(12));
