import { canonicalJson } from '../methodology/canonical-json';
import type { LedgerEntry } from './entry';

/** The export format: JSON Lines, one entry per line in seq order, each line the entry's canonical JSON (hash included). */
export function toJsonl(entries: readonly LedgerEntry[]): string {
  return entries.map((entry) => `${canonicalJson(entry)}\n`).join('');
}

/**
 * Reads JSON Lines leniently enough to verify: a line that is not JSON becomes a value that
 * `verifyChain` reports as malformed at its position instead of failing the whole read.
 */
export function parseJsonl(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return { unparsable: line.slice(0, 80) };
      }
    });
}
