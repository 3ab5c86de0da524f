// LRUCache: the JS face of the wasm recency engine.
//
// Keys and values stay in JS arrays indexed by slot, found through JS hash tables (a Map
// for strings, typed-array hash tables for integers); the wasm Engine
// owns the recency order, weights and eviction. Hits are recorded in a ring buffer in wasm
// memory that the engine replays, in order, before any call that reads or changes
// the order, so a get never crosses the boundary. See src/wasm/mod.rs.

import { Engine } from './generated/edge_lru.js';
import { callEach, dispose } from './callbacks.js';
import { badKey, freed, optionalFunction, positiveInteger, rangeError, typeError, typeName } from './errors.js';
import { publishedSlots, synced, syncViews as syncView, U32 } from './memory.js';
import { SharedLoads, startLoad } from './loads.js';
import { NumberIndex } from './numbers.js';

/** Keys edge-lru accepts. They compare as in a `Map`: `1` and `"1"` differ, `NaN` equals `NaN`, `-0` equals `0`. */
export type Key = string | number;

/** Why an entry left the cache, as passed to `onEvict`. */
export type EvictionReason = 'evict' | 'set' | 'delete' | 'clear' | 'expire' | 'resize' | 'oversized';

/**
 * `AbortSignal` where the project's types declare it (the DOM lib, @types/node, Deno,
 * Workers), else the part of it edge-lru uses, so that these types also load in
 * projects whose `lib` has none.
 */
export type LRUCacheAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer Signal } } ? Signal
  : {
    readonly aborted: boolean;
    readonly reason: unknown;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  };

/** What `fetch` gives its loader besides the key. */
export interface LRUCacheLoaderOptions<V> {
  /**
   * Aborted when the entry is set, deleted, evicted or cleared while the load runs (the
   * loaded value would not be stored), or when the `signal` given to `fetch` aborts.
   */
  signal: LRUCacheAbortSignal;
  /** The value being refreshed (stale, or fresh with `forceRefresh`); undefined on a miss. */
  staleValue: V | undefined;
  /** The `context` given to `fetch`. */
  context: unknown;
}

/** A loader for `fetch`: returns the value of `key`, or a promise of it. */
export type LRUCacheLoader<K extends Key, V> = (key: K, options: LRUCacheLoaderOptions<V>) => V | PromiseLike<V>;

/**
 * The options of `new LRUCache(options)`: `max`, `maxSize` or both, and the rest of
 * `LRUCacheSharedOptions`.
 */
export type LRUCacheOptions<K extends Key, V> =
  & LRUCacheSharedOptions<K, V>
  & (
    | {
      /**
       * The most entries the cache holds: a positive safe integer up to 4294967294.
       * Optional when `maxSize` is given (the cache is then bounded by size alone).
       */
      max: number;
      /** A budget for the sum of entry sizes (`sizeOf`, or `set`'s `size` option). */
      maxSize?: number;
    }
    | { max?: number; maxSize: number }
  );

/** The options of `new LRUCache(options)` other than `max` and `maxSize`. */
export interface LRUCacheSharedOptions<K extends Key, V> {
  /** The largest size one entry may have; larger ones are `oversized`. */
  maxEntrySize?: number;
  /**
   * What `set` does with an entry larger than `maxSize` or `maxEntrySize`: `'throw'` (the
   * default) throws a `RangeError` and changes nothing; `'drop'` does not store it and
   * removes the key's older entry, reported to `onEvict` with reason `'oversized'`.
   */
  oversized?: 'throw' | 'drop';
  /** Measures an entry, e.g. in bytes: a positive number up to `Number.MAX_SAFE_INTEGER` (fractions round up). */
  sizeOf?: (value: V, key: K) => number;
  /**
   * Milliseconds after a `set` when an entry is stale: it expires once it is older than
   * this. Expiry is lazy: no timers. `set` and `fetch` may give an entry its own.
   */
  ttl?: number;
  /** A `get` (and a `fetch` hit) restarts the entry's ttl (sliding expiry). */
  updateAgeOnGet?: boolean;
  /** A `has` that finds the entry restarts its ttl. */
  updateAgeOnHas?: boolean;
  /**
   * Milliseconds past its expiry for which a stale entry whose refresh by `fetch` failed
   * is still served (the fetch resolves with it). 0, the default: a failed refresh
   * removes the stale entry and the fetch rejects.
   */
  staleIfError?: number;
  /** The clock for `ttl`, in milliseconds; defaults to `performance.now()`. */
  now?: () => number;
  /** Called after an entry leaves the cache; may call back into the cache. */
  onEvict?: (value: V, key: K, reason: EvictionReason) => void;
  /** The default loader for `fetch` (lru-cache's name for it). */
  fetchMethod?: LRUCacheLoader<K, V>;
}

/** Options of one entry, for `set` and `fetch`. */
export interface LRUCacheSetOptions {
  /** This entry's time to live in milliseconds instead of the cache's `ttl`; 0: it never expires. */
  ttl?: number;
  /** This entry's size instead of what `sizeOf` measures (caches with `maxSize`, `maxEntrySize` or `sizeOf` only). */
  size?: number;
}

/** Options of `fetch`. */
export interface LRUCacheFetchOptions<K extends Key, V> extends LRUCacheSetOptions {
  /** The loader for this call instead of `fetchMethod`. */
  loader?: LRUCacheLoader<K, V>;
  /** With a stale (or, with `forceRefresh`, any) entry: resolve with its value at once and refresh it in the background. */
  allowStale?: boolean;
  /** Load even when a fresh entry is cached. */
  forceRefresh?: boolean;
  /** Passed to the loader as `context`. */
  context?: unknown;
  /** Aborting it rejects this fetch with its reason, cancels the load and aborts the loader's signal. */
  signal?: LRUCacheAbortSignal;
}

/** Options of `peek`. */
export interface LRUCachePeekOptions {
  /** Return a stale entry's value (it is left in place) instead of removing it. */
  allowStale?: boolean;
}

/** What `info(key)` tells of an entry. */
export interface LRUCacheInfo<V> {
  value: V;
  /** The entry's time to live in milliseconds; 0 when it never expires. */
  ttl: number;
  /** Milliseconds until it expires; `Infinity` when it never does. */
  remaining: number;
  /** Its size (1 in a cache that does not measure sizes). */
  size: number;
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
 * An entry as `dump()` gives it and `load` takes it: the shape of lru-cache's
 * `LRUCache.Entry`, so that either library can load the other's dump.
 */
export interface LRUCacheEntryInfo<V> {
  value: V;
  /** The entry's time to live in milliseconds (caches with a `ttl` only). */
  ttl?: number;
  /**
   * When the entry's life began, in milliseconds since the epoch (`Date.now()`), so
   * that a dump keeps its meaning in another process or after a restart: an entry
   * loaded later has only the rest of its life left.
   */
  start?: number;
  /** The entry's size as `sizeOf` measured it (caches with a `sizeOf` only). */
  size?: number;
}

/**
 * One element of `dump()`'s array, `[key, { value, ttl, start, size }]`, the format of
 * lru-cache's `dump()`. `load` also takes plain `[key, value]` pairs.
 */
export type LRUCacheDumpEntry<K extends Key, V> = [K, LRUCacheEntryInfo<V>];

const NIL = 0xffffffff;
/** Set on a ring entry that records a removal rather than a hit (see src/wasm/mod.rs). */
const REMOVAL = 0x80000000;
/** How many upcoming victims a full, count-bounded cache asks the engine for at once. */
const VICTIMS = 64;

const defaultNow: () => number = typeof performance === 'object' && typeof performance.now === 'function'
  ? () => performance.now()
  : () => Date.now();

/** The keys of an `LRUCacheEntryInfo`: an object with `value` and no other keys than these is read as one. */
const ENTRY_FIELDS: ReadonlySet<string> = new Set(['value', 'ttl', 'start', 'size']);

/**
 * Whether `item`, the second element of an entry given to `load`, is an
 * `LRUCacheEntryInfo` rather than a plain value: a plain object with an own `value`
 * and no keys other than `value`, `ttl`, `start` and `size`.
 */
function isEntryInfo(item: unknown): item is LRUCacheEntryInfo<unknown> {
  if (item === null || typeof item !== 'object') return false;
  const prototype = Object.getPrototypeOf(item);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const keys = Object.keys(item);
  return Object.hasOwn(item, 'value') && keys.every((key) => ENTRY_FIELDS.has(key));
}

/**
 * A `[value, key, reason]` triple waiting for onEvict, or the controller of a cancelled
 * load waiting to be aborted (reason null): both wait until the cache is consistent.
 */
type Disposal<K, V> = [V, K, EvictionReason] | [AbortController, K, null];

/** The bound of a cache given only `maxSize`: the engine's largest count. */
const MAX_ENTRIES = 0xfffffffe;

/**
 * A cache whose count bound is at most this reserves its slot arrays when it is made
 * (the engine reserves its recency links up to the same bound), as lru-cache does: a
 * full cache then holds no growth slack (an array grown by pushing keeps up to half
 * again its length).
 */
const PREALLOCATE = 1 << 20;

/** Checks a per-entry `ttl` (`set`, `fetch`, `load`): 0 (never expires) or a positive finite number. */
function entryTtl(ttl: unknown): number {
  if (typeof ttl !== 'number') {
    throw typeError('ERR_LRU_OPTION', `ttl must be a number of milliseconds, got ${typeName(ttl)}`);
  }
  if (!(ttl >= 0) || !Number.isFinite(ttl)) {
    throw rangeError('ERR_LRU_TTL', `an entry's ttl must be 0 (never expires) or a positive finite number, got ${ttl}`);
  }
  return ttl;
}

/** Checks a `size` option: a positive number up to `Number.MAX_SAFE_INTEGER`, rounded up. */
function entrySize(size: unknown): number {
  if (typeof size !== 'number') throw typeError('ERR_LRU_OPTION', `size must be a number, got ${typeName(size)}`);
  if (!(size > 0) || size > Number.MAX_SAFE_INTEGER) {
    throw rangeError('ERR_LRU_SIZE_OF', `size must be a positive finite number, got ${size}`);
  }
  return Math.ceil(size);
}

/** Checks an optional boolean option. */
function optionalBoolean(value: unknown, name: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw typeError('ERR_LRU_OPTION', `${name} must be a boolean, got ${typeName(value)}`);
  }
  return value === true;
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
export class LRUCache<K extends Key = Key, V = unknown> implements Iterable<[K, V]> {
  #engine: Engine | null;
  /**
   * string key -> slot. A Map, not a dictionary object: a property key must be
   * internalized (found in V8's string table, flattened first if it is a cons string),
   * which made inserts of template-literal and freshly decoded keys up to 2x slower,
   * while a Map key only needs its hash. See docs/design.md.
   */
  #index = new Map<string, number>();
  /** number key -> slot (see numbers.js) */
  #numbers = new NumberIndex();
  /** slot -> key, undefined when the slot is free (typed as K: read only for live slots) */
  #keys: K[] = [];
  /** slot -> value, undefined when the slot is free */
  #values: V[] = [];
  /** slot -> when the entry's life began, in the clock of `now` (timed caches only) */
  #starts: number[] = [];
  /** slot -> the entry's ttl; 0 or undefined: it never expires (timed caches only) */
  #ttls: number[] = [];
  /** slot -> the entry's size (sized caches only) */
  #sizes: number[] = [];
  /** number of hits recorded in the ring and not yet replayed */
  #pending = 0;
  /** ring entries [0, #swept) have been cleared from #marks (see #victims) */
  #swept = 0;
  #ring: number;
  #ringSize: number;
  #io: number;
  /**
   * Upcoming victims of a full cache bounded by count alone (no sizeOf): the engine's
   * least recently used slots, oldest first, taken from the engine in batches so that
   * most insertions need no call into wasm. `#marks[slot]` is 1 while a slot waits in
   * this queue; a hit clears it (when the hits in the ring are swept, before the queue
   * is next read or the ring replayed, so a get does no more than record the slot),
   * since the hit makes the slot the newest, and it is then skipped. Reusing a victim is recorded in the ring as a hit: moving the slot
   * to the front is exactly what evicting it and inserting anew does to the order.
   */
  #victims = new Uint32Array(VICTIMS);
  #victimNext = 0;
  #victimCount = 0;
  #marks = new Uint8Array(64);
  /** Whether the count bound has been reached since the last removal. */
  #full = false;
  #sizeOf: ((value: V, key: K) => number) | null;
  /**
   * Whether entries have sizes (`maxSize`, `maxEntrySize` or `sizeOf`); otherwise each
   * counts 1 and the engine is bounded by count alone.
   */
  #sized: boolean;
  #maxSize: number;
  #maxEntrySize: number;
  /** The largest entry size stored: the smaller of `maxSize` and `maxEntrySize`, or Infinity. */
  #limit: number;
  /** `oversized: 'drop'` */
  #drop: boolean;
  /** The cache's ttl, 0 for none. */
  #ttl: number;
  /**
   * Whether any entry may expire: set by a `ttl` option, or by the first entry given a
   * ttl of its own. Until then no read looks at the clock or at #starts and #ttls.
   */
  #timed: boolean;
  #updateAgeOnGet: boolean;
  #updateAgeOnHas: boolean;
  #staleIfError: number;
  #now: () => number;
  #onEvict: ((value: V, key: K, reason: EvictionReason) => void) | null;
  #fetchMethod: LRUCacheLoader<K, V> | null;
  /** The time of the current write, read once from `now` before it changes anything (timed caches only). */
  #time = 0;
  /** When the life of the entry being written began (`#time`, or a loaded entry's start). */
  #entryStart = 0;
  /** The ttl of the entry being written. */
  #entryTtl = 0;
  /** The clock reading of the last `#find` (timed caches only). */
  #found = 0;
  /** [value, key, reason] triples waiting for onEvict, fired once state is consistent */
  #disposals: Disposal<K, V>[] = [];
  /** key -> running load of `fetch`; null when none runs (one check on every write) */
  #inflight: SharedLoads<K, V> | null = null;
  #hits = 0;
  #misses = 0;
  #sets = 0;
  #deletes = 0;
  #evictions = 0;
  #expirations = 0;

  constructor(options: LRUCacheOptions<K, V>) {
    if (options === null || typeof options !== 'object') {
      throw typeError('ERR_LRU_OPTION', 'new LRUCache(options) needs an options object with `max` or `maxSize`');
    }
    const { max, maxSize, maxEntrySize, oversized, sizeOf, ttl, now, onEvict, fetchMethod } = options;
    if (max === undefined && maxSize === undefined) {
      throw rangeError('ERR_LRU_MAX', 'new LRUCache(options) needs `max`, `maxSize` or both');
    }
    if (max !== undefined) {
      positiveInteger(max, 'max', 'ERR_LRU_MAX');
      if (max > MAX_ENTRIES) throw rangeError('ERR_LRU_MAX', `max must be at most 4294967294, got ${max}`);
    }
    this.#sizeOf = optionalFunction(sizeOf, 'sizeOf');
    if (maxSize !== undefined) positiveInteger(maxSize, 'maxSize', 'ERR_LRU_MAX_SIZE');
    if (maxEntrySize !== undefined) positiveInteger(maxEntrySize, 'maxEntrySize', 'ERR_LRU_MAX_ENTRY_SIZE');
    if (oversized !== undefined && oversized !== 'throw' && oversized !== 'drop') {
      throw typeError('ERR_LRU_OPTION', `oversized must be 'throw' or 'drop', got ${String(oversized)}`);
    }
    this.#sized = this.#sizeOf !== null || maxSize !== undefined || maxEntrySize !== undefined;
    this.#maxSize = maxSize ?? 0;
    this.#maxEntrySize = maxEntrySize ?? Infinity;
    this.#limit = Math.min(maxSize ?? Infinity, this.#maxEntrySize);
    this.#drop = oversized === 'drop';
    if (ttl !== undefined && typeof ttl !== 'number') {
      throw typeError('ERR_LRU_OPTION', `ttl must be a number of milliseconds, got ${typeName(ttl)}`);
    }
    if (ttl !== undefined && (!(ttl > 0) || !Number.isFinite(ttl))) {
      throw rangeError('ERR_LRU_TTL', `ttl must be a positive number of milliseconds, got ${String(ttl)}`);
    }
    this.#ttl = ttl ?? 0;
    this.#timed = this.#ttl !== 0;
    this.#updateAgeOnGet = optionalBoolean(options.updateAgeOnGet, 'updateAgeOnGet');
    this.#updateAgeOnHas = optionalBoolean(options.updateAgeOnHas, 'updateAgeOnHas');
    const { staleIfError = 0 } = options;
    if (typeof staleIfError !== 'number') {
      throw typeError('ERR_LRU_OPTION', `staleIfError must be a number of milliseconds, got ${typeName(staleIfError)}`);
    }
    if (!(staleIfError >= 0)) {
      throw rangeError('ERR_LRU_TTL', `staleIfError must be 0 or more milliseconds, got ${staleIfError}`);
    }
    this.#staleIfError = staleIfError;
    this.#now = optionalFunction(now, 'now') ?? defaultNow;
    this.#onEvict = optionalFunction(onEvict, 'onEvict');
    this.#fetchMethod = optionalFunction(fetchMethod, 'fetchMethod');

    const engine = synced(() => new Engine(max ?? MAX_ENTRIES, this.#maxSize));
    this.#engine = engine;
    if (max !== undefined) this.#numbers.limit = max;
    this.#reserve();
    this.#ring = engine.ringPtr >>> 2;
    this.#ringSize = engine.ringSize;
    this.#io = engine.ioPtr >>> 2;
  }

  // ---- reads ----

  /** Returns the value of `key` and marks it most recently used. */
  get(key: K): V | undefined {
    if (this.#timed) return this.#getFresh(key);
    const slot = typeof key === 'string' ? this.#index.get(key) : this.#numberSlot(key);
    if (slot === undefined) return this.#miss();
    this.#touch(slot);
    this.#hits++;
    return this.#values[slot];
  }

  /**
   * Returns the value of `key` without marking it used. A stale entry is removed, unless
   * `allowStale` returns its value and leaves it in place.
   */
  peek(key: K, options?: LRUCachePeekOptions): V | undefined {
    const allowStale = options === undefined ? false : optionalBoolean(options?.allowStale, 'allowStale');
    const slot = this.#find(key, allowStale);
    return slot === undefined ? undefined : this.#values[slot];
  }

  /** Whether `key` is present, without marking it used (with `updateAgeOnHas`, restarting its ttl). */
  has(key: K): boolean {
    const slot = this.#find(key);
    if (slot !== undefined && this.#updateAgeOnHas && this.#timed) this.#starts[slot] = this.#found;
    return slot !== undefined;
  }

  /**
   * Milliseconds until `key` expires: `Infinity` when it never does, 0 when it is absent
   * (or expired, and then removed), as in lru-cache.
   */
  getRemainingTTL(key: K): number {
    const slot = this.#find(key);
    if (slot === undefined) return 0;
    return this.#remaining(slot);
  }

  /** The value, ttl, remaining time and size of `key`, or undefined; does not mark it used. */
  info(key: K): LRUCacheInfo<V> | undefined {
    const slot = this.#find(key);
    if (slot === undefined) return undefined;
    const ttl = this.#timed ? this.#ttls[slot] ?? 0 : 0;
    const size = this.#sized ? this.#sizes[slot] : 1;
    return { value: this.#values[slot], ttl, remaining: this.#remaining(slot), size };
  }

  /** The values of `keys`, in order, each marked used as by `get`. */
  getMany(keys: readonly K[]): (V | undefined)[] {
    if (!Array.isArray(keys)) throw typeError('ERR_LRU_OPTION', 'getMany(keys) needs an array of keys');
    this.#live();
    for (const key of keys) if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
    const out = new Array<V | undefined>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = this.get(keys[i]);
    return out;
  }

  // ---- writes ----

  /**
   * Inserts or replaces `key` and marks it most recently used; `options` may give the
   * entry its own `ttl` (0: it never expires) and `size`.
   */
  set(key: K, value: V, options?: LRUCacheSetOptions): this {
    // The key and options are checked, the user's callbacks (`now`, `sizeOf`) run and
    // the size is checked against the bounds before anything is looked up or changed, so
    // a refused set changes nothing, and the callbacks may throw or even use the cache.
    if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
    // Options are read out of line: a plain set stays small enough to inline.
    if (options !== undefined) {
      this.#setWith(key, value, options);
      return this;
    }
    if (!this.#timed && !this.#sized && this.#inflight === null) {
      // The common cache (no ttl, which makes it timed; no sizes; no fetch running): nothing to check or expire.
      this.#put(key, value, 1);
      return this;
    }
    const time = this.#timed ? this.#now() : 0;
    this.#write(key, value, this.#sized ? this.#measure(value, key) : 1, this.#ttl, time);
    return this;
  }

  /** `set` with per-entry options. */
  #setWith(key: K, value: V, options: LRUCacheSetOptions): void {
    if (options === null || typeof options !== 'object') {
      throw typeError('ERR_LRU_OPTION', `set's options must be an object, got ${typeName(options)}`);
    }
    const ttl = options.ttl === undefined ? this.#ttl : entryTtl(options.ttl);
    let size = options.size === undefined ? 1 : entrySize(options.size);
    // The first entry with a ttl makes the cache timed, once the set is sure to happen.
    const time = this.#timed || ttl !== 0 ? this.#now() : 0;
    if (this.#sized && options.size === undefined) size = this.#measure(value, key);
    if (!this.#sized) size = 1;
    this.#write(key, value, size, ttl, time);
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: K): boolean {
    if (this.#inflight !== null) this.#cancel(key);
    const slot = this.#find(key);
    if (slot === undefined) {
      if (this.#disposals.length !== 0) this.#fire(); // a cancelled load's abort
      return false;
    }
    this.#deletes++;
    this.#remove(slot, 'delete');
    if (this.#disposals.length !== 0) this.#fire();
    return true;
  }

  /**
   * Removes and returns the least recently used entry as `[key, value]` (lru-cache
   * returns the value alone; see the README).
   */
  pop(): [K, V] | undefined {
    this.#live();
    const now = this.#timed ? this.#now() : 0; // before anything changes: it may throw
    for (;;) {
      const engine = this.#live();
      this.#dropVictims();
      const slot = engine.pop(this.#takeHits());
      this.#full = false;
      if (slot === NIL) {
        if (this.#disposals.length !== 0) this.#fire();
        return undefined;
      }
      const key = this.#keys[slot];
      const value = this.#values[slot];
      this.#forget(slot, key);
      if (this.#timed && this.#stale(slot, now)) {
        this.#expirations++;
        this.#dispose(value, key, 'expire');
        continue;
      }
      if (this.#inflight !== null) this.#cancel(key);
      this.#deletes++;
      this.#dispose(value, key, 'delete');
      if (this.#disposals.length !== 0) this.#fire();
      return [key, value];
    }
  }

  /** Removes every entry, reporting them to onEvict oldest first (as lru-cache does). */
  clear(): void {
    const engine = this.#live();
    if (this.#onEvict !== null) {
      for (const slot of this.#order().reverse()) {
        this.#disposals.push([this.#values[slot], this.#keys[slot], 'clear']);
      }
    }
    if (this.#inflight !== null) {
      for (const controller of this.#inflight.clear()) this.#disposals.push([controller, undefined as never, null]);
      this.#inflight = null;
    }
    this.#dropVictims();
    engine.clear();
    this.#pending = this.#swept = 0;
    this.#full = false;
    this.#index = new Map();
    this.#numbers.clear();
    this.#reserve();
    this.#starts = [];
    this.#ttls = [];
    this.#sizes = [];
    if (this.#disposals.length !== 0) this.#fire();
  }

  /** Empty slot arrays: of the count bound's length when it is at most PREALLOCATE. */
  #reserve(): void {
    const cap = this.#engine!.cap;
    const reserve = cap <= PREALLOCATE;
    this.#keys = reserve ? new Array(cap) : [];
    this.#values = reserve ? new Array(cap) : [];
    if (reserve && this.#marks.length < cap) this.#marks = new Uint8Array(cap);
  }

  /**
   * Returns the cached value or loads, caches and returns it; concurrent calls share one
   * load. The second argument is a loader or `{ loader, ttl, size, allowStale,
   * forceRefresh, context, signal }`; the loader is called as
   * `loader(key, { signal, staleValue, context })`. A stale entry is refreshed: the fetch
   * waits for the load, or with `allowStale` resolves with the stale value at once while
   * one load runs in the background. A set, delete, eviction or clear of the key during
   * the load cancels it (it is not stored) and aborts the loader's signal.
   */
  fetch(key: K, options?: LRUCacheLoader<K, V> | LRUCacheFetchOptions<K, V>): Promise<V> {
    let loader: LRUCacheLoader<K, V> | undefined;
    let fetchOptions: LRUCacheFetchOptions<K, V> = {};
    let setOptions: LRUCacheSetOptions | undefined;
    let now = 0;
    let slot: number | undefined;
    try {
      if (typeof options === 'function') {
        loader = options;
      } else if (options !== undefined) {
        if (options === null || typeof options !== 'object') {
          throw typeError('ERR_LRU_OPTION', `fetch's loader must be a function, got ${typeName(options)}`);
        }
        fetchOptions = options;
        loader = optionalFunction(options.loader, 'loader') ?? undefined;
        optionalBoolean(options.allowStale, 'allowStale');
        optionalBoolean(options.forceRefresh, 'forceRefresh');
        const { ttl, size, signal } = options;
        if (ttl !== undefined) entryTtl(ttl);
        if (size !== undefined) entrySize(size);
        if (ttl !== undefined || size !== undefined) setOptions = { ttl, size };
        if (
          signal !== undefined &&
          (signal === null || typeof signal !== 'object' || typeof signal.addEventListener !== 'function')
        ) {
          throw typeError('ERR_LRU_OPTION', `signal must be an AbortSignal, got ${typeName(signal)}`);
        }
        if (signal?.aborted === true) return Promise.reject(signal.reason);
      }
      if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
      this.#live();
      if (this.#timed) now = this.#now();
      slot = this.#slotOf(key);
    } catch (error) {
      return Promise.reject(error); // a bad key or option, a freed cache: a rejection, as from any async call
    }
    const { allowStale = false, forceRefresh = false, context, signal } = fetchOptions;
    let staleValue: V | undefined;
    let hasStale = false;
    if (slot !== undefined) {
      const stale = this.#timed && this.#stale(slot, now);
      if (!stale && !forceRefresh) {
        if (this.#updateAgeOnGet && this.#timed) this.#starts[slot] = now;
        this.#touch(slot);
        this.#hits++;
        return Promise.resolve(this.#values[slot]);
      }
      staleValue = this.#values[slot];
      hasStale = true;
    }
    const running = this.#inflight?.running(key);
    if (running !== undefined) return hasStale && allowStale ? Promise.resolve(staleValue as V) : running;
    const load = loader ?? this.#fetchMethod;
    if (load === null) {
      return Promise.reject(typeError('ERR_LRU_NO_LOADER', 'fetch needs a loader argument or a `fetchMethod` option'));
    }
    this.#misses++;
    const controller = new AbortController();
    const loaderOptions: LRUCacheLoaderOptions<V> = { signal: controller.signal, staleValue, context };
    const loading = startLoad<K, V, V>(
      key,
      (key) => load(key, loaderOptions),
      (value, loading) => {
        // A set, delete, eviction or clear of the key while it loaded cancels the load: it
        // is not stored. An onEvict that throws while it is stored rejects, as `set` throws.
        if (this.#inflight?.isCurrent(key, loading) !== true) return value;
        this.#finish(key);
        this.set(key, value, setOptions);
        return value;
      },
      (error, loading) => {
        if (this.#inflight?.isCurrent(key, loading) !== true) throw error;
        this.#finish(key);
        return this.#failedRefresh(key, error);
      },
    );
    // Registered once the loader has returned: a loader that uses the cache synchronously
    // cannot cancel its own load.
    (this.#inflight ??= new SharedLoads()).add(key, loading, controller);
    if (hasStale && allowStale) {
      loading.then(undefined, () => {}); // the caller has the stale value; the refresh's failure is handled above
      return Promise.resolve(staleValue as V);
    }
    if (signal === undefined) return loading;
    return new Promise<V>((resolve, reject) => {
      const onAbort = () => {
        if (this.#inflight?.isCurrent(key, loading) === true) this.#finish(key);
        controller.abort(signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = () => signal.removeEventListener('abort', onAbort);
      loading.then(done, done);
      loading.then(resolve, reject);
    });
  }

  /**
   * After the current load of `key` failed: a stale entry of `key` within `staleIfError`
   * of its expiry is the result; otherwise it is removed and the error thrown.
   */
  #failedRefresh(key: K, error: unknown): V {
    const slot = this.#slotOf(key);
    if (slot !== undefined && this.#engine !== null && this.#timed) {
      const now = this.#now();
      if (this.#stale(slot, now)) {
        if (now - this.#starts[slot] - this.#ttls[slot] <= this.#staleIfError) return this.#values[slot];
        this.#expirations++;
        this.#remove(slot, 'expire');
        if (this.#disposals.length !== 0) this.#fire();
      }
    }
    throw error;
  }

  // ---- size and bounds ----

  /** The number of entries; expired entries count until they are touched or purged. */
  get size(): number {
    const engine = this.#live();
    if (this.#pending !== 0) this.#flush();
    return engine.len;
  }

  /**
   * The most entries the cache holds (4294967294 in a cache given only `maxSize`);
   * assigning resizes, evicting the oldest first.
   */
  get max(): number {
    return this.#live().cap;
  }

  set max(max: number) {
    positiveInteger(max, 'max', 'ERR_LRU_MAX');
    if (max > MAX_ENTRIES) throw rangeError('ERR_LRU_MAX', `max must be at most 4294967294, got ${max}`);
    const engine = this.#live();
    if (this.#timed) this.#time = this.#now();
    this.#dropVictims();
    engine.resize(max, this.#takeHits());
    this.#numbers.limit = max;
    this.#full = false;
    syncView();
    this.#drain('resize');
    if (this.#disposals.length !== 0) this.#fire();
  }

  /** The size budget, or 0 when there is none. */
  get maxSize(): number {
    this.#live();
    return this.#maxSize;
  }

  /** The sum of `sizeOf` over the entries (their count without `sizeOf`). */
  get totalSize(): number {
    const engine = this.#live();
    if (this.#pending !== 0) this.#flush();
    return engine.weight;
  }

  /** Removes expired entries; returns how many. */
  purgeStale(): number {
    this.#live();
    if (!this.#timed) return 0;
    const now = this.#now();
    let removed = 0;
    for (const slot of this.#order()) {
      if (this.#stale(slot, now)) {
        this.#expirations++;
        this.#remove(slot, 'expire');
        removed++;
      }
    }
    if (this.#disposals.length !== 0) this.#fire();
    return removed;
  }

  // ---- iteration (over the keys present when the iterator is made; see #walk) ----

  /**
   * Keys, most recently used first: those present when the iterator is made, each
   * looked up again when reached (so are the other iterators).
   */
  keys(): IterableIterator<K> {
    return this.#walk(true, (slot) => this.#keys[slot]);
  }

  /** Values, most recently used first. */
  values(): IterableIterator<V> {
    return this.#walk(true, (slot) => this.#values[slot]);
  }

  /** Entries, most recently used first. */
  entries(): IterableIterator<[K, V]> {
    return this.#walk(true, (slot) => [this.#keys[slot], this.#values[slot]]);
  }

  /** Keys, least recently used first. */
  rkeys(): IterableIterator<K> {
    return this.#walk(false, (slot) => this.#keys[slot]);
  }

  /** Values, least recently used first. */
  rvalues(): IterableIterator<V> {
    return this.#walk(false, (slot) => this.#values[slot]);
  }

  /** Entries, least recently used first. */
  rentries(): IterableIterator<[K, V]> {
    return this.#walk(false, (slot) => [this.#keys[slot], this.#values[slot]]);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Calls `fn` for each entry, most recently used first. */
  forEach(fn: (value: V, key: K, cache: this) => void, thisArg?: unknown): void {
    if (typeof fn !== 'function') throw typeError('ERR_LRU_OPTION', 'forEach needs a function');
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }

  /** Calls `fn` for each entry, least recently used first. */
  rforEach(fn: (value: V, key: K, cache: this) => void, thisArg?: unknown): void {
    if (typeof fn !== 'function') throw typeError('ERR_LRU_OPTION', 'rforEach needs a function');
    for (const [key, value] of this.rentries()) fn.call(thisArg, value, key, this);
  }

  /**
   * The value of the first entry, most recently used first, for which `fn` returns a
   * truthy value, marked used as by `get` (as lru-cache's `find`); undefined if none.
   */
  find(fn: (value: V, key: K, cache: this) => unknown): V | undefined {
    if (typeof fn !== 'function') throw typeError('ERR_LRU_OPTION', 'find needs a function');
    for (const [key, value] of this.entries()) {
      if (fn(value, key, this)) return this.get(key);
    }
    return undefined;
  }

  /**
   * The entries, least recently used first, for `load`, in lru-cache's dump format and
   * order: `[key, { value, ttl, start, size }]`. `ttl` (0: never expires) and `start`
   * (when the entry's life began, in milliseconds since the epoch) are given by caches
   * whose entries may expire, `size` by caches that measure sizes. Expired entries are
   * left out.
   */
  dump(): LRUCacheDumpEntry<K, V>[] {
    const slots = this.#order().reverse();
    const out: LRUCacheDumpEntry<K, V>[] = [];
    if (!this.#timed && !this.#sized) {
      for (const slot of slots) out.push([this.#keys[slot], { value: this.#values[slot] }]);
      return out;
    }
    const now = this.#timed ? this.#now() : 0;
    // The entry's age in the cache's clock, as a time on the wall clock (as lru-cache does).
    const wall = this.#timed ? Date.now() : 0;
    for (const slot of slots) {
      const entry: LRUCacheEntryInfo<V> = { value: this.#values[slot] };
      if (this.#timed) {
        if (this.#stale(slot, now)) continue;
        entry.ttl = this.#ttls[slot] ?? 0;
        entry.start = Math.floor(wall - (now - (this.#starts[slot] ?? now)));
      }
      if (this.#sized) entry.size = this.#sizes[slot];
      out.push([this.#keys[slot], entry]);
    }
    return out;
  }

  /**
   * Replaces the contents with `entries`, least recently used first (the last is the
   * newest), as `dump()` gives them and as lru-cache's `dump()` and `load()` do: the
   * output of either library's `dump()`, or plain `[key, value]` pairs. An entry whose
   * second element is a plain object with a `value` and no keys other than `value`,
   * `ttl`, `start` and `size` is read as `{ value, ttl, start, size }`: it lives `ttl`
   * (0: forever; absent: the cache's ttl) from `start` (milliseconds since the epoch;
   * absent: now), so an entry whose life is over is not loaded; `size` is its size in a
   * cache that measures sizes (absent: `sizeOf` measures it). A refused load changes
   * nothing.
   */
  load(entries: readonly (readonly [K, V] | readonly [K, LRUCacheEntryInfo<V>])[]): void {
    if (!Array.isArray(entries)) throw typeError('ERR_LRU_OPTION', 'load(entries) needs an array from dump()');
    this.#live();
    const list = Array.from(entries as readonly unknown[]);
    // Whether an entry has a ttl of its own, which makes the cache timed.
    const timed = this.#timed ||
      list.some((entry) =>
        Array.isArray(entry) && isEntryInfo(entry[1]) && typeof entry[1].ttl === 'number' && entry[1].ttl > 0
      );
    const now = timed ? this.#now() : 0;
    const wall = timed ? Date.now() : 0;
    // Every entry is checked and measured before anything is cleared: a refused load
    // changes nothing.
    const keys: K[] = [];
    const values: V[] = [];
    const sizes: number[] = [];
    const starts: number[] = [];
    const ttls: number[] = [];
    for (const entry of list) {
      if (!Array.isArray(entry) || entry.length < 2) {
        throw typeError(
          'ERR_LRU_OPTION',
          'load(entries) needs [key, value] pairs or [key, { value, ttl, start, size }] entries',
        );
      }
      const key: unknown = entry[0];
      if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
      const item: unknown = entry[1];
      let value = item as V;
      let ttl = this.#ttl;
      let start = now;
      let size: number | undefined;
      if (isEntryInfo(item)) {
        value = item.value as V;
        if (item.ttl !== undefined) ttl = entryTtl(item.ttl);
        if (item.start !== undefined) {
          if (typeof item.start !== 'number') {
            throw typeError('ERR_LRU_OPTION', 'load(entries): start must be a number');
          }
          start = now - (wall - item.start);
        }
        if (item.size !== undefined && this.#sized) size = entrySize(item.size);
      }
      if (timed && ttl > 0 && !(now - start <= ttl)) continue;
      size = this.#sized ? size ?? this.#measure(value, key as K) : 1;
      if (size > this.#limit) {
        if (this.#drop) continue;
        this.#tooLarge(size);
      }
      keys.push(key as K);
      values.push(value);
      sizes.push(size);
      starts.push(start);
      ttls.push(ttl);
    }
    // An onEvict that throws (as the old entries are cleared, or as loaded entries
    // evict each other) does not stop the load; its error is thrown once every entry
    // is in.
    let failure: { error: unknown } | null = null;
    try {
      this.clear();
    } catch (error) {
      failure = { error };
    }
    this.#timed = timed;
    this.#time = now;
    for (let i = 0; i < keys.length; i++) {
      this.#entryStart = starts[i];
      this.#entryTtl = ttls[i];
      try {
        this.#put(keys[i], values[i], sizes[i]);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
  }

  // ---- statistics ----

  /** Counters since creation or `resetStats()`. */
  get stats(): LRUCacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
      sets: this.#sets,
      deletes: this.#deletes,
      evictions: this.#evictions,
      expirations: this.#expirations,
      size: this.size,
      totalSize: this.totalSize,
    };
  }

  resetStats(): void {
    this.#live();
    this.#hits =
      this.#misses =
      this.#sets =
      this.#deletes =
      this.#evictions =
      this.#expirations =
        0;
  }

  // ---- lifetime ----

  /** Releases the wasm memory; later use throws `ERR_LRU_FREED`. */
  free(): void {
    if (this.#engine === null) return;
    this.#engine.free();
    this.#engine = null;
    this.#index = new Map();
    this.#numbers.clear();
    this.#keys = [];
    this.#values = [];
    this.#starts = [];
    this.#ttls = [];
    this.#sizes = [];
    this.#pending = this.#swept = 0;
    // Running loads are not stored; their loaders are told.
    const controllers = this.#inflight?.clear() ?? [];
    this.#inflight = null;
    for (const controller of controllers) controller.abort();
  }

  [dispose](): void {
    this.free();
  }

  /** `'LRUCache'`, so that `String(cache)` is `'[object LRUCache]'`, as for lru-cache. */
  get [Symbol.toStringTag](): string {
    return 'LRUCache';
  }

  // ---- internals ----

  /**
   * Expires `key` if it is stale at `#time` (the write's clock reading), so that
   * replacing an expired entry counts as its expiry.
   */
  #expireStale(key: K): void {
    const slot = typeof key === 'string' ? this.#index.get(key) : this.#numbers.get(key);
    if (slot !== undefined && this.#stale(slot, this.#time)) {
      this.#expirations++;
      this.#remove(slot, 'expire');
    }
  }

  /**
   * The slot of `key`, a string or a number, or undefined, for the paths that are not
   * hot. `get`, `set` and the ttl paths they take (`#getFresh`, `#expireStale`) and
   * `#find` write this lookup out themselves, so that they compile to the JavaScript
   * they always did: one inline property lookup, no further call.
   */
  #slotOf(key: K): number | undefined {
    return typeof key === 'string' ? this.#index.get(key) : this.#numbers.get(key);
  }

  /**
   * The second half of `set`, once the key, options and size are checked: `ttl` and
   * `time` are the entry's ttl and the clock reading.
   */
  #write(key: K, value: V, size: number, ttl: number, time: number): void {
    if (size > this.#limit && this.#oversize(key, size)) return;
    // A running fetch of the key is not stored: this set wins.
    if (this.#inflight !== null) this.#cancel(key);
    if (ttl !== 0) this.#timed = true;
    if (this.#timed) {
      this.#time = this.#entryStart = time;
      this.#entryTtl = ttl;
      this.#expireStale(key);
    }
    this.#put(key, value, size);
  }

  /**
   * An entry of `size` above `#limit`: throws (`oversized: 'throw'`, nothing changed), or
   * removes the key's entry with reason 'oversized' and returns true (`'drop'`).
   */
  #oversize(key: K, size: number): boolean {
    if (!this.#drop) this.#tooLarge(size);
    if (this.#inflight !== null) this.#cancel(key);
    const slot = this.#slotOf(key);
    if (slot !== undefined) this.#remove(slot, 'oversized');
    if (this.#disposals.length !== 0) this.#fire();
    return true;
  }

  /** Throws the error for an entry of `size` above `#limit`. */
  #tooLarge(size: number): never {
    if (size > this.#maxEntrySize) {
      throw rangeError(
        'ERR_LRU_ENTRY_SIZE',
        `an entry of size ${size} is larger than maxEntrySize (${this.#maxEntrySize}); it was not stored`,
      );
    }
    const engine = this.#live();
    synced(() => engine.checkWeight(size));
    throw rangeError('ERR_LRU_ENTRY_SIZE', `an entry of size ${size} is larger than maxSize; it was not stored`);
  }

  /**
   * Stores an entry whose key and size are checked, as the newest, with the ttl and
   * start in `#entryTtl` and `#entryStart` (read only by timed caches).
   */
  #put(key: K, value: V, size: number): void {
    let slot = typeof key === 'string' ? this.#index.get(key) : this.#numbers.get(key);
    if (slot === undefined) {
      slot = this.#insert(size);
      if (typeof key === 'string') {
        this.#index.set(key, slot);
      } else {
        if (key === 0) key = 0 as K; // -0 is stored as +0, as in a Map
        this.#numbers.add(key as number, slot);
      }
      this.#store(slot, key, value);
    } else {
      this.#replace(slot, this.#keys[slot], value, size);
    }
    if (this.#sized) this.#sizes[slot] = size;
    this.#sets++;
    if (this.#disposals.length !== 0) this.#fire();
  }

  /** Whether the entry at `slot` is stale at `now`: older than its ttl (a NaN clock makes every entry with a ttl stale). */
  #stale(slot: number, now: number): boolean {
    const ttl = this.#ttls[slot];
    return ttl > 0 && !(now - this.#starts[slot] <= ttl);
  }

  /** Milliseconds until the live entry at `slot` expires (after `#find`, whose clock reading it uses). */
  #remaining(slot: number): number {
    const ttl = this.#timed ? this.#ttls[slot] : 0;
    if (!(ttl > 0)) return Infinity;
    return ttl - (this.#found - this.#starts[slot]);
  }

  /** `get` for a cache with a ttl: the clock is read before the key is looked up. */
  #getFresh(key: K): V | undefined {
    if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
    const now = this.#now();
    const slot = typeof key === 'string' ? this.#index.get(key) : this.#numbers.get(key);
    if (slot === undefined || this.#expired(slot, now)) return this.#miss();
    if (this.#updateAgeOnGet) this.#starts[slot] = now;
    this.#touch(slot);
    this.#hits++;
    return this.#values[slot];
  }

  /**
   * Forgets the running load of `key`, if any: it will not be stored, and its signal is
   * aborted once the cache is consistent (with the onEvict calls).
   */
  #cancel(key: K): void {
    const controller = this.#inflight!.cancel(key);
    if (this.#inflight!.size === 0) this.#inflight = null;
    if (controller !== undefined) this.#disposals.push([controller, key, null]);
  }

  /** Forgets the load of `key` as it ends: it stores its own value. */
  #finish(key: K): void {
    this.#inflight!.cancel(key);
    if (this.#inflight!.size === 0) this.#inflight = null;
  }

  #live(): Engine {
    if (this.#engine === null) throw freed();
    return this.#engine;
  }

  #miss(): undefined {
    this.#live();
    this.#misses++;
    return undefined;
  }

  #flush(): void {
    this.#engine!.flush(this.#takeHits());
  }

  /** The slot of a number key, or undefined; throws for keys that are neither. */
  #numberSlot(key: unknown): number | undefined {
    if (typeof key !== 'number') throw badKey(key);
    return this.#numbers.get(key);
  }

  /**
   * The live slot of `key` without marking it used; stale entries are removed (or, with
   * `allowStale`, returned). In a timed cache the clock is read first (and kept in
   * `#found`), so that a clock that uses the cache cannot change the entry between the
   * lookup and the check.
   */
  #find(key: K, allowStale = false): number | undefined {
    let now = 0;
    if (this.#timed) {
      if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
      now = this.#found = this.#now();
    }
    const slot = typeof key === 'string' ? this.#index.get(key) : this.#numberSlot(key);
    if (slot === undefined) {
      this.#live();
      return undefined;
    }
    if (!this.#timed || (allowStale && this.#stale(slot, now))) return slot;
    return this.#expired(slot, now) ? undefined : slot;
  }

  /** Whether `slot` is stale at `now`; if so it is removed with reason 'expire'. */
  #expired(slot: number, now: number): boolean {
    if (!this.#stale(slot, now)) return false;
    this.#expirations++;
    this.#remove(slot, 'expire');
    if (this.#disposals.length !== 0) this.#fire();
    return true;
  }

  #measure(value: V, key: K): number {
    if (this.#sizeOf === null) {
      throw typeError('ERR_LRU_SIZE_OF', 'this cache has no sizeOf: each entry needs a `size` option');
    }
    const size: unknown = this.#sizeOf(value, key);
    if (typeof size !== 'number' || !(size > 0) || size > Number.MAX_SAFE_INTEGER) {
      throw rangeError('ERR_LRU_SIZE_OF', `sizeOf must return a positive finite number, got ${String(size)}`);
    }
    return Math.ceil(size);
  }

  /** Takes a new slot of `size` from the engine, evicting as needed. */
  #insert(size: number): number {
    const engine = this.#live();
    if (this.#full && !this.#sized) {
      const victim = this.#nextVictim();
      if (victim !== NIL) {
        this.#evicted(victim, this.#keys[victim], 'evict');
        this.#touch(victim);
        return victim;
      }
    }
    this.#dropVictims();
    const slot = engine.insert(size, this.#takeHits());
    if (slot === NIL) synced(() => engine.checkWeight(size));
    syncView();
    if (!this.#sized) {
      // Bounded by count alone, an insert evicts at most one entry, and the engine
      // hands its slot straight back: an occupied slot means that eviction happened.
      const old = this.#keys[slot];
      if (old !== undefined) {
        this.#evicted(slot, old, 'evict');
        this.#full = true;
      }
    } else if (U32[this.#io] !== 0) {
      this.#drain('evict');
    }
    if (slot >= this.#marks.length) this.#growMarks(slot);
    return slot;
  }

  /** The next victim not promoted since it was queued, or NIL when the engine has none. */
  #nextVictim(): number {
    if (this.#swept !== this.#pending) this.#sweep();
    for (;;) {
      if (this.#victimNext === this.#victimCount && !this.#refillVictims()) return NIL;
      const slot = this.#victims[this.#victimNext++];
      if (this.#marks[slot] !== 0) {
        this.#marks[slot] = 0;
        return slot;
      }
    }
  }

  #refillVictims(): boolean {
    const count = this.#engine!.victims(VICTIMS, this.#takeHits());
    syncView();
    const base = U32[this.#io + 1] >>> 2;
    this.#victims.set(U32.subarray(base, base + count));
    for (let i = 0; i < count; i++) this.#marks[this.#victims[i]] = 1;
    this.#victimNext = 0;
    this.#victimCount = count;
    return count !== 0;
  }

  /** Forgets the queued victims: called before any engine call that changes the order. */
  #dropVictims(): void {
    for (let i = this.#victimNext; i < this.#victimCount; i++) this.#marks[this.#victims[i]] = 0;
    this.#victimNext = this.#victimCount = 0;
  }

  #growMarks(slot: number): void {
    const marks = new Uint8Array(Math.max(slot + 1, this.#marks.length * 2));
    marks.set(this.#marks);
    this.#marks = marks;
  }

  /** Records a use of `slot`: the engine replays it before anything reads the order. */
  #touch(slot: number): void {
    U32[this.#ring + this.#pending] = slot;
    if (++this.#pending === this.#ringSize) this.#flush();
  }

  /** Records a ring entry other than a hit. */
  #record(entry: number): void {
    U32[this.#ring + this.#pending] = entry;
    if (++this.#pending === this.#ringSize) this.#flush();
  }

  /**
   * The number of hits recorded in the ring, for an engine call that replays them
   * first; the ring is empty afterwards. Queued victims hit since they were queued are
   * unmarked first, as the replay will make them the newest.
   */
  #takeHits(): number {
    const pending = this.#pending;
    if (this.#swept !== pending && this.#victimNext !== this.#victimCount) this.#sweep();
    this.#pending = this.#swept = 0;
    return pending;
  }

  /** Unmarks the slots hit since the last sweep: they are no longer victims. */
  #sweep(): void {
    const marks = this.#marks;
    const ring = this.#ring;
    for (let i = this.#swept; i < this.#pending; i++) marks[U32[ring + i] & ~REMOVAL] = 0;
    this.#swept = this.#pending;
  }

  #store(slot: number, key: K, value: V): void {
    this.#keys[slot] = key;
    this.#values[slot] = value;
    if (this.#timed) {
      this.#starts[slot] = this.#entryStart;
      this.#ttls[slot] = this.#entryTtl;
    }
  }

  /**
   * Replaces the value of the key at `slot`, marking it used. The old value is reported
   * ('set') before the entries its new size evicts, as lru-cache does.
   */
  #replace(slot: number, key: K, value: V, size: number): void {
    if (!this.#sized) {
      this.#touch(slot);
      this.#replaced(slot, key, value);
      return;
    }
    const engine = this.#engine!;
    if (engine.update(slot, size, this.#takeHits()) === NIL) synced(() => engine.checkWeight(size));
    syncView();
    this.#replaced(slot, key, value);
    if (U32[this.#io] !== 0) this.#drain('evict');
  }

  #replaced(slot: number, key: K, value: V): void {
    const old = this.#values[slot];
    this.#values[slot] = value;
    if (this.#timed) {
      this.#starts[slot] = this.#entryStart;
      this.#ttls[slot] = this.#entryTtl;
    }
    if (old !== value) this.#dispose(old, key, 'set');
  }

  /**
   * Removes a live slot, queueing onEvict. The removal is recorded in the ring, like a
   * hit, and the engine frees the slot when it next replays the ring, before it could
   * hand the slot out again. The cache is then not full, so the next insertion goes to
   * the engine and drops the queued victims first (one of them may be this slot).
   */
  #remove(slot: number, reason: EvictionReason): void {
    this.#record(slot + REMOVAL);
    this.#full = false;
    const key = this.#keys[slot];
    const value = this.#values[slot];
    this.#forget(slot, key);
    this.#dispose(value, key, reason);
  }

  #forget(slot: number, key: K): void {
    if (typeof key === 'string') this.#index.delete(key);
    else this.#numbers.delete(key);
    this.#keys[slot] = undefined as never;
    this.#values[slot] = undefined as never;
  }

  /** Clears the slots the engine just evicted (published in the I/O block). */
  #drain(reason: EvictionReason): void {
    const count = U32[this.#io];
    const base = U32[this.#io + 1] >>> 2;
    for (let i = 0; i < count; i++) {
      const slot = U32[base + i];
      this.#evicted(slot, this.#keys[slot], reason);
    }
    U32[this.#io] = 0;
  }

  /** Clears a slot the engine evicted; an expired entry counts as expired. */
  #evicted(slot: number, key: K, reason: EvictionReason): void {
    const value = this.#values[slot];
    this.#forget(slot, key);
    if (this.#inflight !== null) this.#cancel(key);
    if (this.#timed && this.#stale(slot, this.#time)) {
      this.#expirations++;
      this.#dispose(value, key, 'expire');
    } else {
      this.#evictions++;
      this.#dispose(value, key, reason);
    }
  }

  #dispose(value: V, key: K, reason: EvictionReason): void {
    if (this.#onEvict !== null) this.#disposals.push([value, key, reason]);
  }

  /**
   * Calls onEvict for everything queued and aborts the cancelled loads; state is
   * consistent by now, so callbacks (and abort listeners) may re-enter.
   */
  #fire(): void {
    const queued = this.#disposals;
    this.#disposals = [];
    const onEvict = this.#onEvict;
    callEach(queued, (item) => {
      if (item[2] === null) item[0].abort();
      else onEvict!(item[0], item[1], item[2]);
    });
  }

  /** Live slots, newest first, as a fresh array. */
  #order(): number[] {
    const count = this.#live().snapshot(this.#takeHits());
    return publishedSlots(this.#io, count);
  }

  /**
   * An iterator of `pick(slot)` over the keys present now (when the iterator is made,
   * not at its first `next()`), in the asked direction, each looked up again when
   * reached: a key removed meanwhile is skipped (unless it was set again), a key added
   * meanwhile is not visited, and entries expired when the iterator was made are left
   * out. Slots are not compared, since a removed key's slot can be reused by another.
   */
  #walk<T>(newestFirst: boolean, pick: (slot: number) => T): IterableIterator<T> {
    const slots = this.#order();
    if (!newestFirst) slots.reverse();
    const keys = slots.map((slot) => this.#keys[slot]);
    const now = this.#timed ? this.#now() : 0;
    // A generator function has its own `this`.
    // deno-lint-ignore no-this-alias
    const cache = this;
    return (function* walk() {
      for (const key of keys) {
        const slot = cache.#slotOf(key);
        if (slot === undefined) continue;
        if (cache.#timed && cache.#stale(slot, now)) continue;
        yield pick(slot);
      }
    })();
  }
}
