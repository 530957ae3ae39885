import { describe, expect, it } from 'vitest';
import { Lru } from '#util/cache';

describe('Lru', () => {
  it('shares one load between concurrent readers', async () => {
    const lru = new Lru<number>(4);
    let loads = 0;
    const load = async () => {
      loads++;
      return 7;
    };
    expect(await Promise.all([lru.get('a', load), lru.get('a', load), lru.get('a', load)])).toEqual([
      7, 7, 7,
    ]);
    expect(loads).toBe(1);
  });

  it('evicts the least recently used entry beyond its size', async () => {
    const lru = new Lru<string>(2);
    await lru.get('a', async () => 'a');
    await lru.get('b', async () => 'b');
    await lru.get('a', async () => 'stale');
    await lru.get('c', async () => 'c');
    expect(lru.size).toBe(2);
    expect(await lru.get('a', async () => 'reloaded')).toBe('a');
    expect(await lru.get('b', async () => 'reloaded')).toBe('reloaded');
  });

  it('forgets failed loads and expired entries', async () => {
    const lru = new Lru<string>(4, 1000);
    await expect(lru.get('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await Promise.resolve();
    expect(await lru.get('x', async () => 'ok')).toBe('ok');
    expect(await lru.get('t', async () => 'first', 0)).toBe('first');
    expect(await lru.get('t', async () => 'second', 999)).toBe('first');
    expect(await lru.get('t', async () => 'third', 1000)).toBe('third');
  });
});
