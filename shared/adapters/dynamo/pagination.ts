import { DomainError } from '#domain/errors';
import { type IndexDefinition, PARTITION_KEY, SORT_KEY } from './table-definition';
import type { Page, PageRequest } from './types';

type Key = Record<string, unknown>;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** A cursor made by hand or issued for another query: the client starts again without it (400). */
export class CursorError extends DomainError {
  constructor() {
    super(
      'invalid',
      'INVALID_CURSOR',
      'Penanda halaman (cursor) tidak sah atau bukan untuk permintaan ini; mulai lagi dari halaman pertama tanpa cursor.',
      'The page cursor is invalid or belongs to another request; start again from the first page without the cursor.',
    );
  }
}

export function encodeCursor(key: Key | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/** The query a cursor continues: its index (none = the table), partition and sort-key prefix. */
export interface CursorScope {
  index?: IndexDefinition;
  partition: string;
  sortPrefix?: string;
}

/**
 * The start key a cursor carries, checked against the query it is used for: exactly the key
 * attributes of that table or index, all strings, in the same partition (and sort-key range).
 * A cursor made by hand or issued for another partition (another region, cycle or run) is
 * refused with CursorError (a 400 to the caller), never passed on to DynamoDB.
 */
export function decodeCursor(cursor: string | undefined, scope: CursorScope): Key | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CursorError();
  const key = value as Record<string, unknown>;
  const names = [
    PARTITION_KEY,
    SORT_KEY,
    ...(scope.index ? [scope.index.partitionKey, scope.index.sortKey] : []),
  ];
  const given = Object.keys(key);
  if (given.length !== names.length || !names.every((n) => typeof key[n] === 'string' && key[n] !== ''))
    throw new CursorError();
  const partitionName = scope.index?.partitionKey ?? PARTITION_KEY;
  const sortName = scope.index?.sortKey ?? SORT_KEY;
  if (key[partitionName] !== scope.partition) throw new CursorError();
  if (scope.sortPrefix && !String(key[sortName]).startsWith(scope.sortPrefix)) throw new CursorError();
  return key as Key;
}

export function pageSize(request: PageRequest | undefined): number {
  const limit = request?.limit ?? DEFAULT_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(limit)));
}

export function toPage<T>(items: T[], lastKey: Key | undefined): Page<T> {
  const cursor = encodeCursor(lastKey);
  return cursor ? { items, cursor } : { items };
}
