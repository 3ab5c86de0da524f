// PermissionCache: users' permission rules compiled and held in wasm memory, bounded
// by a user count and a byte budget, checked one path at a time or a whole directory
// listing at once. See src/permissions/ for the model and src/wasm/permissions.rs.

import { PermissionEngine } from './wasm/edge_lru.js';
import { freed, optionalFunction, positiveInteger, typeError } from './errors.js';
import { U32, U8, synced, syncViews } from './memory.js';

/** The operations a rule can grant, in the order of their bits. */
export const OPERATIONS = Object.freeze(['list', 'read', 'write', 'delete', 'mkdir', 'rename']);

const OP_INDEX = Object.assign(Object.create(null), { list: 0, read: 1, write: 2, delete: 3, mkdir: 4, rename: 5 });
const NIL = 0xffffffff;
/**
 * Whether `name` is one path segment: not empty, `.` or `..`, without `/`, `\` or NUL,
 * and well-formed UTF-16 (see SURROGATE).
 */
function isSingleSegment(name) {
  return !(name.length <= 2 && (name === '' || name === '.' || name === '..')) && !/[/\\\0]/.test(name) && name.isWellFormed();
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
function allSingleSegments(names) {
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
function positions(names, exceptions) {
  const at = [];
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
function without(names, at) {
  const out = names.slice();
  for (let k = at.length - 1; k >= 0; k--) out.splice(at[k], 1);
  return out;
}

const encoder = new TextEncoder();
// `ignoreBOM`: a name may begin with U+FEFF, which the default decoder would drop.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function opIndex(op) {
  const index = typeof op === 'string' ? OP_INDEX[op] : undefined;
  if (index === undefined) {
    throw typeError('ERR_PERM_OP', `unknown operation ${JSON.stringify(op)}; expected one of ${OPERATIONS.join(', ')}`);
  }
  return index;
}

function checkUser(user) {
  if (typeof user !== 'string') throw typeError('ERR_PERM_USER', `users are named by strings, got ${typeof user}`);
}

/** Whether every name of a listing is a single segment; throws unless it is an array of strings. */
function checkNames(names) {
  if (!Array.isArray(names)) throw typeError('ERR_PERM_NAMES', 'names must be an array of strings');
  return allSingleSegments(names);
}

/** Encodes rules as the core's packed format: op bits, the path, NUL; one per rule. */
function pack(user, rules) {
  if (!Array.isArray(rules)) {
    throw typeError('ERR_PERM_RULES', `load(${JSON.stringify(user)}) must give an array of rules, got ${typeof rules}`);
  }
  let packed = '';
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const bad = (what) => typeError('ERR_PERM_RULES', `rule ${i} of ${JSON.stringify(user)}: ${what}`);
    if (rule === null || typeof rule !== 'object') throw bad('expected { path, allow }');
    const { path, allow } = rule;
    if (typeof path !== 'string') throw bad('path must be a string');
    if (path.includes('\0')) throw bad('path holds a NUL byte');
    if (!path.isWellFormed()) throw bad('path holds a lone surrogate (not well-formed UTF-16)');
    if (!Array.isArray(allow)) throw bad('allow must be an array of operations');
    let bits = 0;
    for (const op of allow) {
      if (typeof op !== 'string' || OP_INDEX[op] === undefined) throw bad(`unknown operation ${JSON.stringify(op)}`);
      bits |= 1 << OP_INDEX[op];
    }
    packed += String.fromCharCode(bits) + path + '\0';
  }
  return encoder.encode(packed);
}

export class PermissionCache {
  #engine;
  /** user -> slot (null prototype: every string is an ordinary key) */
  #slots = Object.create(null);
  /** slot -> user */
  #users = [];
  #io;
  #load;
  #onEvict;
  #inflight = new Map();
  /** load -> the login that superseded it while it ran */
  #newer = new WeakMap();
  #hits = 0;
  #misses = 0;
  #loads = 0;
  #failures = 0;
  #evictions = 0;

  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw typeError('ERR_PERM_OPTION', 'new PermissionCache(options) needs { maxUsers, load }');
    }
    const { maxUsers, maxBytes, load, onEvict } = options;
    positiveInteger(maxUsers, 'maxUsers', 'ERR_PERM_MAX_USERS', 'ERR_PERM_OPTION');
    if (maxBytes !== undefined) positiveInteger(maxBytes, 'maxBytes', 'ERR_PERM_MAX_BYTES', 'ERR_PERM_OPTION');
    if (typeof load !== 'function') {
      throw typeError('ERR_PERM_OPTION', 'PermissionCache needs a load(user) function returning the user\'s rules');
    }
    this.#load = load;
    this.#onEvict = optionalFunction(onEvict, 'onEvict', 'ERR_PERM_OPTION');
    this.#engine = synced(() => new PermissionEngine(maxUsers, maxBytes ?? 0));
    this.#io = this.#engine.ioPtr >>> 2;
  }

  /** Loads the user's rules afresh (always) and caches them. */
  async login(user) {
    checkUser(user);
    this.#live();
    await this.#fetch(user, true);
  }

  /** Forgets the user's rules; returns whether they were cached. */
  logout(user) {
    checkUser(user);
    const slot = this.#slots[user];
    this.#live();
    // A load still running for the user is not stored when it completes.
    this.#inflight.delete(user);
    if (slot === undefined) return false;
    this.#engine.remove(slot);
    this.#forget(slot, user);
    this.#onEvict?.(user, 'logout');
    return true;
  }

  /** Whether the user's rules are cached. */
  has(user) {
    checkUser(user);
    this.#live();
    return this.#slots[user] !== undefined;
  }

  /**
   * Whether a cached user may do `op` on `path`, checked synchronously; `undefined`
   * when the user is not cached (use `allows` to load them). Bad arguments throw
   * whether or not the user is cached, and a refused call changes nothing.
   */
  allowsCached(user, path, op) {
    const bit = opIndex(op);
    const slot = this.#lookup(user, path);
    if (slot === undefined) return this.#miss();
    const allowed = this.#check(slot, path, bit);
    this.#hits++;
    return allowed;
  }

  /** Whether the user may do `op` on `path`, loading their rules on a miss. */
  async allows(user, path, op) {
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
  hasRulesBelowCached(user, path) {
    const slot = this.#lookup(user, path);
    if (slot === undefined) return this.#miss();
    const below = this.#below(slot, path);
    this.#hits++;
    return below;
  }

  /** As `hasRulesBelowCached`, loading the user's rules on a miss. */
  async hasRulesBelow(user, path) {
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
   * The entries of a listing of `dir` on which a cached user may do `op`, in order,
   * decided in one call into wasm; `undefined` when the user is not cached. Names that
   * are not single path segments (empty, `.`, `..`, holding `/`, `\`, NUL or a lone
   * surrogate) are never allowed. Bad arguments throw whether or not the user is cached.
   */
  filterCached(user, dir, names, op) {
    const bit = opIndex(op);
    const valid = checkNames(names);
    const slot = this.#lookup(user, dir);
    if (slot === undefined) return this.#miss();
    const visible = this.#filter(slot, dir, names, bit, valid);
    this.#hits++;
    return visible;
  }

  /** As `filterCached`, loading the user's rules on a miss. */
  async filter(user, dir, names, op) {
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

  /** The size in bytes of a cached user's compiled rules, or `undefined`. */
  bytesOf(user) {
    checkUser(user);
    const slot = this.#slots[user];
    return slot === undefined ? (this.#live(), undefined) : this.#engine.bytesOf(slot);
  }

  /** Cached users, most recently used first. */
  *users() {
    const count = this.#live().snapshot();
    syncViews();
    const base = U32[this.#io + 1] >>> 2;
    for (const slot of Array.from(U32.subarray(base, base + count))) {
      const user = this.#users[slot];
      if (user !== undefined) yield user;
    }
  }

  /** The number of cached users. */
  get size() {
    return this.#live().len;
  }

  /** The bytes of all cached rule sets, as counted against `maxBytes`. */
  get bytes() {
    return this.#live().bytes;
  }

  /** Counters since creation or `resetStats()`. */
  get stats() {
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

  resetStats() {
    this.#live();
    this.#hits = this.#misses = this.#loads = this.#failures = this.#evictions = 0;
  }

  /** Forgets every user. */
  clear() {
    const users = this.#onEvict === null ? [] : [...this.users()];
    this.#live().clear();
    this.#inflight.clear(); // loads still running are not stored
    this.#slots = Object.create(null);
    this.#users = [];
    this.#notify(users, 'clear');
  }

  /** Releases the wasm memory; later use throws `ERR_LRU_FREED`. */
  free() {
    if (this.#engine === null) return;
    this.#engine.free();
    this.#engine = null;
    this.#slots = Object.create(null);
    this.#users = [];
  }

  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() {
    this.free();
  }

  // ---- internals ----

  #live() {
    if (this.#engine === null) throw freed();
    return this.#engine;
  }

  /**
   * The slot of a cached user, or undefined after checking `path` (a check or a listing
   * must fail for a bad path before a miss is counted or the user loaded). Counts
   * nothing: the caller counts a hit once the call succeeds.
   */
  #lookup(user, path) {
    checkUser(user);
    if (typeof path !== 'string') throw typeError('ERR_PERM_PATH', `paths are strings, got ${typeof path}`);
    if (!path.isWellFormed()) throw typeError('ERR_PERM_PATH', `path ${JSON.stringify(path)} holds a lone surrogate (not well-formed UTF-16)`);
    const slot = this.#slots[user];
    this.#live();
    if (slot === undefined) synced(() => PermissionEngine.checkPath(path));
    return slot;
  }

  #miss() {
    this.#misses++;
    return undefined;
  }

  #check(slot, path, bit) {
    const engine = this.#engine;
    return synced(() => engine.check(slot, path, bit));
  }

  #below(slot, path) {
    const engine = this.#engine;
    return synced(() => engine.hasRulesBelow(slot, path));
  }

  #filter(slot, dir, names, bit, valid) {
    // `resolve` refuses a bad directory before it marks the user as recently used.
    const engine = this.#engine;
    const allowed = synced(() => engine.resolve(slot, dir, bit));
    const length = U32[this.#io + 2];
    if (length === 0) {
      if (!allowed) return [];
      if (valid && names.constructor === Array) return names.slice();
      const out = [];
      for (let i = 0; i < names.length; i++) if (valid || isSingleSegment(names[i])) out.push(names[i]);
      return out;
    }
    const exceptions = this.#exceptions(U32[this.#io + 3], length);
    // Few exceptions in a listing of valid names: find them with native scans and copy
    // the rest (a plain Array, as below, so only for plain arrays) or take just them.
    if (valid && exceptions.length <= FEW_EXCEPTIONS && (!allowed || names.constructor === Array)) {
      const at = positions(names, exceptions);
      if (at !== null) return allowed ? without(names, at) : at.map((i) => names[i]);
    }
    const differ = new Set(exceptions);
    const out = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (differ.has(name) !== allowed && (valid || isSingleSegment(name))) out.push(name);
    }
    return out;
  }

  /** The NUL-terminated names published by `resolve`. */
  #exceptions(at, length) {
    return decoder.decode(U8.subarray(at, at + length - 1)).split('\0');
  }

  /**
   * Loads (sharing a load already running, unless `fresh`) and stores a user's rules.
   * A load superseded by a newer one (a login) settles as the newer one does; a load
   * cancelled by `logout` or `clear` stores nothing; one that ends after `free()`
   * rejects with ERR_LRU_FREED.
   */
  #fetch(user, fresh) {
    const running = this.#inflight.get(user);
    if (running !== undefined && !fresh) return running;
    this.#loads++;
    const load = (async () => this.#load(user))().then(
      (rules) => {
        const newer = this.#newer.get(load);
        if (newer !== undefined) return newer;
        if (this.#inflight.get(user) !== load) return undefined; // cancelled
        this.#inflight.delete(user);
        this.#live();
        let evicted;
        try {
          evicted = this.#store(user, rules);
        } catch (error) {
          this.#failed(user, error);
        }
        this.#evictions += evicted.length;
        this.#notify(evicted, 'evict');
      },
      (error) => {
        const newer = this.#newer.get(load);
        if (newer !== undefined) {
          this.#failures++;
          return newer;
        }
        if (this.#inflight.get(user) !== load) {
          this.#failures++;
          throw error; // cancelled: nothing of the user's is cached any more
        }
        this.#inflight.delete(user);
        this.#failed(user, error);
      },
    );
    if (running !== undefined) this.#newer.set(running, load);
    this.#inflight.set(user, load);
    return load;
  }

  /**
   * Loads a user who was not cached, then calls `use` with their slot in the same
   * synchronous step as it reads the slot, so that nothing (an eviction by another
   * load, a logout) can free or reuse the slot in between.
   */
  async #afterLoad(user, use) {
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
  #failed(user, error) {
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
  #store(user, rules) {
    const packed = pack(user, rules);
    const previous = this.#slots[user];
    const engine = this.#engine;
    const slot = synced(() => engine.store(previous ?? NIL, packed));
    const evicted = [];
    const count = U32[this.#io];
    const base = U32[this.#io + 1] >>> 2;
    for (let i = 0; i < count; i++) {
      const gone = U32[base + i];
      evicted.push(this.#users[gone]);
      this.#forget(gone, this.#users[gone]);
    }
    this.#slots[user] = slot;
    this.#users[slot] = user;
    return evicted;
  }

  /** Calls onEvict for each user, all of them even if some throw; then throws the first error. */
  #notify(users, reason) {
    if (this.#onEvict === null) return;
    let failure = null;
    for (const user of users) {
      try {
        this.#onEvict(user, reason);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
  }

  #forget(slot, user) {
    delete this.#slots[user];
    this.#users[slot] = undefined;
  }
}
