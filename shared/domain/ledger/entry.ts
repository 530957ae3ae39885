import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../methodology/canonical-json';

/**
 * One entry of a cycle's append-only, hash-chained ledger (issue 13). The format is public:
 * docs/architecture.md "Ledger" describes it so that an outsider can write a verifier.
 *
 * `hash = sha256hex(canonicalJson(entry without "hash"))`; `prevHash` is the previous entry's
 * hash ("0" × 64 for seq 1), so changing any entry changes every hash after it.
 */

/** The prevHash of the first entry of every ledger. */
export const GENESIS_HASH = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;
const ACTION = /^[a-z][a-z-]*(\.[a-z][a-z-]*)+$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** JSON values only: what canonical JSON can encode unambiguously (finite numbers, no undefined). */
export type LedgerValue = null | boolean | number | string | LedgerValue[] | { [key: string]: LedgerValue };
const ledgerValue: z.ZodType<LedgerValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number().finite(),
    z.string(),
    z.array(ledgerValue),
    z.record(z.string(), ledgerValue),
  ]),
);

export const ledgerActorSchema = z.object({ sub: z.string().min(1), role: z.string().min(1) }).strict();
export type LedgerActor = z.infer<typeof ledgerActorSchema>;

/** System actions (schedules, pipelines, state machines) record this actor. */
export const SYSTEM_ACTOR: LedgerActor = { sub: 'system', role: 'system' };

/** The thing acted on: region, answer path, run, object key, and whatever else names it. */
export const ledgerSubjectSchema = z.record(z.string().min(1), z.string());
export type LedgerSubject = z.infer<typeof ledgerSubjectSchema>;

export const ledgerEntrySchema = z
  .object({
    cycleId: z.string().min(1),
    seq: z.number().int().min(1),
    at: z.string().regex(INSTANT, 'an ISO 8601 UTC instant (…Z)'),
    actor: ledgerActorSchema,
    action: z.string().regex(ACTION, 'a dotted lower-case action, e.g. "upload.accepted"'),
    subject: ledgerSubjectSchema,
    before: ledgerValue.optional(),
    after: ledgerValue.optional(),
    reason: z.string().optional(),
    prevHash: z.string().regex(HEX64, '64 lower-case hex digits'),
    hash: z.string().regex(HEX64, '64 lower-case hex digits'),
  })
  .strict();
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** What a writer records; the ledger gives it its seq, prevHash and hash. */
export interface LedgerDraft {
  action: string;
  actor: LedgerActor;
  /** When it happened (any ISO 8601 instant; stored as UTC `…Z`). */
  at: string;
  subject: LedgerSubject;
  before?: LedgerValue;
  after?: LedgerValue;
  reason?: string;
  /**
   * Names the event once (e.g. `upload:{key}:{versionId}`, `decision:{id}`): appending a draft
   * whose key is already in the ledger returns that entry instead of writing a second one, so a
   * retried Lambda or a twice-delivered event records the event once. Not part of the entry.
   */
  idempotencyKey?: string;
}

export interface LedgerHead {
  seq: number;
  hash: string;
}

/** The head of an empty ledger: the next entry is seq 1 chained to the genesis hash. */
export const EMPTY_HEAD: LedgerHead = { seq: 0, hash: GENESIS_HASH };

/** The canonical form that is hashed: sorted keys at every depth, no whitespace, no undefined (RFC 8785). */
export function canonicalEntry(entry: Omit<LedgerEntry, 'hash'> | LedgerEntry): string {
  const { hash: _hash, ...rest } = entry as LedgerEntry;
  return canonicalJson(rest);
}

export const hashEntry = (entry: Omit<LedgerEntry, 'hash'> | LedgerEntry): string =>
  sha256Hex(canonicalEntry(entry));

/**
 * The next entry after `head`: a pure function of the draft and the head, so a writer that lost
 * the race for a seq simply chains the same draft to the new head.
 */
export function chainEntry(cycleId: string, head: LedgerHead, draft: LedgerDraft): LedgerEntry {
  const at = new Date(draft.at);
  if (Number.isNaN(at.getTime())) throw new TypeError(`ledger: "${draft.at}" is not an ISO 8601 instant`);
  const body: Omit<LedgerEntry, 'hash'> = {
    cycleId,
    seq: head.seq + 1,
    at: at.toISOString(),
    actor: { sub: draft.actor.sub, role: draft.actor.role },
    action: draft.action,
    subject: withoutUndefined(draft.subject),
    ...(draft.before !== undefined ? { before: draft.before } : {}),
    ...(draft.after !== undefined ? { after: draft.after } : {}),
    ...(draft.reason !== undefined ? { reason: draft.reason } : {}),
    prevHash: head.hash,
  };
  const entry = { ...body, hash: hashEntry(body) };
  // A draft that is not plain JSON would hash differently after a round trip: refuse it here.
  const parsed = ledgerEntrySchema.safeParse(entry);
  if (!parsed.success) throw new TypeError(`ledger: invalid entry: ${parsed.error.issues[0]?.message ?? ''}`);
  return entry;
}

function withoutUndefined(subject: Record<string, string | undefined>): LedgerSubject {
  return Object.fromEntries(Object.entries(subject).filter(([, v]) => v !== undefined)) as LedgerSubject;
}
