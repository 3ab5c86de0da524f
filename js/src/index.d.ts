/** Keys edge-lru accepts. They compare as in a `Map`: `1` and `"1"` differ, `NaN` equals `NaN`, `-0` equals `0`. */
export type Key = string | number;

/** Why an entry left the cache, as passed to `onEvict`. */
export type EvictionReason = 'evict' | 'set' | 'delete' | 'clear' | 'expire' | 'resize';

/** Error codes carried by the `code` property of errors edge-lru throws. */
export type ErrorCode =
  | 'ERR_LRU_OPTION'
  | 'ERR_LRU_MAX'
  | 'ERR_LRU_MAX_SIZE'
  | 'ERR_LRU_SIZE_OF'
  | 'ERR_LRU_ENTRY_SIZE'
  | 'ERR_LRU_TTL'
  | 'ERR_LRU_KEY_TYPE'
  | 'ERR_LRU_NO_LOADER'
  | 'ERR_LRU_FREED';

export interface LRUCacheOptions<K extends Key, V> {
  /** The most entries the cache holds: a positive safe integer up to 4294967294. */
  max: number;
  /** A budget for the sum of `sizeOf` over all entries; needs `sizeOf`. */
  maxSize?: number;
  /** Measures an entry, e.g. in bytes: a positive finite number (fractions round up). */
  sizeOf?: (value: V, key: K) => number;
  /** Milliseconds after a `set` when an entry counts as absent. Expiry is lazy: no timers. */
  ttl?: number;
  /** The clock for `ttl`, in milliseconds; defaults to `performance.now()`. */
  now?: () => number;
  /** Called after an entry leaves the cache; may call back into the cache. */
  onEvict?: (value: V, key: K, reason: EvictionReason) => void;
  /** The default loader for `fetch`. */
  load?: (key: K) => V | PromiseLike<V>;
}

export interface LRUCacheStats {
  hits: number;
  misses: number;
  /** `hits / (hits + misses)`, or 0 before any lookup. */
  hitRate: number;
  sets: number;
  deletes: number;
  /** Entries evicted by the `max` or `maxSize` bound, including by resizing. */
  evictions: number;
  /** Entries found expired and removed. */
  expirations: number;
  size: number;
  totalSize: number;
}

/**
 * A strict least-recently-used cache whose order, weights and eviction live in
 * WebAssembly.
 *
 * @example
 * ```ts
 * import { LRUCache } from 'edge-lru';
 *
 * const cache = new LRUCache<string, number>({ max: 2 });
 * cache.set('a', 1).set('b', 2);
 * cache.get('a');     // 1, and 'a' is now the most recently used
 * cache.set('c', 3);  // evicts 'b'
 * [...cache.keys()];  // ['c', 'a']
 * ```
 */
export declare class LRUCache<K extends Key = Key, V = unknown> implements Iterable<[K, V]> {
  constructor(options: LRUCacheOptions<K, V>);

  /** Returns the value of `key` and marks it most recently used. */
  get(key: K): V | undefined;
  /** Returns the value of `key` without marking it used. */
  peek(key: K): V | undefined;
  /** Whether `key` is present, without marking it used. */
  has(key: K): boolean;
  /** The values of `keys`, in order, each marked used as by `get`. */
  getMany(keys: readonly K[]): (V | undefined)[];

  /** Inserts or replaces `key` and marks it most recently used. */
  set(key: K, value: V): this;
  /** Removes `key`; returns whether it was present. */
  delete(key: K): boolean;
  /** Removes and returns the least recently used entry. */
  pop(): [K, V] | undefined;
  /** Removes every entry. */
  clear(): void;
  /** Returns the cached value or loads, caches and returns it; concurrent calls share one load. */
  fetch(key: K, loader?: (key: K) => V | PromiseLike<V>): Promise<V>;

  /** The number of entries. */
  readonly size: number;
  /** The most entries the cache holds; assigning resizes, evicting the oldest first. */
  max: number;
  /** The size budget, or 0 when there is none. */
  readonly maxSize: number;
  /** The sum of `sizeOf` over the entries (their count without `sizeOf`). */
  readonly totalSize: number;
  /** Removes expired entries; returns how many. */
  purgeStale(): number;

  /** Keys, most recently used first. */
  keys(): IterableIterator<K>;
  /** Values, most recently used first. */
  values(): IterableIterator<V>;
  /** Entries, most recently used first. */
  entries(): IterableIterator<[K, V]>;
  /** Keys, least recently used first. */
  rkeys(): IterableIterator<K>;
  /** Values, least recently used first. */
  rvalues(): IterableIterator<V>;
  /** Entries, least recently used first. */
  rentries(): IterableIterator<[K, V]>;
  [Symbol.iterator](): IterableIterator<[K, V]>;
  /** Calls `fn` for each entry, most recently used first. */
  forEach(fn: (value: V, key: K, cache: this) => void, thisArg?: unknown): void;

  /** The entries, most recently used first, for `load`. */
  dump(): [K, V][];
  /** Replaces the contents with `dump()` output, keeping its order. */
  load(entries: readonly (readonly [K, V])[]): void;

  /** Counters since creation or `resetStats()`. */
  readonly stats: LRUCacheStats;
  resetStats(): void;

  /** Releases the wasm memory; later use throws `ERR_LRU_FREED`. */
  free(): void;
  [Symbol.dispose](): void;
}

/** The bytes of WebAssembly memory in use by edge-lru in this realm (all caches share it). */
export declare function wasmMemorySize(): number;
