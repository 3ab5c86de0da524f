// The permission checks the gateway needs, behind a small interface so that another
// implementation (lru-cache with a JS matcher, or no cache at all) can be swapped in
// for a benchmark. The default keeps users' rules in edge-lru's PermissionCache.

import {
  type Operation,
  PermissionCache,
  type PermissionEvictionReason,
  type PermissionRule,
} from 'edge-lru/permissions';

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

export class EdgePermissions implements Permissions {
  #cache: PermissionCache;
  #evictions: EvictionRecord[] = [];
  #listeners = new Set<() => void>();
  #now: () => number;
  /** The most recently used user, as far as this wrapper saw: a check of anyone else reorders. */
  #newest: string | undefined;

  constructor(options: { maxUsers: number; maxBytes?: number; load: RuleLoader; now?: () => number }) {
    this.#now = options.now ?? Date.now;
    this.#cache = new PermissionCache({
      maxUsers: options.maxUsers,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      load: options.load,
      onEvict: (user, reason) => {
        this.#evictions.unshift({ user, reason, time: this.#now() });
        if (this.#evictions.length > EVICTION_LOG) this.#evictions.length = EVICTION_LOG;
        this.#changed();
      },
    });
  }

  #touched(user: string): void {
    if (user === this.#newest) return;
    this.#newest = user;
    if (this.#listeners.size > 0) this.#changed();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  async login(user: string): Promise<void> {
    await this.#cache.login(user);
    this.#newest = user;
    this.#changed();
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
    this.#changed();
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
    return this.#evictions.slice();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
    this.#cache.free();
  }
}
