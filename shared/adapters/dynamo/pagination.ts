import type { Page, PageRequest } from './types';

type Key = Record<string, unknown>;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export class CursorError extends Error {
  constructor() {
    super('invalid pagination cursor');
    this.name = 'CursorError';
  }
}

export function encodeCursor(key: Key | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Key | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CursorError();
    for (const v of Object.values(value)) if (typeof v !== 'string') throw new CursorError();
    return value as Key;
  } catch {
    throw new CursorError();
  }
}

export function pageSize(request: PageRequest | undefined): number {
  const limit = request?.limit ?? DEFAULT_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(limit)));
}

export function toPage<T>(items: T[], lastKey: Key | undefined): Page<T> {
  const cursor = encodeCursor(lastKey);
  return cursor ? { items, cursor } : { items };
}
