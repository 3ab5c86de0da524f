// The permission checks the gateway needs, behind a small interface so that another
// implementation (lru-cache with a JS matcher, or no cache at all) can be swapped in
// for a benchmark. The default keeps users' rules in edge-lru's PermissionCache.

import {
  type Operation,
  OPERATIONS,
  PermissionCache,
  type PermissionEvictionReason,
  type PermissionRule,
} from 'edge-lru/permissions';
import { LRUCache } from 'lru-cache';

export interface PermissionStats {
  hits: number;
  misses: number;
  loads: number;
  evictions: number;
  users: number;
  bytes: number;
}

export interface CachedUser {
  user: string;
  bytes: number;
}

export interface EvictionRecord {
  user: string;
  reason: PermissionEvictionReason;
  time: number;
}

export interface Permissions {
  /** Reloads the user's rules from the store (a login). */
  login(user: string): Promise<void>;
  logout(user: string): void;
  allows(user: string, path: string, op: Operation): Promise<boolean>;
  /** The names in a listing of `dir` that the user may `op`, in order. */
  filter(user: string, dir: string, names: readonly string[], op: Operation): Promise<string[]>;
  /** Whether any of the user's rules lies strictly below `path`. */
  hasRulesBelow(user: string, path: string): Promise<boolean>;
  stats(): PermissionStats;
  /** Cached users, most recently used first. */
  users(): CachedUser[];
  /** The latest evictions, newest first. */
  evictions(): EvictionRecord[];
  /** Called after each login, eviction or logout (for the live view). */
  onChange(listener: () => void): () => void;
  close(): void;
}

export type RuleLoader = (user: string) => Promise<PermissionRule[]>;

const EVICTION_LOG = 50;

/** What the live view follows of a cache backend: its last evictions, and who listens for changes. */
class ChangeFeed {
  readonly #evictions: EvictionRecord[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  evicted(user: string, reason: EvictionRecord['reason']): void {
    this.#evictions.unshift({ user, reason, time: this.#now() });
    if (this.#evictions.length > EVICTION_LOG) this.#evictions.length = EVICTION_LOG;
    this.changed();
  }

  changed(): void {
    for (const listener of this.#listeners) listener();
  }

  evictions(): EvictionRecord[] {
    return this.#evictions.slice();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
  }
}

export class EdgePermissions implements Permissions {
  #cache: PermissionCache;
  #feed: ChangeFeed;
  /** The most recently used user, as far as this wrapper saw: a check of anyone else reorders. */
  #newest: string | undefined;

  constructor(options: PermissionOptions) {
    this.#feed = new ChangeFeed(options.now);
    this.#cache = new PermissionCache({
      maxUsers: options.maxUsers,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      load: options.load,
      onEvict: (user, reason) => this.#feed.evicted(user, reason),
    });
  }

  #touched(user: string): void {
    if (user === this.#newest) return;
    this.#newest = user;
    if (this.#feed.listening) this.#feed.changed();
  }

  async login(user: string): Promise<void> {
    await this.#cache.login(user);
    this.#newest = user;
    this.#feed.changed();
  }

  logout(user: string): void {
    this.#cache.logout(user);
    if (this.#newest === user) this.#newest = undefined;
  }

  allows(user: string, path: string, op: Operation): Promise<boolean> {
    const cached = this.#cache.allowsCached(user, path, op);
    if (cached !== undefined) {
      this.#touched(user);
      return Promise.resolve(cached);
    }
    return this.#reload(user, () => this.#cache.allows(user, path, op));
  }

  filter(user: string, dir: string, names: readonly string[], op: Operation): Promise<string[]> {
    const cached = this.#cache.filterCached(user, dir, names, op);
    if (cached !== undefined) {
      this.#touched(user);
      return Promise.resolve(cached);
    }
    return this.#reload(user, () => this.#cache.filter(user, dir, names, op));
  }

  hasRulesBelow(user: string, path: string): Promise<boolean> {
    const cached = this.#cache.hasRulesBelowCached(user, path);
    if (cached !== undefined) {
      this.#touched(user);
      return Promise.resolve(cached);
    }
    return this.#reload(user, () => this.#cache.hasRulesBelow(user, path));
  }

  async #reload<T>(user: string, fn: () => Promise<T>): Promise<T> {
    const value = await fn();
    this.#newest = user;
    this.#feed.changed();
    return value;
  }

  stats(): PermissionStats {
    const s = this.#cache.stats;
    return {
      hits: s.hits,
      misses: s.misses,
      loads: s.loads,
      evictions: s.evictions,
      users: s.users,
      bytes: s.bytes,
    };
  }

  users(): CachedUser[] {
    return [...this.#cache.users()].map((user) => ({ user, bytes: this.#cache.bytesOf(user) ?? 0 }));
  }

  evictions(): EvictionRecord[] {
    return this.#feed.evictions();
  }

  onChange(listener: () => void): () => void {
    return this.#feed.onChange(listener);
  }

  close(): void {
    this.#feed.close();
    this.#cache.free();
  }
}

/** The permission backends a gateway can run with (`--permission-cache`). */
export const PERMISSION_BACKENDS = ['edge-lru', 'lru-cache', 'none'] as const;
export type PermissionBackend = typeof PERMISSION_BACKENDS[number];

export interface PermissionOptions {
  maxUsers: number;
  maxBytes?: number;
  load: RuleLoader;
  now?: () => number;
}

/** A permissions implementation by name; a name not known is a RangeError. */
export function createPermissions(backend: string, options: PermissionOptions): Permissions {
  switch (backend) {
    case 'edge-lru':
      return new EdgePermissions(options);
    case 'lru-cache':
      return new JsPermissions(options);
    case 'none':
      return new UncachedPermissions(options.load);
    default:
      throw Object.assign(
        new RangeError(
          `--permission-cache must be one of ${PERMISSION_BACKENDS.join(', ')}, not ${
            JSON.stringify(backend)
          }`,
        ),
        { code: 'ERR_GATEWAY_OPTION' },
      );
  }
}

const BIT: Record<string, number> = Object.fromEntries(OPERATIONS.map((op, i) => [op, 1 << i]));

function opBit(op: Operation): number {
  const bit = BIT[op];
  if (bit === undefined) {
    throw Object.assign(new TypeError(`unknown operation ${JSON.stringify(op)}`), { code: 'ERR_PERM_OP' });
  }
  return bit;
}

/** A path as rule paths are compared: no empty or `.` segments, no trailing slash; the root is ''. */
function normalize(path: string): string {
  if (!path.includes('//') && !path.includes('/.') && !path.endsWith('/')) return path === '/' ? '' : path;
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  return segments.length === 0 ? '' : '/' + segments.join('/');
}

function isSegment(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name) && name.isWellFormed();
}

/**
 * A user's rules as JS objects: normalized path -> operation bits. The longest rule
 * matching a path by whole segments decides (found by cutting the path back one segment
 * at a time, one Map lookup each); with no matching rule nothing is allowed.
 */
export class CompiledRules {
  readonly rules = new Map<string, number>();
  /** The estimated JS heap bytes of this object (see RULE_BYTES). */
  readonly bytes: number;

  constructor(rules: readonly PermissionRule[]) {
    let bytes = RULES_BASE_BYTES;
    for (const rule of rules) {
      let bits = 0;
      for (const op of rule.allow) bits |= opBit(op);
      const path = normalize(rule.path);
      if (!this.rules.has(path)) bytes += RULE_BYTES + stringBytes(path);
      this.rules.set(path, bits);
    }
    this.bytes = bytes;
  }

  /** The bits of the longest rule at or above the normalized `path`, or 0. */
  #resolve(path: string): number {
    for (let p = path;;) {
      const bits = this.rules.get(p);
      if (bits !== undefined) return bits;
      if (p === '') return 0;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  }

  allows(path: string, op: Operation): boolean {
    return (this.#resolve(normalize(path)) & opBit(op)) !== 0;
  }

  filter(dir: string, names: readonly string[], op: Operation): string[] {
    const bit = opBit(op);
    const base = normalize(dir);
    const inherited = (this.#resolve(base) & bit) !== 0;
    const out: string[] = [];
    for (const name of names) {
      // Only a rule on the entry itself can differ from the directory's.
      const own = this.rules.get(base + '/' + name);
      if ((own === undefined ? inherited : (own & bit) !== 0) && isSegment(name)) out.push(name);
    }
    return out;
  }

  hasRulesBelow(path: string): boolean {
    const prefix = normalize(path) + '/';
    for (const p of this.rules.keys()) if (p.startsWith(prefix)) return true;
    return false;
  }
}

/**
 * Estimated bytes (V8, 64-bit, pointer compression): the object with its Map, and per
 * rule a Map entry (hash table slot, growth slack) plus its key string. Measured with
 * gateway/bench/js-bytes.ts: heap used after gc over 20,000 rule sets of 4, 12 and 40 rules.
 */
export const RULES_BASE_BYTES = 64;
export const RULE_BYTES = 54;
function stringBytes(s: string): number {
  return 16 + s.length * (/[\u0100-\uffff]/.test(s) ? 2 : 1);
}

const LRU_ENTRY_BYTES = 100;

/**
 * Users' rules as JS objects in lru-cache, bounded by a user count and by estimated
 * bytes (maxSize + sizeCalculation); concurrent misses of one user share one load.
 */
export class JsPermissions implements Permissions {
  #cache: LRUCache<string, CompiledRules>;
  #load: RuleLoader;
  #inflight = new Map<string, Promise<CompiledRules>>();
  #feed: ChangeFeed;
  #hits = 0;
  #misses = 0;
  #loads = 0;
  #evicted = 0;
  #bytes = 0;

  constructor(options: PermissionOptions) {
    this.#load = options.load;
    this.#feed = new ChangeFeed(options.now);
    this.#cache = new LRUCache<string, CompiledRules>({
      max: options.maxUsers,
      maxSize: options.maxBytes ?? 64 << 20,
      sizeCalculation: (rules, user) => rules.bytes + LRU_ENTRY_BYTES + stringBytes(user),
      dispose: (rules, user, reason) => {
        this.#bytes -= rules.bytes + LRU_ENTRY_BYTES + stringBytes(user);
        if (reason === 'evict') {
          this.#evicted++;
          this.#feed.evicted(user, 'evict');
        }
      },
    });
  }

  #fetch(user: string, fresh: boolean): Promise<CompiledRules> {
    const running = this.#inflight.get(user);
    if (running !== undefined && !fresh) return running;
    this.#loads++;
    const self: { load?: Promise<CompiledRules> } = {};
    const load = (async () => {
      await undefined; // so that `self.load` is set before the first comparison
      const current = () => this.#inflight.get(user) === self.load;
      try {
        const rules = new CompiledRules(await this.#load(user));
        if (current()) {
          this.#cache.set(user, rules);
          this.#bytes += rules.bytes + LRU_ENTRY_BYTES + stringBytes(user);
        }
        return rules;
      } catch (error) {
        if (current()) this.#cache.delete(user);
        throw error;
      } finally {
        if (current()) this.#inflight.delete(user);
      }
    })();
    self.load = load;
    this.#inflight.set(user, load);
    return load;
  }

  #rules(user: string): CompiledRules | Promise<CompiledRules> {
    const cached = this.#cache.get(user);
    if (cached !== undefined) {
      this.#hits++;
      return cached;
    }
    this.#misses++;
    return this.#fetch(user, false);
  }

  async login(user: string): Promise<void> {
    await this.#fetch(user, true);
    this.#feed.changed();
  }

  logout(user: string): void {
    this.#inflight.delete(user);
    this.#cache.delete(user);
  }

  async allows(user: string, path: string, op: Operation): Promise<boolean> {
    const rules = this.#rules(user);
    return (rules instanceof CompiledRules ? rules : await rules).allows(path, op);
  }

  async filter(user: string, dir: string, names: readonly string[], op: Operation): Promise<string[]> {
    const rules = this.#rules(user);
    return (rules instanceof CompiledRules ? rules : await rules).filter(dir, names, op);
  }

  async hasRulesBelow(user: string, path: string): Promise<boolean> {
    const rules = this.#rules(user);
    return (rules instanceof CompiledRules ? rules : await rules).hasRulesBelow(path);
  }

  stats(): PermissionStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      loads: this.#loads,
      evictions: this.#evicted,
      users: this.#cache.size,
      bytes: this.#bytes,
    };
  }

  users(): CachedUser[] {
    return [...this.#cache.entries()].map(([user, rules]) => ({ user, bytes: rules.bytes }));
  }

  evictions(): EvictionRecord[] {
    return this.#feed.evictions();
  }

  onChange(listener: () => void): () => void {
    return this.#feed.onChange(listener);
  }

  close(): void {
    this.#feed.close();
    this.#inflight.clear();
    this.#cache.clear();
  }
}

/** No cache: the user's rules are read from the store for every check, and a listing checks every entry. */
export class UncachedPermissions implements Permissions {
  #load: RuleLoader;
  #loads = 0;

  constructor(load: RuleLoader) {
    this.#load = load;
  }

  async #rules(user: string): Promise<CompiledRules> {
    this.#loads++;
    return new CompiledRules(await this.#load(user));
  }

  async login(user: string): Promise<void> {
    await this.#rules(user);
  }

  logout(): void {}

  async allows(user: string, path: string, op: Operation): Promise<boolean> {
    return (await this.#rules(user)).allows(path, op);
  }

  /** One check per entry, each reading the store, as an uncached service checks a listing. */
  async filter(user: string, dir: string, names: readonly string[], op: Operation): Promise<string[]> {
    const base = dir.endsWith('/') ? dir : `${dir}/`;
    const out: string[] = [];
    for (const name of names) {
      if (isSegment(name) && (await this.allows(user, base + name, op))) out.push(name);
    }
    return out;
  }

  async hasRulesBelow(user: string, path: string): Promise<boolean> {
    return (await this.#rules(user)).hasRulesBelow(path);
  }

  stats(): PermissionStats {
    return { hits: 0, misses: this.#loads, loads: this.#loads, evictions: 0, users: 0, bytes: 0 };
  }

  users(): CachedUser[] {
    return [];
  }

  evictions(): EvictionRecord[] {
    return [];
  }

  onChange(): () => void {
    return () => {};
  }

  close(): void {}
}
