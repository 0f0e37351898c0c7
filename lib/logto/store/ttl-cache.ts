/** A bounded in-process map whose entries expire: the least recently used entry goes first when full. */
export interface TtlCache<V> {
  get(key: string): V | undefined;
  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: string, value: V, ttlMs: number): void;
  delete(key: string): void;
  /** Drops every entry. */
  clear(): void;
  readonly size: number;
}

/** Options of {@link createTtlCache}. */
export interface TtlCacheOptions {
  /** At most this many entries; the least recently used one is dropped to make room. */
  maxEntries: number;
  /** Clock in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/**
 * Creates a {@link TtlCache} on a `Map`, whose insertion order doubles as the recency order
 * (a read moves the entry to the end).
 */
export function createTtlCache<V>({ maxEntries, now = () => Date.now() }: TtlCacheOptions): TtlCache<V> {
  const entries = new Map<string, { value: V; expiresAtMs: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (now() >= entry.expiresAtMs) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expiresAtMs: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
