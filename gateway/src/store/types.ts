// The store: users (with password hashes and an admin flag) and their rules. One
// interface, two implementations (embedded SQLite, MySQL/MariaDB), as SFTPGo keeps its
// data providers behind one interface.

import type { Operation, PermissionRule } from 'edge-lru/permissions';

export interface UserRecord {
  name: string;
  passwordHash: string;
  admin: boolean;
}

/** What a session is checked against: the user's current admin flag and when the user's sessions were last revoked. */
export interface Account {
  admin: boolean;
  /** Sessions issued until this time (ms since the epoch) are refused; 0 when never revoked. */
  sessionsAfter: number;
}

/** A revocation of a user's sessions (password or admin flag changed, user removed or logged out). */
export interface Revocation {
  /** Increasing in the order the revocations were made. */
  id: number;
  user: string;
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
  /** The user's account and rules, in one query (the permission cache's loader); no account for an unknown user. */
  loadUser(name: string): Promise<{ account: Account | undefined; rules: PermissionRule[] }>;
  /** Adds a user; returns false when the name is taken. */
  addUser(user: UserRecord): Promise<boolean>;
  /** Sets the password, and revokes the user's sessions. */
  setPassword(name: string, passwordHash: string): Promise<boolean>;
  /** Sets the admin flag, and revokes the user's sessions. */
  setAdmin(name: string, admin: boolean): Promise<boolean>;
  /** Revokes every session issued to the user until now; false for an unknown user. */
  revokeSessions(name: string): Promise<boolean>;
  /** Removes a user and the user's rules. */
  removeUser(name: string): Promise<boolean>;
  /**
   * The revocations after `id`, in order, at most `limit` of them (each revoking change above
   * records one; those older than seven days are dropped).
   */
  revocationsAfter(id: number, limit: number): Promise<Revocation[]>;
  /** The id of the latest revocation; 0 when there is none. */
  lastRevocationId(): Promise<number>;
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

export const SCHEMA_VERSION = 3;

/** How long revocations are kept for other processes to read (ms). */
export const REVOCATIONS_KEPT_MS = 7 * 24 * 3600 * 1000;

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
