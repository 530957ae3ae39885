const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Makes a text cell inert for spreadsheet programs (CSV/formula injection, OWASP): a value starting
 * with = + - @ tab or CR gets a leading apostrophe, so "=cmd|' /C calc'!A0" shows as text instead
 * of running. Use it on every text cell of every CSV or XLSX export. Numbers pass through: write
 * numeric cells as numbers, never as text, so "-5" stays a number.
 */
export function neutraliseCell(value: string): string;
export function neutraliseCell<T>(value: T): T;
export function neutraliseCell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const first = value.charAt(0);
  return TRIGGERS.has(first) ? `'${value}` : value;
}

/**
 * Intake's view of the same danger: text an operator's spreadsheet would run as a formula or DDE
 * call. Plain negative numbers and "- item" bullets are not flagged.
 */
export function looksLikeFormula(text: string): boolean {
  const first = text.charAt(0);
  if (first === '=' || first === '@') return true;
  if (first === '+' || first === '-') return /[(!|]/.test(text);
  return false;
}
