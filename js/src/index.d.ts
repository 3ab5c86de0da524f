declare global {
  interface SymbolConstructor {
    /**
     * `Symbol.dispose` (explicit resource management), declared here as TypeScript's
     * `esnext.disposable` lib and @types/node declare it, so that these types also load
     * in projects whose `lib` predates it.
     */
    readonly dispose: unique symbol;
  }
}

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
  | 'ERR_LRU_FREED'
  | 'ERR_PERM_OPTION'
  | 'ERR_PERM_MAX_USERS'
  | 'ERR_PERM_MAX_BYTES'
  | 'ERR_PERM_USER'
  | 'ERR_PERM_PATH'
  | 'ERR_PERM_OP'
  | 'ERR_PERM_NAMES'
  | 'ERR_PERM_RULES'
  | 'ERR_PERM_TOO_LARGE';

export interface LRUCacheOptions<K extends Key, V> {
  /** The most entries the cache holds: a positive safe integer up to 4294967294. */
  max: number;
  /** A budget for the sum of `sizeOf` over all entries; needs `sizeOf`. */
  maxSize?: number;
  /** Measures an entry, e.g. in bytes: a positive number up to `Number.MAX_SAFE_INTEGER` (fractions round up). */
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

  /** The number of entries; expired entries count until they are touched or purged. */
  readonly size: number;
  /** The most entries the cache holds; assigning resizes, evicting the oldest first. */
  max: number;
  /** The size budget, or 0 when there is none. */
  readonly maxSize: number;
  /** The sum of `sizeOf` over the entries (their count without `sizeOf`). */
  readonly totalSize: number;
  /** Removes expired entries; returns how many. */
  purgeStale(): number;

  /**
   * Keys, most recently used first: those present when the iterator is made, each
   * looked up again when reached (so are the other iterators).
   */
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

/**
 * The size in bytes of edge-lru's WebAssembly memory in this realm, shared by all caches.
 * It grows as caches need room and never shrinks; freed caches' space is reused.
 */
export declare function wasmMemorySize(): number;

/** An operation a permission rule can grant. */
export type Operation = 'list' | 'read' | 'write' | 'delete' | 'mkdir' | 'rename';

/** The operations, in the order of their bits. */
export declare const OPERATIONS: readonly Operation[];

/**
 * A rule grants `allow` on `path` and everything below it. For any path, the rule with
 * the longest path that matches it by whole segments decides; an empty `allow` denies
 * a subtree inside a broader grant; with no matching rule nothing is allowed.
 */
export interface PermissionRule {
  /** Absolute, `/`-separated; repeated and trailing slashes and `.` segments are ignored. */
  path: string;
  allow: readonly Operation[];
}

/**
 * Why a user's rules left the cache, as passed to `onEvict`: `'evict'` to make room,
 * `'logout'`, `'clear'`, or `'failed'` when a load that was to replace them (a `login`)
 * threw or gave rules that were refused, so that the old rules are not left in force.
 */
export type PermissionEvictionReason = 'evict' | 'logout' | 'clear' | 'failed';

export interface PermissionCacheOptions {
  /** The most users whose rules are cached. */
  maxUsers: number;
  /** A budget for the bytes of all compiled rule sets (see `bytesOf`). */
  maxBytes?: number;
  /** Loads a user's rules from the store, e.g. MySQL. */
  load: (user: string) => readonly PermissionRule[] | PromiseLike<readonly PermissionRule[]>;
  onEvict?: (user: string, reason: PermissionEvictionReason) => void;
}

export interface PermissionCacheStats {
  hits: number;
  misses: number;
  hitRate: number;
  /** Calls to `load`. */
  loads: number;
  /** Loads that threw or gave rules that were refused. */
  loadFailures: number;
  evictions: number;
  users: number;
  bytes: number;
}

/**
 * Users' permission rules, compiled and held in WebAssembly memory, bounded by a user
 * count and a byte budget, evicting the least recently used users.
 *
 * @example
 * ```ts
 * const perms = new PermissionCache({ maxUsers: 10_000, maxBytes: 64 << 20, load: loadRulesFromMySQL });
 * await perms.login('alice');
 * perms.allowsCached('alice', '/home/alice/notes.txt', 'read'); // true
 * await perms.filter('alice', '/home', ['alice', 'bob'], 'list'); // ['alice']
 * ```
 */
export declare class PermissionCache {
  constructor(options: PermissionCacheOptions);
  /**
   * Loads the user's rules afresh and caches them. If the load throws or its rules are
   * refused, the user's old rules are dropped too (`onEvict` reason `'failed'`).
   */
  login(user: string): Promise<void>;
  /** Forgets the user's rules; returns whether they were cached. */
  logout(user: string): boolean;
  has(user: string): boolean;
  /** Checks a cached user synchronously; `undefined` when the user is not cached. */
  allowsCached(user: string, path: string, op: Operation): boolean | undefined;
  /** Checks, loading the user's rules on a miss (concurrent misses share one load). */
  allows(user: string, path: string, op: Operation): Promise<boolean>;
  /**
   * Whether any of the cached user's rules lies strictly below `path` (whole segments,
   * normalized like rule paths; a deny rule counts, a rule on `path` itself does not):
   * a directory with rules below it cannot be renamed as one piece. `undefined` when the
   * user is not cached.
   *
   * @example
   * ```ts
   * // rules: /home/alice rw, /home/alice/.ssh none
   * perms.hasRulesBelowCached('alice', '/home/alice'); // true
   * perms.hasRulesBelowCached('alice', '/home/alice/.ssh'); // false
   * ```
   */
  hasRulesBelowCached(user: string, path: string): boolean | undefined;
  /** As `hasRulesBelowCached`, loading the user's rules on a miss. */
  hasRulesBelow(user: string, path: string): Promise<boolean>;
  /**
   * The names in a listing of `dir` the cached user may `op`, in order, as a new array;
   * `undefined` when not cached. Names that are not single segments (empty, `.`, `..`,
   * holding `/`, `\`, NUL or a lone surrogate) are never allowed.
   */
  filterCached(user: string, dir: string, names: readonly string[], op: Operation): string[] | undefined;
  /** As `filterCached`, loading the user's rules on a miss. */
  filter(user: string, dir: string, names: readonly string[], op: Operation): Promise<string[]>;
  /** The bytes of a cached user's compiled rules. */
  bytesOf(user: string): number | undefined;
  /** Cached users, most recently used first. */
  users(): IterableIterator<string>;
  readonly size: number;
  readonly bytes: number;
  readonly stats: PermissionCacheStats;
  resetStats(): void;
  clear(): void;
  free(): void;
  [Symbol.dispose](): void;
}
