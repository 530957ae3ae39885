import { GENESIS_HASH, hashEntry, type LedgerEntry, type LedgerHead, ledgerEntrySchema } from './entry';

/** Why a chain is broken, at the first entry that breaks it. */
export type ChainBreakReason =
  | 'malformed' // not a ledger entry (a missing field, a wrong type, not JSON)
  | 'altered' // its content no longer matches its own hash
  | 'broken-link' // its hash matches, but the next entry (or the genesis / published head) was chained to another hash
  | 'missing' // a seq is absent (an entry deleted)
  | 'reordered' // entries out of seq order
  | 'duplicate' // the same seq twice
  | 'foreign'; // an entry of another cycle

export type ChainVerdict =
  | { intact: true; count: number; head: LedgerHead }
  | { intact: false; seq: number; reason: ChainBreakReason; message_id: string; message_en: string };

export interface VerifyOptions {
  /** A head published elsewhere (a run's `ledgerHead`): the chain must contain it unchanged. */
  expectedHead?: LedgerHead;
}

/**
 * Recomputes the chain in the given order and names the first broken seq and why. Checks, per
 * entry: it parses; its hash matches its content; its seq follows the previous one; it belongs
 * to the same cycle; its prevHash is the previous entry's hash. A changed entry whose hash was
 * recomputed is caught by the next entry's prevHash and named at the changed seq.
 */
export function verifyChain(input: readonly unknown[], options: VerifyOptions = {}): ChainVerdict {
  const entries: LedgerEntry[] = [];
  for (const [index, raw] of input.entries()) {
    const parsed = ledgerEntrySchema.safeParse(raw);
    const previous = entries[index - 1];
    const expected = previous ? previous.seq + 1 : 1;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'entry';
      return broken(seqOf(raw) ?? expected, 'malformed', `tidak sah (${where})`, `is malformed (${where})`);
    }
    const entry = parsed.data;
    if (hashEntry(entry) !== entry.hash) {
      return broken(
        expected,
        'altered',
        'isinya tidak cocok dengan hash-nya: entri ini diubah',
        'its content does not match its hash: the entry was altered',
      );
    }
    if (previous && entry.seq === previous.seq) {
      return broken(entry.seq, 'duplicate', 'muncul dua kali', 'appears twice');
    }
    if (entry.seq < expected) {
      return broken(
        entry.seq,
        'reordered',
        `muncul setelah entri ${previous?.seq}: urutan diubah`,
        `comes after entry ${previous?.seq}: entries were reordered`,
      );
    }
    if (entry.seq > expected) {
      const later = input.slice(index + 1).some((e) => seqOf(e) === expected);
      return later
        ? broken(
            expected,
            'reordered',
            `muncul setelah entri ${entry.seq}: urutan diubah`,
            `comes after entry ${entry.seq}: entries were reordered`,
          )
        : broken(
            expected,
            'missing',
            `hilang (entri ${entry.seq} langsung menyusul ${expected - 1 || 'awal'})`,
            `is missing (entry ${entry.seq} follows ${expected - 1 || 'the start'})`,
          );
    }
    const first = entries[0];
    if (first && entry.cycleId !== first.cycleId) {
      return broken(
        entry.seq,
        'foreign',
        `milik siklus lain (${entry.cycleId}, bukan ${first.cycleId})`,
        `belongs to another cycle (${entry.cycleId}, not ${first.cycleId})`,
      );
    }
    if (!previous && entry.prevHash !== GENESIS_HASH) {
      return broken(
        1,
        'broken-link',
        'tidak berantai ke hash awal (0×64)',
        'is not chained to the genesis hash (0×64)',
      );
    }
    if (previous && entry.prevHash !== previous.hash) {
      // Either the previous entry was changed and rehashed, or this entry's prevHash was changed
      // and this entry rehashed: then its successor no longer links to it either.
      const next = input[index + 1];
      const nextPrev =
        next !== null && typeof next === 'object' ? (next as { prevHash?: unknown }).prevHash : undefined;
      if (nextPrev !== undefined && nextPrev !== entry.hash)
        return broken(
          entry.seq,
          'broken-link',
          'tidak berantai ke entri sebelumnya dan hash-nya dihitung ulang: entri ini diubah',
          'is not chained to the previous entry and its hash was recomputed: the entry was altered',
        );
      return broken(
        previous.seq,
        'broken-link',
        `berbeda dari yang dirantai entri ${entry.seq}: entri ini diubah dan hash-nya dihitung ulang`,
        `differs from what entry ${entry.seq} was chained to: the entry was altered and its hash recomputed`,
      );
    }
    entries.push(entry);
  }
  const last = entries.at(-1);
  const head = last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  const published = options.expectedHead;
  if (published) {
    const atPublished = entries[published.seq - 1];
    if (!atPublished)
      return broken(
        published.seq,
        'missing',
        'yang diterbitkan sebagai kepala hilang',
        'published as the head is missing',
      );
    if (atPublished.hash !== published.hash)
      return broken(
        published.seq,
        'broken-link',
        'berbeda dari kepala yang diterbitkan: entri ini diubah dan hash-nya dihitung ulang',
        'differs from the published head: the entry was altered and its hash recomputed',
      );
  }
  return { intact: true, count: entries.length, head };
}

function broken(seq: number, reason: ChainBreakReason, id: string, en: string): ChainVerdict {
  return { intact: false, seq, reason, message_id: `Entri ${seq} ${id}.`, message_en: `Entry ${seq} ${en}.` };
}

function seqOf(raw: unknown): number | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const seq = (raw as { seq?: unknown }).seq;
  return typeof seq === 'number' && Number.isInteger(seq) ? seq : undefined;
}

/** A verdict as one line (what `indeks ledger verify` prints). */
export function describeVerdict(verdict: ChainVerdict): string {
  return verdict.intact
    ? `ledger intact: ${verdict.count} entries, head ${verdict.head.hash}`
    : `ledger broken at entry ${verdict.seq} (${verdict.reason}): ${verdict.message_id} / ${verdict.message_en}`;
}
