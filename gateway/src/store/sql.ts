// What both SQL stores share: the statements that read and write alike in SQLite and
// MySQL/MariaDB, the mapping of rows to records, and the change listeners. Each store
// supplies its connection (`rows`, `change`), its schema and its dialect's upserts.

import type { PermissionRule } from 'edge-lru/permissions';
import {
  type Account,
  decodeAllow,
  type Revocation,
  REVOCATIONS_KEPT_MS,
  type RuleRecord,
  SCHEMA_VERSION,
  type Store,
  type UserRecord,
} from './types.ts';

export { encodeAllow, type UserRecord } from './types.ts';
export type { RuleRecord };

export type Row = Record<string, unknown>;
export type Param = string | number;
export interface Statement {
  sql: string;
  params: Param[];
}

/** Records a revocation of `name`'s sessions, if the user exists. */
function recordRevocation(name: string, now: number): Statement {
  return {
    sql: 'INSERT INTO revocations (user, at) SELECT name, ? FROM users WHERE name = ?',
    params: [now, name],
  };
}

/** Drops revocations older than REVOCATIONS_KEPT_MS (the newest row always stays, so ids are never reused). */
function prune(now: number): Statement {
  return { sql: 'DELETE FROM revocations WHERE at < ?', params: [now - REVOCATIONS_KEPT_MS] };
}

export abstract class SqlStore implements Store {
  abstract readonly kind: string;
  #listeners = new Set<(name: string) => void>();

  /** The rows a query returns. */
  protected abstract rows(sql: string, params?: Param[]): Promise<Row[]>;
  /** Runs a statement; the number of rows it changed. */
  protected abstract change(sql: string, params: Param[]): Promise<number>;
  /** Runs statements in one transaction; the number of rows each changed. */
  protected abstract transaction(statements: Statement[]): Promise<number[]>;

  abstract migrate(): Promise<void>;
  abstract addUser(user: UserRecord): Promise<boolean>;
  abstract grant(rule: RuleRecord): Promise<void>;
  abstract close(): Promise<void>;

  /**
   * Brings a schema that `migrate` created (its tables exist, in their newest form when new)
   * to SCHEMA_VERSION, and records the version. `addColumn` runs one `ALTER TABLE` statement.
   * Version 3's `revocations` table is new: `migrate` creates it.
   */
  protected async upgrade(addColumn: (ddl: string) => Promise<void>): Promise<void> {
    const [row] = await this.rows('SELECT version FROM schema_version');
    if (row === undefined) {
      await this.change('INSERT INTO schema_version (version) VALUES (?)', [SCHEMA_VERSION]);
      return;
    }
    const version = Number(row.version);
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `the store's schema is version ${version}, newer than this gateway's (${SCHEMA_VERSION})`,
      );
    }
    // Version 2: sessions can be revoked.
    if (version < 2 && !(await this.hasColumn('users', 'sessions_after'))) {
      await addColumn('ALTER TABLE users ADD COLUMN sessions_after BIGINT NOT NULL DEFAULT 0');
    }
    if (version < SCHEMA_VERSION) {
      await this.change('UPDATE schema_version SET version = ?', [SCHEMA_VERSION]);
    }
  }

  /** Whether `table` has `column` (a schema created by a newer `migrate` already has it). */
  protected abstract hasColumn(table: string, column: string): Promise<boolean>;

  async getUser(name: string): Promise<UserRecord | undefined> {
    const [row] = await this.rows('SELECT name, password_hash, admin FROM users WHERE name = ?', [name]);
    return row && {
      name: String(row.name),
      passwordHash: String(row.password_hash),
      admin: Number(row.admin) !== 0,
    };
  }

  async getRules(name: string): Promise<PermissionRule[]> {
    const rows = await this.rows('SELECT path, allow FROM rules WHERE user = ? ORDER BY path', [name]);
    return rows.map((r) => ({ path: String(r.path), allow: decodeAllow(String(r.allow)) }));
  }

  async loadUser(name: string): Promise<{ account: Account | undefined; rules: PermissionRule[] }> {
    const rows = await this.rows(
      'SELECT u.admin, u.sessions_after, r.path, r.allow FROM users u LEFT JOIN rules r ON r.user = u.name WHERE u.name = ? ORDER BY r.path',
      [name],
    );
    if (rows.length === 0) return { account: undefined, rules: [] };
    const account = { admin: Number(rows[0]!.admin) !== 0, sessionsAfter: Number(rows[0]!.sessions_after) };
    const rules = rows.filter((r) => r.path !== null && r.path !== undefined).map((r) => ({
      path: String(r.path),
      allow: decodeAllow(String(r.allow)),
    }));
    return { account, rules };
  }

  /**
   * Runs a change of `name`'s row and records the revocation of the user's sessions, in one
   * transaction, so that other processes polling `revocationsAfter` see it; whether the user
   * exists. The revocation is recorded while the user's row is there: after an update, before a
   * removal. Revocations older than REVOCATIONS_KEPT_MS go at the same time, which keeps the
   * table small (the newest row always stays, so ids are never reused).
   */
  protected async revoking(name: string, change: Statement[], removal = false): Promise<boolean> {
    const now = Date.now();
    const record = recordRevocation(name, now);
    const statements = removal ? [record, ...change, prune(now)] : [...change, record, prune(now)];
    const counts = await this.transaction(statements);
    return this.changed(name, counts[statements.indexOf(record)] === 1);
  }

  /**
   * Adds a user with `insert` (the dialect's insert-if-absent of name, hash, admin and
   * sessions_after); whether it was added. Sessions issued before the account existed (to an
   * earlier account of the same name) are refused, and the addition is recorded like a
   * revocation, so that other processes forget what they cached about the name (a "no such
   * user" of the account removed before).
   */
  protected async inserting(insert: string, user: UserRecord): Promise<boolean> {
    const now = Date.now();
    const added: Statement = {
      sql: insert,
      params: [user.name, user.passwordHash, user.admin ? 1 : 0, now - 1],
    };
    const [count] = await this.transaction([added, recordRevocation(user.name, now), prune(now)]);
    return this.changed(user.name, count === 1);
  }

  setPassword(name: string, passwordHash: string): Promise<boolean> {
    return this.revoking(name, [{
      sql: 'UPDATE users SET password_hash = ?, sessions_after = ? WHERE name = ?',
      params: [passwordHash, Date.now(), name],
    }]);
  }

  setAdmin(name: string, admin: boolean): Promise<boolean> {
    return this.revoking(name, [{
      sql: 'UPDATE users SET admin = ?, sessions_after = ? WHERE name = ?',
      params: [admin ? 1 : 0, Date.now(), name],
    }]);
  }

  revokeSessions(name: string): Promise<boolean> {
    // A revocation in the same millisecond as the last one still changes the row.
    const now = Date.now();
    return this.revoking(name, [{
      sql:
        'UPDATE users SET sessions_after = CASE WHEN sessions_after >= ? THEN sessions_after + 1 ELSE ? END WHERE name = ?',
      params: [now, now, name],
    }]);
  }

  removeUser(name: string): Promise<boolean> {
    return this.revoking(name, [
      { sql: 'DELETE FROM rules WHERE user = ?', params: [name] },
      { sql: 'DELETE FROM users WHERE name = ?', params: [name] },
    ], true);
  }

  async revocationsAfter(id: number, limit: number): Promise<Revocation[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError('the limit must be a positive integer');
    }
    // The limit is inlined: MySQL refuses some placeholder types in LIMIT.
    const rows = await this.rows(`SELECT id, user FROM revocations WHERE id > ? ORDER BY id LIMIT ${limit}`, [
      id,
    ]);
    return rows.map((r) => ({ id: Number(r.id), user: String(r.user) }));
  }

  async lastRevocationId(): Promise<number> {
    const [row] = await this.rows('SELECT COALESCE(MAX(id), 0) AS id FROM revocations');
    return Number(row?.id ?? 0);
  }

  async listUsers(): Promise<{ name: string; admin: boolean }[]> {
    const rows = await this.rows('SELECT name, admin FROM users ORDER BY name');
    return rows.map((r) => ({ name: String(r.name), admin: Number(r.admin) !== 0 }));
  }

  async revoke(user: string, path: string): Promise<boolean> {
    return (await this.change('DELETE FROM rules WHERE user = ? AND path = ?', [user, path])) === 1;
  }

  async listRules(user?: string): Promise<RuleRecord[]> {
    const rows = user === undefined
      ? await this.rows('SELECT user, path, allow FROM rules ORDER BY user, path')
      : await this.rows('SELECT user, path, allow FROM rules WHERE user = ? ORDER BY path', [user]);
    return rows.map((r) => ({
      user: String(r.user),
      path: String(r.path),
      allow: decodeAllow(String(r.allow)),
    }));
  }

  async ping(): Promise<void> {
    await this.rows('SELECT 1');
  }

  onUserChange(listener: (name: string) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Tells the listeners that `name` changed, when it did; returns `changed`. */
  protected changed(name: string, changed: boolean): boolean {
    if (changed) { for (const listener of this.#listeners) listener(name); }
    return changed;
  }
}
