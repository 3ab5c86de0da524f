// The store: users (with password hashes and an admin flag) and their rules. One
// interface, two implementations (embedded SQLite, MySQL/MariaDB), as SFTPGo keeps its
// data providers behind one interface.

import type { Operation, PermissionRule } from 'edge-lru/permissions';

export interface UserRecord {
  name: string;
  passwordHash: string;
  admin: boolean;
}

export interface RuleRecord {
  user: string;
  path: string;
  allow: Operation[];
}

export interface Store {
  /** `sqlite` or `mysql`. */
  readonly kind: string;
  /** Creates or upgrades the schema; idempotent. */
  migrate(): Promise<void>;
  getUser(name: string): Promise<UserRecord | undefined>;
  /** The user's rules as `PermissionCache` takes them. */
  getRules(name: string): Promise<PermissionRule[]>;
  /** Adds a user; returns false when the name is taken. */
  addUser(user: UserRecord): Promise<boolean>;
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  setAdmin(name: string, admin: boolean): Promise<boolean>;
  /** Removes a user and the user's rules. */
  removeUser(name: string): Promise<boolean>;
  /**
   * Calls `listener` with the name of each user whose password, admin flag or existence this
   * store object changes (not other processes' changes); returns the unsubscribe function.
   */
  onUserChange(listener: (name: string) => void): () => void;
  listUsers(): Promise<{ name: string; admin: boolean }[]>;
  /** Sets (inserts or replaces) the rule of `user` on `path`. */
  grant(rule: RuleRecord): Promise<void>;
  revoke(user: string, path: string): Promise<boolean>;
  listRules(user?: string): Promise<RuleRecord[]>;
  /** Answers when the store is reachable (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const SCHEMA_VERSION = 1;

/** The store cannot answer (down, unreachable, too slow or its queue is full); the HTTP layer answers 503. */
export class StoreUnavailableError extends Error {
  readonly code = 'ERR_STORE_UNAVAILABLE';
  constructor(cause: unknown) {
    super('the user store is unavailable; retry shortly', { cause });
  }
}

/** Rules are stored with their operations as one comma-separated column. */
export function encodeAllow(allow: readonly Operation[]): string {
  return [...new Set(allow)].join(',');
}

export function decodeAllow(text: string): Operation[] {
  return text === '' ? [] : (text.split(',') as Operation[]);
}
