import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { now } from '../clock';

/** Attributes that exist only for keys, indexes and write guards; never returned to callers. */
const INTERNAL = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'entity',
  'latestOrder',
  'latestRank',
  'currentOrder',
  'currentRank',
  'runOrder',
]);

export type Item = Record<string, unknown>;

/** Drops key and guard attributes; the remainder is the record as written. */
export function fromItem<T>(item: Item): T {
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) if (!INTERNAL.has(name)) out[name] = value;
  return out as T;
}

export interface TableContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Clock used when a caller gives no timestamp (tests inject a fixed one). */
  readonly now?: () => Date;
}

export const nowIso = (ctx: TableContext): string => (ctx.now ? ctx.now() : now()).toISOString();
