import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '#domain/errors';
import {
  chainEntry,
  EMPTY_HEAD,
  type LedgerDraft,
  type LedgerEntry,
  type LedgerHead,
} from '#domain/ledger/index';
import { canonicalJson } from '#domain/methodology/canonical-json';
import { isConditionalCheckFailed } from './client';
import { putIfAbsent } from './guarded';
import { ledgerKeys } from './keys';
import type { TableContext } from './records';

/** What a handler needs of the ledger (its `ledger` port). */
export interface LedgerPort {
  append(cycleId: string, draft: LedgerDraft): Promise<LedgerEntry>;
}

export interface LedgerOptions {
  /** How long a claim of an idempotency key is its writer's before another may take it over (real time). */
  leaseMs?: number;
  /** Appends give up (TransientError, retried by the caller) after this many lost races. */
  maxAttempts?: number;
}

interface Claim {
  seq: number;
  token: string;
  claimedAtMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A cycle's append-only ledger in the table (infra/README.md, docs/architecture.md "Ledger").
 *
 * - No gap, no overwrite: entry seq n+1 is put with `attribute_not_exists(pk)`; a writer that
 *   loses the race re-reads the head and chains its draft to the new head.
 * - Once per event (no transactions in dynalite, so without TransactWriteItems): a draft with an
 *   `idempotencyKey` first claims the key for the seq it is about to write (`KEY#<sha256>`),
 *   then writes the entry. A replay finds the claim, reads the entry at the claimed seq and
 *   returns it when it carries the key. A claim whose entry never appeared (the writer died)
 *   is taken over after the lease; while the lease runs a replay waits for the writer.
 */
export class LedgerRepository implements LedgerPort {
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly ctx: TableContext,
    options: LedgerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 200;
  }

  async append(cycleId: string, draft: LedgerDraft): Promise<LedgerEntry> {
    const token = randomUUID();
    const keyHash = draft.idempotencyKey
      ? createHash('sha256').update(draft.idempotencyKey).digest('hex')
      : undefined;
    let owned = false;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (attempt > 0) await sleep(Math.random() * Math.min(250, 5 * 2 ** Math.min(attempt, 6)));
      const head = await this.head(cycleId);
      const seq = head.seq + 1;
      if (keyHash && draft.idempotencyKey) {
        const claimed = await this.claim(cycleId, keyHash, draft.idempotencyKey, seq, token, owned);
        if (claimed.kind === 'replay') return claimed.entry;
        if (claimed.kind === 'wait') continue;
        owned = true;
      }
      const entry = chainEntry(cycleId, head, draft);
      if (await this.put(entry, draft.idempotencyKey)) return entry;
      // Lost the race for this seq: chain to the new head.
    }
    throw new TransientError(`ledger ${cycleId}: no free seq after ${this.maxAttempts} attempts`);
  }

  /** The conditional put of one entry: false when its seq is taken (a lost race). */
  private async put(entry: LedgerEntry, idempotencyKey?: string): Promise<boolean> {
    return putIfAbsent(this.ctx, {
      ...ledgerKeys.entry(entry.cycleId, entry.seq),
      entity: 'LEDGER_ENTRY',
      seq: entry.seq,
      hash: entry.hash,
      json: canonicalJson(entry),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
  }

  /**
   * Claims the idempotency key for `seq` (or moves the own claim to it). Another writer's claim
   * means: its entry is there (replay), it may still come (wait), or its writer died (take over).
   */
  private async claim(
    cycleId: string,
    keyHash: string,
    idempotencyKey: string,
    seq: number,
    token: string,
    owned: boolean,
  ): Promise<{ kind: 'owned' } | { kind: 'wait' } | { kind: 'replay'; entry: LedgerEntry }> {
    const put = async (condition: string, values: Record<string, unknown>) => {
      try {
        await this.ctx.doc.send(
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: {
              ...ledgerKeys.claim(cycleId, keyHash),
              entity: 'LEDGER_CLAIM',
              idempotencyKey,
              seq,
              token,
              claimedAtMs: Date.now(),
            },
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#token': 'token' },
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    };
    if (await put('attribute_not_exists(pk) OR #token = :mine', { ':mine': token })) return { kind: 'owned' };
    const existing = await this.getClaim(cycleId, keyHash);
    if (!existing) return { kind: 'wait' };
    const atClaim = await this.get(cycleId, existing.seq);
    if (atClaim && atClaim.idempotencyKey === idempotencyKey) return { kind: 'replay', entry: atClaim.entry };
    if (owned || Date.now() - existing.claimedAtMs < this.leaseMs) return { kind: 'wait' };
    // The claimant died before writing its entry: take the claim over (only from that claimant).
    return (await put('#token = :theirs', { ':theirs': existing.token }))
      ? { kind: 'owned' }
      : { kind: 'wait' };
  }

  private async getClaim(cycleId: string, keyHash: string): Promise<Claim | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({
        TableName: this.ctx.tableName,
        Key: ledgerKeys.claim(cycleId, keyHash),
        ConsistentRead: true,
      }),
    );
    return out.Item ? (out.Item as unknown as Claim) : undefined;
  }

  private async get(
    cycleId: string,
    seq: number,
  ): Promise<{ entry: LedgerEntry; idempotencyKey?: string } | undefined> {
    const out = await this.ctx.doc.send(
      new GetCommand({
        TableName: this.ctx.tableName,
        Key: ledgerKeys.entry(cycleId, seq),
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    const key = out.Item.idempotencyKey;
    return { entry: parseStored(out.Item), ...(typeof key === 'string' ? { idempotencyKey: key } : {}) };
  }

  /** The last entry's seq and hash (seq 0 and the genesis hash for an empty ledger). */
  async head(cycleId: string): Promise<LedgerHead> {
    const out = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :seq)',
        ExpressionAttributeValues: { ':pk': ledgerKeys.partition(cycleId), ':seq': 'SEQ#' },
        ProjectionExpression: 'seq, #hash',
        ExpressionAttributeNames: { '#hash': 'hash' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? { seq: Number(item.seq), hash: String(item.hash) } : EMPTY_HEAD;
  }

  /** Every entry in seq order (up to `upToSeq` when given): exactly as stored, for `verifyChain`. */
  async list(cycleId: string, options: { upToSeq?: number } = {}): Promise<LedgerEntry[]> {
    const entries: LedgerEntry[] = [];
    let start: Record<string, unknown> | undefined;
    const upper = ledgerKeys.entrySort(options.upToSeq ?? 9_999_999_999);
    do {
      const out = await this.ctx.doc.send(
        new QueryCommand({
          TableName: this.ctx.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': ledgerKeys.partition(cycleId),
            ':from': ledgerKeys.entrySort(1),
            ':to': upper,
          },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) entries.push(parseStored(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return entries;
  }
}

/**
 * The stored canonical JSON, parsed without judging it: `list` must hand a tampered entry to
 * `verifyChain` as it is, so the verifier (not the reader) names what is wrong.
 */
function parseStored(item: Record<string, unknown>): LedgerEntry {
  return JSON.parse(String(item.json)) as LedgerEntry;
}
