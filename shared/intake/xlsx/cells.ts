import type ExcelJS from 'exceljs';
import type { RawValue } from '../table';

type Value = ExcelJS.CellValue;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * An exceljs cell value as a RawValue. Formula cells become their formula text: the cached result
 * is whatever the last program to save the file wrote, so it is never trusted nor evaluated.
 */
export function toRaw(value: Value, numFmt: string | undefined): RawValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() ? { kind: 'text', text: value.trim() } : undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? { kind: 'number', value, percent: isPercentFormat(numFmt) } : undefined;
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (value instanceof Date) return { kind: 'date', value };
  if (!isRecord(value)) return undefined;
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = String(value.formula ?? value.sharedFormula ?? '');
    return { kind: 'formula', text: formula.startsWith('=') ? formula : `=${formula}` };
  }
  if ('error' in value) return { kind: 'error', text: String(value.error) };
  if ('richText' in value && Array.isArray(value.richText)) return textOf(richText(value.richText));
  if ('text' in value) {
    const text = value.text;
    if (typeof text === 'string') return textOf(text);
    if (isRecord(text) && Array.isArray(text.richText)) return textOf(richText(text.richText));
  }
  return undefined;
}

const richText = (runs: unknown[]): string =>
  runs.map((run) => (isRecord(run) && typeof run.text === 'string' ? run.text : '')).join('');

const textOf = (text: string): RawValue | undefined =>
  text.trim() ? { kind: 'text', text: text.trim() } : undefined;

/** "0.00%" shows 5.23% but stores 0.0523; the operator meant 5.23. Quoted literals do not count. */
const isPercentFormat = (numFmt: string | undefined): boolean =>
  !!numFmt && numFmt.replace(/"[^"]*"/g, '').includes('%');
