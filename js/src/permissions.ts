// PermissionCache: users' permission rules compiled and held in wasm memory, bounded
// by a user count and a byte budget, checked one path at a time or a whole directory
// listing at once. See src/permissions/ for the model and src/wasm/permissions.rs.

import { PermissionEngine } from './generated/edge_lru.js';
import { callEach, dispose } from './callbacks.js';
import { freed, optionalFunction, positiveInteger, typeError } from './errors.js';
import { SharedLoads, startLoad } from './loads.js';
import { publishedSlots, synced, U32, U8 } from './memory.js';

/** An operation a permission rule can grant. */
export type Operation = 'list' | 'read' | 'write' | 'delete' | 'mkdir' | 'rename';

/** The operations, in the order of their bits. */
export const OPERATIONS: readonly Operation[] = Object.freeze(['list', 'read', 'write', 'delete', 'mkdir', 'rename']);

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

const OP_INDEX: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  list: 0,
  read: 1,
  write: 2,
  delete: 3,
  mkdir: 4,
  rename: 5,
});
const NIL = 0xffffffff;
/**
 * Whether `name` is one path segment: not empty, `.` or `..`, without `/`, `\` or NUL,
 * and well-formed UTF-16 (see SURROGATE).
 */
function isSingleSegment(name: string): boolean {
  return !(name.length <= 2 && (name === '' || name === '.' || name === '..')) && !/[/\\\0]/.test(name) &&
    name.isWellFormed();
}

/**
 * Any UTF-16 surrogate. A name holding a lone one could not cross into wasm as itself
 * (UTF-8 has no lone surrogates: encoding makes it U+FFFD), so such names are never
 * allowed; a listing with any surrogate at all is checked name by name, since two
 * ill-formed names can join into a well-formed pair. V8 answers this at once for a
 * string with no character above U+00FF.
 */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Whether every entry of a listing is a string and a single segment; throws if one is
 * not a string. The names are concatenated as they are type-checked and the result is
 * searched with three native scans. Measured on Node 20 and 24 for 1,000 names: one
 * `includes` per name costs about 5 ns a name (so 15 for three), `names.join('')` about
 * 8.5 ns a name whatever their length (its per-element overhead, not the copying), and
 * `+=` (a rope) plus the one flattening that the first `includes` does about 7.5 ns.
 */
function allSingleSegments(names: readonly unknown[]): boolean {
  let short = false;
  let joined = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (typeof name !== 'string') throw typeError('ERR_PERM_NAMES', `names[${i}] is not a string`);
    if (name.length <= 2) short ||= name === '' || name === '.' || name === '..';
    joined += name;
  }
  if (short) return false;
  return !joined.includes('/') && !joined.includes('\\') && !joined.includes('\0') && !SURROGATE.test(joined);
}

/** Up to this many exceptions are looked for with native scans of the listing. */
const FEW_EXCEPTIONS = 8;
/** Up to this many positions (exceptions, with their duplicates) are cut out one by one. */
const FEW_POSITIONS = 16;

/**
 * The positions in `names` of the entries equal to one of `exceptions`, ascending,
 * found with `indexOf` (a native scan, well under 1 ns per entry); `null` when there
 * are more than `FEW_POSITIONS`.
 */
function positions(names: readonly string[], exceptions: readonly string[]): number[] | null {
  const at: number[] = [];
  for (let k = 0; k < exceptions.length; k++) {
    const exception = exceptions[k];
    for (let i = names.indexOf(exception); i !== -1; i = names.indexOf(exception, i + 1)) {
      if (at.length === FEW_POSITIONS) return null;
      at.push(i);
    }
  }
  if (exceptions.length > 1) at.sort((a, b) => a - b);
  return at;
}

/** A copy of `names` without the entries at the ascending positions `at`. */
function without(names: readonly string[], at: readonly number[]): string[] {
  const out = names.slice();
  for (let k = at.length - 1; k >= 0; k--) out.splice(at[k], 1);
  return out;
}

const encoder = new TextEncoder();
// `ignoreBOM`: a name may begin with U+FEFF, which the default decoder would drop.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function opIndex(op: unknown): number {
  const index = typeof op === 'string' ? OP_INDEX[op] : undefined;
  if (index === undefined) {
    throw typeError('ERR_PERM_OP', `unknown operation ${JSON.stringify(op)}; expected one of ${OPERATIONS.join(', ')}`);
  }
  return index;
}

function checkUser(user: unknown): asserts user is string {
  if (typeof user !== 'string') throw typeError('ERR_PERM_USER', `users are named by strings, got ${typeof user}`);
}

/** Whether every name of a listing is a single segment; throws unless it is an array of strings. */
function checkNames(names: unknown): names is readonly string[] {
  if (!Array.isArray(names)) throw typeError('ERR_PERM_NAMES', 'names must be an array of strings');
  return allSingleSegments(names);
}

/** Encodes rules as the core's packed format: op bits, the path, NUL; one per rule. */
function pack(user: string, rules: unknown): Uint8Array {
  if (!Array.isArray(rules)) {
    throw typeError('ERR_PERM_RULES', `load(${JSON.stringify(user)}) must give an array of rules, got ${typeof rules}`);
  }
  let packed = '';
  for (let i = 0; i < rules.length; i++) {
    const rule: unknown = rules[i];
    const bad = (what: string) => typeError('ERR_PERM_RULES', `rule ${i} of ${JSON.stringify(user)}: ${what}`);
    if (rule === null || typeof rule !== 'object') throw bad('expected { path, allow }');
    const { path, allow } = rule as { path: unknown; allow: unknown };
    if (typeof path !== 'string') throw bad('path must be a string');
    if (path.includes('\0')) throw bad('path holds a NUL byte');
    if (!path.isWellFormed()) throw bad('path holds a lone surrogate (not well-formed UTF-16)');
    if (!Array.isArray(allow)) throw bad('allow must be an array of operations');
    let bits = 0;
    for (const op of allow as unknown[]) {
      if (typeof op !== 'string' || OP_INDEX[op] === undefined) throw bad(`unknown operation ${JSON.stringify(op)}`);
      bits |= 1 << OP_INDEX[op];
    }
    packed += String.fromCharCode(bits) + path + '\0';
  }
  return encoder.encode(packed);
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
export class PermissionCache {
  #engine: PermissionEngine | null;
  /** user -> slot (null prototype: every string is an ordinary key) */
  #slots: Record<string, number> = Object.create(null);
  /** slot -> user, undefined when the slot is free */
  #users: (string | undefined)[] = [];
  #io: number;
  #load: (user: string) => readonly PermissionRule[] | PromiseLike<readonly PermissionRule[]>;
  #onEvict: ((user: string, reason: PermissionEvictionReason) => void) | null;
  #inflight = new SharedLoads<string, void>();
  /** load -> the login that superseded it while it ran */
  #newer = new WeakMap<Promise<void>, Promise<void>>();
  #hits = 0;
  #misses = 0;
  #loads = 0;
  #failures = 0;
  #evictions = 0;

  constructor(options: PermissionCacheOptions) {
    if (options === null || typeof options !== 'object') {
      throw typeError('ERR_PERM_OPTION', 'new PermissionCache(options) needs { maxUsers, load }');
    }
    const { maxUsers, maxBytes, load, onEvict } = options;
    positiveInteger(maxUsers, 'maxUsers', 'ERR_PERM_MAX_USERS', 'ERR_PERM_OPTION');
    if (maxBytes !== undefined) positiveInteger(maxBytes, 'maxBytes', 'ERR_PERM_MAX_BYTES', 'ERR_PERM_OPTION');
    if (typeof load !== 'function') {
      throw typeError('ERR_PERM_OPTION', "PermissionCache needs a load(user) function returning the user's rules");
    }
    this.#load = load;
    this.#onEvict = optionalFunction(onEvict, 'onEvict', 'ERR_PERM_OPTION');
    const engine = synced(() => new PermissionEngine(maxUsers, maxBytes ?? 0));
    this.#engine = engine;
    this.#io = engine.ioPtr >>> 2;
  }

  /**
   * Loads the user's rules afresh and caches them. If the load throws or its rules are
   * refused, the user's old rules are dropped too (`onEvict` reason `'failed'`).
   */
  async login(user: string): Promise<void> {
    checkUser(user);
    this.#live();
    await this.#fetch(user, true);
  }

  /** Forgets the user's rules; returns whether they were cached. */
  logout(user: string): boolean {
    checkUser(user);
    const slot = this.#slots[user];
    this.#live();
    // A load still running for the user is not stored when it completes.
    this.#inflight.cancel(user);
    if (slot === undefined) return false;
    this.#engine!.remove(slot);
    this.#forget(slot, user);
    this.#onEvict?.(user, 'logout');
    return true;
  }

  /** Whether the user's rules are cached. */
  has(user: string): boolean {
    checkUser(user);
    this.#live();
    return this.#slots[user] !== undefined;
  }

  /** Checks a cached user synchronously; `undefined` when the user is not cached. */
  allowsCached(user: string, path: string, op: Operation): boolean | undefined {
    const bit = opIndex(op);
    const slot = this.#lookup(user, path);
    if (slot === undefined) return this.#miss();
    const allowed = this.#check(slot, path, bit);
    this.#hits++;
    return allowed;
  }

  /** Checks, loading the user's rules on a miss (concurrent misses share one load). */
  async allows(user: string, path: string, op: Operation): Promise<boolean> {
    const bit = opIndex(op);
    const slot = this.#lookup(user, path);
    if (slot !== undefined) {
      const allowed = this.#check(slot, path, bit);
      this.#hits++;
      return allowed;
    }
    this.#miss();
    return this.#afterLoad(user, (loaded) => this.#check(loaded, path, bit));
  }

  /**
   * Whether any of a cached user's rules lies strictly below `path` (by whole segments,
   * normalized as rule paths are; a deny rule counts, a rule on `path` itself does not),
   * checked synchronously; `undefined` when the user is not cached. A rename of a
   * directory with rules below it must walk the subtree or be refused. Bad arguments
   * throw whether or not the user is cached, and a refused call changes nothing.
   */
  hasRulesBelowCached(user: string, path: string): boolean | undefined {
    const slot = this.#lookup(user, path);
    if (slot === undefined) return this.#miss();
    const below = this.#below(slot, path);
    this.#hits++;
    return below;
  }

  /** As `hasRulesBelowCached`, loading the user's rules on a miss. */
  async hasRulesBelow(user: string, path: string): Promise<boolean> {
    const slot = this.#lookup(user, path);
    if (slot !== undefined) {
      const below = this.#below(slot, path);
      this.#hits++;
      return below;
    }
    this.#miss();
    return this.#afterLoad(user, (loaded) => this.#below(loaded, path));
  }

  /**
   * The names in a listing of `dir` the cached user may `op`, in order, as a new array;
   * `undefined` when not cached. Names that are not single segments (empty, `.`, `..`,
   * holding `/`, `\`, NUL or a lone surrogate) are never allowed.
   */
  filterCached(user: string, dir: string, names: readonly string[], op: Operation): string[] | undefined {
    const bit = opIndex(op);
    const valid = checkNames(names);
    const slot = this.#lookup(user, dir);
    if (slot === undefined) return this.#miss();
    const visible = this.#filter(slot, dir, names, bit, valid);
    this.#hits++;
    return visible;
  }

  /** As `filterCached`, loading the user's rules on a miss. */
  async filter(user: string, dir: string, names: readonly string[], op: Operation): Promise<string[]> {
    const bit = opIndex(op);
    const valid = checkNames(names);
    const slot = this.#lookup(user, dir);
    if (slot !== undefined) {
      const visible = this.#filter(slot, dir, names, bit, valid);
      this.#hits++;
      return visible;
    }
    this.#miss();
    // The listing may have changed while the user was loading: it is checked again.
    return this.#afterLoad(user, (loaded) => this.#filter(loaded, dir, names, bit, checkNames(names)));
  }

  /** The bytes of a cached user's compiled rules. */
  bytesOf(user: string): number | undefined {
    checkUser(user);
    const slot = this.#slots[user];
    return slot === undefined ? (this.#live(), undefined) : this.#engine!.bytesOf(slot);
  }

  /**
   * Cached users, most recently used first: those cached when the iterator is made (a
   * freed cache throws here, not at the first `next()`), each looked up again when
   * reached, so a user logged out or evicted meanwhile is skipped and one logged in
   * meanwhile is not visited.
   */
  users(): IterableIterator<string> {
    const count = this.#live().snapshot();
    const users = publishedSlots(this.#io, count).map((slot) => this.#users[slot] as string);
    // A generator function has its own `this`.
    // deno-lint-ignore no-this-alias
    const cache = this;
    return (function* walk() {
      for (const user of users) if (cache.#slots[user] !== undefined) yield user;
    })();
  }

  /** The number of cached users. */
  get size(): number {
    return this.#live().len;
  }

  /** The bytes of all cached rule sets, as counted against `maxBytes`. */
  get bytes(): number {
    return this.#live().bytes;
  }

  /** Counters since creation or `resetStats()`. */
  get stats(): PermissionCacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
      loads: this.#loads,
      loadFailures: this.#failures,
      evictions: this.#evictions,
      users: this.size,
      bytes: this.bytes,
    };
  }

  resetStats(): void {
    this.#live();
    this.#hits =
      this.#misses =
      this.#loads =
      this.#failures =
      this.#evictions =
        0;
  }

  /** Forgets every user. */
  clear(): void {
    const users = this.#onEvict === null ? [] : [...this.users()];
    this.#live().clear();
    this.#inflight.clear(); // loads still running are not stored
    this.#slots = Object.create(null);
    this.#users = [];
    this.#notify(users, 'clear');
  }

  /** Releases the wasm memory; later use throws `ERR_LRU_FREED`. */
  free(): void {
    if (this.#engine === null) return;
    this.#engine.free();
    this.#engine = null;
    this.#slots = Object.create(null);
    this.#users = [];
  }

  [dispose](): void {
    this.free();
  }

  // ---- internals ----

  #live(): PermissionEngine {
    if (this.#engine === null) throw freed();
    return this.#engine;
  }

  /**
   * The slot of a cached user, or undefined after checking `path` (a check or a listing
   * must fail for a bad path before a miss is counted or the user loaded). Counts
   * nothing: the caller counts a hit once the call succeeds.
   */
  #lookup(user: unknown, path: unknown): number | undefined {
    checkUser(user);
    if (typeof path !== 'string') throw typeError('ERR_PERM_PATH', `paths are strings, got ${typeof path}`);
    if (!path.isWellFormed()) {
      throw typeError('ERR_PERM_PATH', `path ${JSON.stringify(path)} holds a lone surrogate (not well-formed UTF-16)`);
    }
    const slot = this.#slots[user];
    this.#live();
    if (slot === undefined) synced(() => PermissionEngine.checkPath(path));
    return slot;
  }

  #miss(): undefined {
    this.#misses++;
    return undefined;
  }

  #check(slot: number, path: string, bit: number): boolean {
    const engine = this.#engine!;
    return synced(() => engine.check(slot, path, bit));
  }

  #below(slot: number, path: string): boolean {
    const engine = this.#engine!;
    return synced(() => engine.hasRulesBelow(slot, path));
  }

  #filter(slot: number, dir: string, names: readonly string[], bit: number, valid: boolean): string[] {
    // `resolve` refuses a bad directory before it marks the user as recently used.
    const engine = this.#engine!;
    const allowed = synced(() => engine.resolve(slot, dir, bit));
    const length = U32[this.#io + 2];
    if (length === 0) {
      if (!allowed) return [];
      if (valid && (names.constructor as unknown) === Array) return names.slice();
      const out: string[] = [];
      for (let i = 0; i < names.length; i++) if (valid || isSingleSegment(names[i])) out.push(names[i]);
      return out;
    }
    const exceptions = this.#exceptions(U32[this.#io + 3], length);
    // Few exceptions in a listing of valid names: find them with native scans and copy
    // the rest (a plain Array, as below, so only for plain arrays) or take just them.
    if (valid && exceptions.length <= FEW_EXCEPTIONS && (!allowed || (names.constructor as unknown) === Array)) {
      const at = positions(names, exceptions);
      if (at !== null) return allowed ? without(names, at) : at.map((i) => names[i]);
    }
    const differ = new Set(exceptions);
    const out: string[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (differ.has(name) !== allowed && (valid || isSingleSegment(name))) out.push(name);
    }
    return out;
  }

  /** The NUL-terminated names published by `resolve`. */
  #exceptions(at: number, length: number): string[] {
    return decoder.decode(U8.subarray(at, at + length - 1)).split('\0');
  }

  /**
   * Loads (sharing a load already running, unless `fresh`) and stores a user's rules.
   * A load superseded by a newer one (a login) settles as the newer one does; a load
   * cancelled by `logout` or `clear` stores nothing; one that ends after `free()`
   * rejects with ERR_LRU_FREED.
   */
  #fetch(user: string, fresh: boolean): Promise<void> {
    const running = this.#inflight.running(user);
    if (running !== undefined && !fresh) return running;
    this.#loads++;
    const load = startLoad<string, readonly PermissionRule[], void>(
      user,
      (name) => this.#load(name),
      (rules, load) => {
        const newer = this.#newer.get(load);
        if (newer !== undefined) return newer;
        if (!this.#inflight.isCurrent(user, load)) return undefined; // cancelled
        this.#inflight.cancel(user);
        this.#live();
        let evicted: string[];
        try {
          evicted = this.#store(user, rules);
        } catch (error) {
          return this.#failed(user, error); // drops the user's old rules and throws
        }
        this.#evictions += evicted.length;
        this.#notify(evicted, 'evict');
      },
      (error, load) => {
        const newer = this.#newer.get(load);
        if (newer !== undefined) {
          this.#failures++;
          return newer;
        }
        if (!this.#inflight.isCurrent(user, load)) {
          this.#failures++;
          throw error; // cancelled: nothing of the user's is cached any more
        }
        this.#inflight.cancel(user);
        this.#failed(user, error);
      },
    );
    if (running !== undefined) this.#newer.set(running, load);
    this.#inflight.add(user, load);
    return load;
  }

  /**
   * Loads a user who was not cached, then calls `use` with their slot in the same
   * synchronous step as it reads the slot, so that nothing (an eviction by another
   * load, a logout) can free or reuse the slot in between.
   */
  async #afterLoad<T>(user: string, use: (slot: number) => T): Promise<T> {
    for (;;) {
      await this.#fetch(user, false);
      this.#live();
      const slot = this.#slots[user];
      // Evicted or logged out before we got here: load again.
      if (slot !== undefined) return use(slot);
    }
  }

  /**
   * A load that was to replace the user's rules failed (it threw, or its rules were
   * refused): the rules it was to replace are dropped, not left in force, and `error`
   * is thrown. If `onEvict` throws too, both errors are thrown as an AggregateError.
   */
  #failed(user: string, error: unknown): never {
    this.#failures++;
    const slot = this.#slots[user];
    if (slot === undefined || this.#engine === null) throw error;
    this.#engine.remove(slot);
    this.#forget(slot, user);
    try {
      this.#notify([user], 'failed');
    } catch (callback) {
      throw new AggregateError([error, callback], `loading ${JSON.stringify(user)} failed, and onEvict threw`);
    }
    throw error;
  }

  /** Stores a user's rules; returns the users evicted to make room. */
  #store(user: string, rules: unknown): string[] {
    const packed = pack(user, rules);
    const previous = this.#slots[user];
    const engine = this.#engine!;
    const slot = synced(() => engine.store(previous ?? NIL, packed));
    const evicted: string[] = [];
    for (const gone of publishedSlots(this.#io)) {
      const name = this.#users[gone] as string;
      evicted.push(name);
      this.#forget(gone, name);
    }
    this.#slots[user] = slot;
    this.#users[slot] = user;
    return evicted;
  }

  /** Calls onEvict for each user, all of them even if some throw; then throws the first error. */
  #notify(users: readonly string[], reason: PermissionEvictionReason): void {
    const onEvict = this.#onEvict;
    if (onEvict === null) return;
    callEach(users, (user) => onEvict(user, reason));
  }

  #forget(slot: number, user: string): void {
    delete this.#slots[user];
    this.#users[slot] = undefined;
  }
}
