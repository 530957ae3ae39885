/**
 * Small in-memory caches of a warm Lambda container. Only what cannot change is kept for long: a
 * run's rankings, results and traces are frozen once the run left RUNNING (re-running is a new run
 * id). Values are promises, so concurrent requests for the same key share one load.
 */
export class Lru<V> {
  private readonly map = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly max: number,
    private readonly ttlMs = Number.POSITIVE_INFINITY,
  ) {}

  /** The cached value, or `load()` (kept unless it fails). */
  get(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
    const hit = this.map.get(key);
    if (hit && hit.expires > now) {
      // Refresh recency: a Map iterates in insertion order.
      this.map.delete(key);
      this.map.set(key, hit);
      return hit.value;
    }
    const value = load();
    this.map.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => {
      if (this.map.get(key)?.value === value) this.map.delete(key);
    });
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
    return value;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
