import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerKeys } from '#adapters/dynamo/keys';
import { LedgerRepository } from '#adapters/dynamo/ledger';
import {
  canonicalEntry,
  GENESIS_HASH,
  type LedgerDraft,
  SYSTEM_ACTOR,
  verifyChain,
} from '#domain/ledger/index';
import { startTestTable, type TestTable } from './dynalite-table';

let t: TestTable;
beforeAll(async () => {
  t = await startTestTable();
});
afterAll(async () => {
  await t.close();
});

const draft = (i: number, key?: string): LedgerDraft => ({
  action: 'upload.accepted',
  actor: SYSTEM_ACTOR,
  at: '2026-03-01T10:00:00+07:00',
  subject: { region: '18.01', key: `submissions/c/18.01/data-${i}/f.xlsx` },
  after: { versionId: `v${i}`, sha256: 'ab'.repeat(32) },
  ...(key ? { idempotencyKey: key } : {}),
});

describe('LedgerRepository (dynalite)', () => {
  it('appends seq 1, 2, 3 chained from the genesis hash; head and list agree', async () => {
    const ledger = new LedgerRepository({ doc: t.doc, tableName: t.tableName });
    expect(await ledger.head('c-seq')).toEqual({ seq: 0, hash: GENESIS_HASH });
    const a = await ledger.append('c-seq', draft(1));
    const b = await ledger.append('c-seq', draft(2));
    const c = await ledger.append('c-seq', draft(3));
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.prevHash).toBe(a.hash);
    expect(a.at).toBe('2026-03-01T03:00:00.000Z');
    expect(await ledger.head('c-seq')).toEqual({ seq: 3, hash: c.hash });
    expect(await ledger.list('c-seq')).toEqual([a, b, c]);
    expect(await ledger.list('c-seq', { upToSeq: 2 })).toEqual([a, b]);
    expect(await ledger.list('another')).toEqual([]);
  });

  it('concurrent appends get distinct seqs without gaps and the chain verifies', async () => {
    const ledger = new LedgerRepository({ doc: t.doc, tableName: t.tableName });
    const written = await Promise.all(
      Array.from({ length: 25 }, (_, i) => ledger.append('c-race', draft(i))),
    );
    expect(written.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    const all = await ledger.list('c-race');
    expect(verifyChain(all)).toMatchObject({ intact: true, count: 25 });
  });

  it('a replayed draft (same idempotency key) returns the existing entry, also when replays race', async () => {
    const ledger = new LedgerRepository({ doc: t.doc, tableName: t.tableName });
    const first = await ledger.append('c-idem', draft(1, 'upload:k1:v1'));
    expect(await ledger.append('c-idem', draft(1, 'upload:k1:v1'))).toEqual(first);
    const racing = await Promise.all([
      ledger.append('c-idem', draft(2, 'upload:k2:v1')),
      ledger.append('c-idem', draft(2, 'upload:k2:v1')),
      ledger.append('c-idem', draft(3, 'upload:k3:v1')),
      ledger.append('c-idem', draft(2, 'upload:k2:v1')),
    ]);
    expect(racing[0]).toEqual(racing[1]);
    expect(racing[0]).toEqual(racing[3]);
    const all = await ledger.list('c-idem');
    expect(all.map((e) => e.subject.key)).toHaveLength(3);
    expect(verifyChain(all)).toMatchObject({ intact: true, count: 3 });
  });

  it('takes over the claim of a writer that died before writing its entry (after the lease)', async () => {
    const ledger = new LedgerRepository({ doc: t.doc, tableName: t.tableName }, { leaseMs: 50 });
    await ledger.append('c-dead', draft(1));
    const { createHash } = await import('node:crypto');
    const keyHash = createHash('sha256').update('decision:d1').digest('hex');
    // A claim for seq 2 whose writer never wrote seq 2.
    await t.doc.send(
      new PutCommand({
        TableName: t.tableName,
        Item: {
          ...ledgerKeys.claim('c-dead', keyHash),
          idempotencyKey: 'decision:d1',
          seq: 2,
          token: 'dead',
          claimedAtMs: 0,
        },
      }),
    );
    const entry = await ledger.append('c-dead', draft(2, 'decision:d1'));
    expect(entry.seq).toBe(2);
    expect(await ledger.append('c-dead', draft(2, 'decision:d1'))).toEqual(entry);
    expect(verifyChain(await ledger.list('c-dead'))).toMatchObject({ intact: true, count: 2 });
  });

  it('never overwrites: the stored canonical JSON of an entry stays what was appended', async () => {
    const ledger = new LedgerRepository({ doc: t.doc, tableName: t.tableName });
    const e = await ledger.append('c-keep', draft(1));
    await expect(
      t.doc.send(
        new PutCommand({
          TableName: t.tableName,
          Item: { ...ledgerKeys.entry('c-keep', 1), json: '{}' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toThrow(/conditional/i);
    const stored = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: ledgerKeys.entry('c-keep', 1) }),
    );
    expect(JSON.parse(String(stored.Item?.json))).toEqual(e);
    expect(canonicalEntry(e)).not.toContain('"hash"');
  });
});
