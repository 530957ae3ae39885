import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putIfAbsent } from '#adapters/dynamo/guarded';
import type { TableContext } from '#adapters/dynamo/records';
import { startTestTable, type TestTable } from './dynalite-table';

let t: TestTable;
let ctx: TableContext;
beforeAll(async () => {
  t = await startTestTable();
  ctx = { doc: t.doc, tableName: t.tableName };
});
afterAll(async () => {
  await t.close();
});

const key = { pk: 'TEST#put-if-absent', sk: 'ITEM#1' };

async function stored(): Promise<Record<string, unknown> | undefined> {
  const out = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }));
  return out.Item;
}

/** Runs the put and returns the error it failed with (the test fails if it succeeds). */
async function failure(put: Promise<boolean>): Promise<Error> {
  try {
    await put;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected the put to fail');
}

describe('putIfAbsent', () => {
  it('writes the first item, refuses a second with the same key and leaves the first unchanged', async () => {
    expect(await putIfAbsent(ctx, { ...key, entity: 'TEST', value: 'first' })).toBe(true);
    expect(await putIfAbsent(ctx, { ...key, entity: 'TEST', value: 'second', extra: 1 })).toBe(false);
    expect(await stored()).toEqual({ ...key, entity: 'TEST', value: 'first' });
  });

  it('writes another key beside an existing one', async () => {
    const other = { pk: key.pk, sk: 'ITEM#2' };
    expect(await putIfAbsent(ctx, { ...other, value: 'other' })).toBe(true);
    expect(await stored()).toMatchObject({ value: 'first' });
  });

  it('propagates a missing table unchanged (not a replay)', async () => {
    const error = await failure(putIfAbsent({ ...ctx, tableName: 'no-such-table' }, { ...key, value: 'x' }));
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('propagates an item over the 400 KB limit unchanged and writes nothing', async () => {
    const big = { pk: key.pk, sk: 'ITEM#big', blob: 'x'.repeat(401 * 1024) };
    const error = await failure(putIfAbsent(ctx, big));
    expect(error.name).toBe('ValidationException');
    const out = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: { pk: big.pk, sk: big.sk }, ConsistentRead: true }),
    );
    expect(out.Item).toBeUndefined();
  });
});
