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
export type EvictionReason = 'evict' | 'set' | 'delete' | 'clear' | 'expire' | 'resize';

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
  /** The default loader for `fetch` (lru-cache's name for it). */
  fetchMethod?: (key: K) => V | PromiseLike<V>;
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

/** A `[value, key, reason]` triple waiting for onEvict. */
type Disposal<K, V> = [V, K, EvictionReason];

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
  /** slot -> expiry time, when ttl is set */
  #expires: number[] = [];
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
  #maxSize: number;
  #ttl: number;
  #now: () => number;
  #onEvict: ((value: V, key: K, reason: EvictionReason) => void) | null;
  #fetchMethod: ((key: K) => V | PromiseLike<V>) | null;
  /** The time of the current write, read once from `now` before it changes anything (ttl only). */
  #time = 0;
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
      throw typeError('ERR_LRU_OPTION', 'new LRUCache(options) needs an options object with `max`');
    }
    const { max, maxSize, sizeOf, ttl, now, onEvict, fetchMethod } = options;
    positiveInteger(max, 'max', 'ERR_LRU_MAX');
    if (max > 0xfffffffe) throw rangeError('ERR_LRU_MAX', `max must be at most 4294967294, got ${max}`);
    this.#sizeOf = optionalFunction(sizeOf, 'sizeOf');
    if (maxSize !== undefined) {
      positiveInteger(maxSize, 'maxSize', 'ERR_LRU_MAX_SIZE');
      if (this.#sizeOf === null) {
        throw typeError('ERR_LRU_SIZE_OF', 'maxSize needs a sizeOf(value, key) function to measure entries');
      }
    }
    this.#maxSize = maxSize ?? 0;
    if (ttl !== undefined && typeof ttl !== 'number') {
      throw typeError('ERR_LRU_OPTION', `ttl must be a number of milliseconds, got ${typeName(ttl)}`);
    }
    if (ttl !== undefined && (!(ttl > 0) || !Number.isFinite(ttl))) {
      throw rangeError('ERR_LRU_TTL', `ttl must be a positive number of milliseconds, got ${String(ttl)}`);
    }
    this.#ttl = ttl ?? 0;
    this.#now = optionalFunction(now, 'now') ?? defaultNow;
    this.#onEvict = optionalFunction(onEvict, 'onEvict');
    this.#fetchMethod = optionalFunction(fetchMethod, 'fetchMethod');

    const engine = synced(() => new Engine(max, this.#maxSize));
    this.#engine = engine;
    this.#ring = engine.ringPtr >>> 2;
    this.#ringSize = engine.ringSize;
    this.#io = engine.ioPtr >>> 2;
  }

  // ---- reads ----

  /** Returns the value of `key` and marks it most recently used. */
  get(key: K): V | undefined {
    if (this.#ttl !== 0) return this.#getFresh(key);
    const slot = typeof key === 'string' ? this.#index.get(key) : this.#numberSlot(key);
    if (slot === undefined) return this.#miss();
    this.#touch(slot);
    this.#hits++;
    return this.#values[slot];
  }

  /** Returns the value of `key` without marking it used. */
  peek(key: K): V | undefined {
    const slot = this.#find(key);
    return slot === undefined ? undefined : this.#values[slot];
  }

  /** Whether `key` is present, without marking it used. */
  has(key: K): boolean {
    return this.#find(key) !== undefined;
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

  /** Inserts or replaces `key` and marks it most recently used. */
  set(key: K, value: V): this {
    // The key is checked, the user's callbacks (`now`, `sizeOf`) run and the size is
    // checked against the budget before anything is looked up or changed, so a refused
    // set changes nothing, and the callbacks may throw or even use the cache.
    if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
    if (this.#ttl !== 0) this.#time = this.#now();
    const size = this.#sizeOf === null ? 1 : this.#measure(value, key);
    if (size > this.#maxSize && this.#maxSize !== 0) this.#refuse(size);
    // A running fetch of the key is not stored: this set wins.
    if (this.#inflight !== null) this.#cancel(key);
    if (this.#ttl !== 0) this.#expireStale(key);
    const slot = typeof key === 'string' ? this.#index.get(key) : this.#numbers.get(key);
    if (slot === undefined) {
      const fresh = this.#insert(size);
      if (typeof key === 'string') {
        this.#index.set(key, fresh);
      } else {
        if (key === 0) key = 0 as K; // -0 is stored as +0, as in a Map
        this.#numbers.add(key as number, fresh);
      }
      this.#store(fresh, key, value);
    } else {
      this.#replace(slot, this.#keys[slot], value, size);
    }
    this.#sets++;
    if (this.#disposals.length !== 0) this.#fire();
    return this;
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: K): boolean {
    if (this.#inflight !== null) this.#cancel(key);
    const slot = this.#find(key);
    if (slot === undefined) return false;
    this.#deletes++;
    this.#remove(slot, 'delete');
    if (this.#disposals.length !== 0) this.#fire();
    return true;
  }

  /** Removes and returns the least recently used entry. */
  pop(): [K, V] | undefined {
    this.#live();
    const now = this.#ttl === 0 ? 0 : this.#now(); // before anything changes: it may throw
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
      if (this.#ttl !== 0 && !(this.#expires[slot] > now)) {
        this.#expirations++;
        this.#dispose(value, key, 'expire');
        continue;
      }
      this.#deletes++;
      this.#dispose(value, key, 'delete');
      if (this.#disposals.length !== 0) this.#fire();
      return [key, value];
    }
  }

  /** Removes every entry. */
  clear(): void {
    const engine = this.#live();
    this.#inflight = null;
    if (this.#onEvict !== null) {
      for (const slot of this.#order()) this.#disposals.push([this.#values[slot], this.#keys[slot], 'clear']);
    }
    this.#dropVictims();
    engine.clear();
    this.#pending = this.#swept = 0;
    this.#full = false;
    this.#index = new Map();
    this.#numbers.clear();
    this.#keys = [];
    this.#values = [];
    this.#expires = [];
    if (this.#disposals.length !== 0) this.#fire();
  }

  /** Returns the cached value or loads, caches and returns it; concurrent calls share one load. */
  fetch(key: K, loader?: (key: K) => V | PromiseLike<V>): Promise<V> {
    if (loader !== undefined && typeof loader !== 'function') {
      return Promise.reject(typeError('ERR_LRU_OPTION', `fetch's loader must be a function, got ${typeName(loader)}`));
    }
    let slot: number | undefined;
    try {
      slot = this.#find(key);
    } catch (error) {
      return Promise.reject(error); // a bad key or a freed cache: a rejection, as from any async call
    }
    if (slot !== undefined) {
      this.#touch(slot);
      this.#hits++;
      return Promise.resolve(this.#values[slot]);
    }
    const running = this.#inflight?.running(key);
    if (running !== undefined) return running;
    const load = loader ?? this.#fetchMethod;
    if (load === null) {
      return Promise.reject(typeError('ERR_LRU_NO_LOADER', 'fetch needs a loader argument or a `fetchMethod` option'));
    }
    this.#misses++;
    const loading = startLoad<K, V, V>(
      key,
      load,
      (value, loading) => {
        // A set, delete or clear of the key while it loaded cancels the load: it is not
        // stored. An onEvict that throws while it is stored rejects, as `set` throws.
        if (this.#inflight?.isCurrent(key, loading) !== true) return value;
        this.#cancel(key);
        this.set(key, value);
        return value;
      },
      (error, loading) => {
        if (this.#inflight?.isCurrent(key, loading) === true) this.#cancel(key);
        throw error;
      },
    );
    // Registered once the loader has returned: a loader that uses the cache synchronously
    // cannot cancel its own load.
    (this.#inflight ??= new SharedLoads()).add(key, loading);
    return loading;
  }

  // ---- size and bounds ----

  /** The number of entries; expired entries count until they are touched or purged. */
  get size(): number {
    const engine = this.#live();
    if (this.#pending !== 0) this.#flush();
    return engine.len;
  }

  /** The most entries the cache holds; assigning resizes, evicting the oldest first. */
  get max(): number {
    return this.#live().cap;
  }

  set max(max: number) {
    positiveInteger(max, 'max', 'ERR_LRU_MAX');
    if (max > 0xfffffffe) throw rangeError('ERR_LRU_MAX', `max must be at most 4294967294, got ${max}`);
    const engine = this.#live();
    if (this.#ttl !== 0) this.#time = this.#now();
    this.#dropVictims();
    engine.resize(max, this.#takeHits());
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
    if (this.#ttl === 0) return 0;
    const now = this.#now();
    let removed = 0;
    for (const slot of this.#order()) {
      if (!(this.#expires[slot] > now)) {
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

  /**
   * The entries, most recently used first, for `load`, in lru-cache's dump format:
   * `[key, { value, ttl, start }]`, where `ttl` and `start` (when the entry's life began,
   * in milliseconds since the epoch) are given by caches with a `ttl`, so that a loaded
   * entry keeps only the rest of its life. Expired entries are left out.
   */
  dump(): LRUCacheDumpEntry<K, V>[] {
    const slots = this.#order();
    const out: LRUCacheDumpEntry<K, V>[] = [];
    if (this.#ttl === 0) {
      for (const slot of slots) out.push([this.#keys[slot], { value: this.#values[slot] }]);
      return out;
    }
    const now = this.#now();
    const ttl = this.#ttl;
    // The entry's age in the cache's clock, as a time on the wall clock (as lru-cache does).
    const wall = Date.now();
    for (const slot of slots) {
      const expires = this.#expires[slot];
      if (!(expires > now)) continue;
      const start = wall - (now - (expires - ttl));
      out.push([this.#keys[slot], { value: this.#values[slot], ttl, start }]);
    }
    return out;
  }

  /**
   * Replaces the contents with `entries`, newest first, keeping their order: the output
   * of `dump()` (or of lru-cache's `dump()`), or plain `[key, value]` pairs. An entry
   * whose second element is a plain object with a `value` and no keys other than
   * `value`, `ttl`, `start` and `size` is read as `{ value, ttl, start, size }`: in a cache
   * with a `ttl`, an entry with `start` (milliseconds since the epoch) has only the rest
   * of its life (`ttl`, or the cache's) left, and one whose life is over is not loaded;
   * other entries live the cache's `ttl` from now. Sizes are measured again with `sizeOf`
   * (once per entry); `size` is not read. A refused load changes nothing.
   */
  load(entries: readonly (readonly [K, V] | readonly [K, LRUCacheEntryInfo<V>])[]): void {
    if (!Array.isArray(entries)) throw typeError('ERR_LRU_OPTION', 'load(entries) needs an array from dump()');
    const engine = this.#live();
    const now = this.#ttl === 0 ? 0 : this.#now();
    const wall = this.#ttl === 0 ? 0 : Date.now();
    // Every entry is checked and measured before anything is cleared: a refused load
    // changes nothing.
    const keys: K[] = [];
    const values: V[] = [];
    const sizes: number[] = [];
    const expiries: number[] = [];
    for (const entry of Array.from(entries as readonly unknown[])) {
      if (!Array.isArray(entry) || entry.length < 2) {
        throw typeError(
          'ERR_LRU_OPTION',
          'load(entries) needs [key, value] pairs or [key, { value, ttl, start }] entries',
        );
      }
      const key: unknown = entry[0];
      if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
      const info: unknown = entry[1];
      let value = info as V;
      let expires = now + this.#ttl;
      if (isEntryInfo(info)) {
        value = info.value as V;
        const { ttl = this.#ttl, start } = info;
        if (typeof ttl !== 'number' || (start !== undefined && typeof start !== 'number')) {
          throw typeError('ERR_LRU_OPTION', 'load(entries): ttl and start must be numbers');
        }
        if (start !== undefined) expires = now - (wall - start) + ttl;
      }
      if (this.#ttl !== 0 && !(expires > now)) continue;
      let size = 1;
      if (this.#sizeOf !== null) {
        size = this.#measure(value, key as K);
        synced(() => engine.checkWeight(size));
      }
      keys.push(key as K);
      values.push(value);
      sizes.push(size);
      expiries.push(expires);
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
    this.#time = now;
    for (let i = keys.length - 1; i >= 0; i--) {
      try {
        this.#put(keys[i], values[i], sizes[i], expiries[i]);
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
    this.#expires = [];
    this.#pending = this.#swept = 0;
  }

  [dispose](): void {
    this.free();
  }

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
    if (slot !== undefined && !(this.#expires[slot] > this.#time)) {
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
   * Stores an entry that `load` checked and measured, as `set` does, with its expiry
   * (`#time` is the load's clock reading).
   */
  #put(key: K, value: V, size: number, expires: number): void {
    let slot = this.#slotOf(key);
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
    if (this.#ttl !== 0) this.#expires[slot] = expires;
    this.#sets++;
    if (this.#disposals.length !== 0) this.#fire();
  }

  /** Throws the engine's error for an entry of `size` that can never fit. */
  #refuse(size: number): void {
    const engine = this.#live();
    synced(() => engine.checkWeight(size));
  }

  /** `get` for a cache with a ttl: the clock is read before the key is looked up. */
  #getFresh(key: K): V | undefined {
    if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
    const now = this.#now();
    const slot = typeof key === 'string' ? this.#index.get(key) : this.#numbers.get(key);
    if (slot === undefined || this.#expired(slot, now)) return this.#miss();
    this.#touch(slot);
    this.#hits++;
    return this.#values[slot];
  }

  /** Forgets the running load of `key`, if any: it will not be stored. */
  #cancel(key: K): void {
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
   * The live slot of `key` without marking it used; expired entries are removed. With a
   * ttl the clock is read first, so that a clock that uses the cache cannot change the
   * entry between the lookup and the check.
   */
  #find(key: K): number | undefined {
    let now = 0;
    if (this.#ttl !== 0) {
      if (typeof key !== 'string' && typeof key !== 'number') throw badKey(key);
      now = this.#now();
    }
    const slot = typeof key === 'string' ? this.#index.get(key) : this.#numberSlot(key);
    if (slot === undefined) {
      this.#live();
      return undefined;
    }
    return this.#ttl !== 0 && this.#expired(slot, now) ? undefined : slot;
  }

  /** Whether `slot` is past its expiry at `now`; if so it is removed with reason 'expire'. */
  #expired(slot: number, now: number): boolean {
    if (this.#expires[slot] > now) return false;
    this.#expirations++;
    this.#remove(slot, 'expire');
    if (this.#disposals.length !== 0) this.#fire();
    return true;
  }

  #measure(value: V, key: K): number {
    const size: unknown = this.#sizeOf!(value, key);
    if (typeof size !== 'number' || !(size > 0) || size > Number.MAX_SAFE_INTEGER) {
      throw rangeError('ERR_LRU_SIZE_OF', `sizeOf must return a positive finite number, got ${String(size)}`);
    }
    return Math.ceil(size);
  }

  /** Takes a new slot of `size` from the engine, evicting as needed. */
  #insert(size: number): number {
    const engine = this.#live();
    if (this.#full && this.#sizeOf === null) {
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
    if (this.#sizeOf === null) {
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
    if (this.#ttl !== 0) this.#expires[slot] = this.#time + this.#ttl;
  }

  /** Replaces the value of the string key at `slot`, marking it used. */
  #replace(slot: number, key: K, value: V, size: number): void {
    if (this.#sizeOf === null) {
      this.#touch(slot);
    } else {
      const engine = this.#engine!;
      if (engine.update(slot, size, this.#takeHits()) === NIL) synced(() => engine.checkWeight(size));
      syncView();
      if (U32[this.#io] !== 0) this.#drain('evict');
    }
    this.#replaced(slot, key, value);
  }

  #replaced(slot: number, key: K, value: V): void {
    const old = this.#values[slot];
    this.#values[slot] = value;
    if (this.#ttl !== 0) this.#expires[slot] = this.#time + this.#ttl;
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
    if (this.#ttl !== 0 && !(this.#expires[slot] > this.#time)) {
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

  /** Calls onEvict for everything queued; state is consistent by now, so callbacks may re-enter. */
  #fire(): void {
    const queued = this.#disposals;
    this.#disposals = [];
    const onEvict = this.#onEvict!;
    callEach(queued, ([value, key, reason]) => onEvict(value, key, reason));
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
    const now = this.#ttl === 0 ? 0 : this.#now();
    // A generator function has its own `this`.
    // deno-lint-ignore no-this-alias
    const cache = this;
    return (function* walk() {
      for (const key of keys) {
        const slot = cache.#slotOf(key);
        if (slot === undefined) continue;
        if (cache.#ttl !== 0 && !(cache.#expires[slot] > now)) continue;
        yield pick(slot);
      }
    })();
  }
}
