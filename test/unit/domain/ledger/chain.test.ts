import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalEntry,
  chainEntry,
  EMPTY_HEAD,
  GENESIS_HASH,
  type LedgerDraft,
  type LedgerEntry,
  parseJsonl,
  SYSTEM_ACTOR,
  toJsonl,
  verifyChain,
} from '#domain/ledger/index';

const draft = (i: number): LedgerDraft => ({
  action: i % 2 ? 'upload.accepted' : 'decision.recorded',
  actor: i % 3 ? { sub: `user-${i}`, role: 'operator' } : SYSTEM_ACTOR,
  at: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(),
  subject: { region: '18.01', answer: `q${i}` },
  ...(i % 2 ? { after: { level: i, note: 'ü' } } : { before: [1, 2.5, null], reason: 'alasan' }),
});

function build(n: number, cycleId = 'ikkd-2026'): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  let head = EMPTY_HEAD;
  for (let i = 1; i <= n; i++) {
    const entry = chainEntry(cycleId, head, draft(i));
    out.push(entry);
    head = { seq: entry.seq, hash: entry.hash };
  }
  return out;
}

const rehash = (e: Omit<LedgerEntry, 'hash'>): LedgerEntry => ({
  ...e,
  hash: createHash('sha256').update(canonicalEntry(e)).digest('hex'),
});

describe('ledger chain', () => {
  it('hashes the canonical JSON of the entry without its hash, chained from 0×64', () => {
    const [first] = build(1);
    if (!first) throw new Error('no entry');
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(canonicalEntry(first)).toBe(
      '{"action":"upload.accepted","actor":{"role":"operator","sub":"user-1"},"after":{"level":1,"note":"ü"},' +
        '"at":"2026-03-01T00:01:00.000Z","cycleId":"ikkd-2026","prevHash":"' +
        GENESIS_HASH +
        '","seq":1,"subject":{"answer":"q1","region":"18.01"}}',
    );
    expect(first.hash).toBe(createHash('sha256').update(canonicalEntry(first), 'utf8').digest('hex'));
  });

  it('says intact with the count and head hash, and round-trips through JSON Lines', () => {
    const entries = build(5);
    const verdict = verifyChain(parseJsonl(toJsonl(entries)));
    expect(verdict).toEqual({ intact: true, count: 5, head: { seq: 5, hash: entries[4]?.hash } });
    expect(verifyChain([])).toEqual({ intact: true, count: 0, head: EMPTY_HEAD });
  });

  it('names a deleted entry, a swap, a duplicate, a foreign entry, a bad genesis', () => {
    const e = build(6);
    const without3 = e.filter((x) => x.seq !== 3);
    expect(verifyChain(without3)).toMatchObject({ intact: false, seq: 3, reason: 'missing' });
    expect(verifyChain(e.slice(1))).toMatchObject({ intact: false, seq: 1, reason: 'missing' });
    const swapped = [e[0], e[1], e[3], e[2], e[4], e[5]];
    expect(verifyChain(swapped)).toMatchObject({ intact: false, seq: 3, reason: 'reordered' });
    const dup = [e[0], e[1], e[1], e[2]];
    expect(verifyChain(dup)).toMatchObject({ intact: false, seq: 2, reason: 'duplicate' });
    const other = build(3, 'iid-2026');
    expect(verifyChain([e[0], other[1]])).toMatchObject({ intact: false, seq: 2, reason: 'foreign' });
    const first = e[0];
    if (!first) throw new Error('no entry');
    const { hash: _h, ...body } = first;
    expect(verifyChain([rehash({ ...body, prevHash: 'a'.repeat(64) })])).toMatchObject({
      seq: 1,
      reason: 'broken-link',
    });
    expect(verifyChain([e[0], { not: 'an entry' }])).toMatchObject({ seq: 2, reason: 'malformed' });
  });

  it('a recomputed hash on the last entry is only caught against the published head', () => {
    const e = build(4);
    const last = e[3];
    if (!last) throw new Error('no entry');
    const { hash: _h, ...body } = last;
    const forged = [...e.slice(0, 3), rehash({ ...body, reason: 'forged' })];
    expect(verifyChain(forged).intact).toBe(true);
    expect(verifyChain(forged, { expectedHead: { seq: 4, hash: last.hash } })).toMatchObject({
      seq: 4,
      reason: 'broken-link',
    });
    expect(verifyChain(e.slice(0, 3), { expectedHead: { seq: 4, hash: last.hash } })).toMatchObject({
      seq: 4,
      reason: 'missing',
    });
  });
});

const alteration = fc.constantFrom(
  (x: LedgerEntry): LedgerEntry => ({
    ...x,
    action: 'run.published' === x.action ? 'run.final' : 'run.published',
  }),
  (x: LedgerEntry): LedgerEntry => ({ ...x, at: '2030-01-01T00:00:00.000Z' }),
  (x: LedgerEntry): LedgerEntry => ({ ...x, actor: { ...x.actor, sub: `${x.actor.sub}x` } }),
  (x: LedgerEntry): LedgerEntry => ({ ...x, subject: { ...x.subject, region: '19.01' } }),
  (x: LedgerEntry): LedgerEntry => ({ ...x, after: { level: 99 } }),
  (x: LedgerEntry): LedgerEntry => ({ ...x, reason: 'another reason' }),
  (x: LedgerEntry): LedgerEntry => ({ ...x, seq: x.seq + 10 }),
  (x: LedgerEntry): LedgerEntry => ({ ...x, prevHash: 'f'.repeat(64) }),
  (x: LedgerEntry): LedgerEntry => ({ ...x, hash: 'e'.repeat(64) }),
);

describe('ledger chain properties', () => {
  it('altering any one entry is reported at exactly that seq (hash kept: altered; recomputed: broken link)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.nat(), alteration, (n, pick, alter) => {
        const entries = build(n);
        const k = (pick % (n - 1)) + 1; // 1..n-1: an entry with a successor
        const target = entries[k - 1];
        if (!target) throw new Error('no entry');
        const altered = alter(target);
        const kept = entries.map((x) => (x.seq === k ? altered : x));
        expect(verifyChain(kept)).toMatchObject({ intact: false, seq: k });
        const { hash: _h, ...body } = altered;
        if (rehash(body).hash === target.hash) return; // only the hash was changed: recomputing restores it
        const recomputed = entries.map((x) => (x.seq === k ? rehash(body) : x));
        const verdict = verifyChain(recomputed);
        expect(verdict.intact).toBe(false);
        if (!verdict.intact) expect(verdict.seq).toBe(k);
      }),
    );
  });

  it('deleting one entry or swapping two adjacent ones is caught', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.nat(), (n, pick) => {
        const entries = build(n);
        const k = (pick % (n - 1)) + 1;
        expect(verifyChain(entries.filter((x) => x.seq !== k))).toMatchObject({
          intact: false,
          seq: k,
          reason: 'missing',
        });
        const swapped = [...entries];
        const [a, b] = [swapped[k - 1], swapped[k]];
        if (!a || !b) throw new Error('no entry');
        swapped[k - 1] = b;
        swapped[k] = a;
        expect(verifyChain(swapped)).toMatchObject({ intact: false, seq: k, reason: 'reordered' });
      }),
    );
  });
});
