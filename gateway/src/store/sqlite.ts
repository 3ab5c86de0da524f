// The embedded store: node:sqlite (built into Node >= 22.13 and Deno >= 2.2, no native
// addon), one file under the data directory, WAL mode and a busy timeout so that
// several worker processes share it.

import { DatabaseSync } from 'node:sqlite';
import type { PermissionRule } from 'edge-lru/permissions';
import {
  decodeAllow,
  encodeAllow,
  type RuleRecord,
  SCHEMA_VERSION,
  type Store,
  UserChanges,
  type UserRecord,
} from './types.ts';

interface UserRow {
  name: string;
  password_hash: string;
  admin: number;
}

interface RuleRow {
  user: string;
  path: string;
  allow: string;
}

export class SqliteStore extends UserChanges implements Store {
  readonly kind = 'sqlite';
  #db: DatabaseSync;

  constructor(file: string, busyTimeoutMs = 5000) {
    super();
    this.#db = new DatabaseSync(file);
    this.#db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('PRAGMA foreign_keys = ON');
  }

  migrate(): Promise<void> {
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY NOT NULL,
        password_hash TEXT NOT NULL,
        admin INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS rules (
        user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        path TEXT NOT NULL,
        allow TEXT NOT NULL,
        PRIMARY KEY (user, path)
      );
    `);
    const row = this.#db.prepare('SELECT version FROM schema_version').get() as
      | { version: number }
      | undefined;
    if (row === undefined) {
      this.#db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
    }
    return Promise.resolve();
  }

  getUser(name: string): Promise<UserRecord | undefined> {
    const row = this.#db.prepare('SELECT name, password_hash, admin FROM users WHERE name = ?').get(name) as
      | UserRow
      | undefined;
    return Promise.resolve(
      row && { name: row.name, passwordHash: row.password_hash, admin: row.admin !== 0 },
    );
  }

  getRules(name: string): Promise<PermissionRule[]> {
    const rows = this.#db.prepare('SELECT path, allow FROM rules WHERE user = ? ORDER BY path').all(
      name,
    ) as unknown as RuleRow[];
    return Promise.resolve(rows.map((r) => ({ path: r.path, allow: decodeAllow(r.allow) })));
  }

  addUser(user: UserRecord): Promise<boolean> {
    const result = this.#db
      .prepare(
        'INSERT INTO users (name, password_hash, admin) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
      )
      .run(user.name, user.passwordHash, user.admin ? 1 : 0);
    return Promise.resolve(Number(result.changes) === 1);
  }

  setPassword(name: string, passwordHash: string): Promise<boolean> {
    const result = this.#db.prepare('UPDATE users SET password_hash = ? WHERE name = ?').run(
      passwordHash,
      name,
    );
    return Promise.resolve(this.changed(name, Number(result.changes) === 1));
  }

  setAdmin(name: string, admin: boolean): Promise<boolean> {
    const result = this.#db.prepare('UPDATE users SET admin = ? WHERE name = ?').run(admin ? 1 : 0, name);
    return Promise.resolve(this.changed(name, Number(result.changes) === 1));
  }

  removeUser(name: string): Promise<boolean> {
    this.#db.prepare('DELETE FROM rules WHERE user = ?').run(name);
    const result = this.#db.prepare('DELETE FROM users WHERE name = ?').run(name);
    return Promise.resolve(this.changed(name, Number(result.changes) === 1));
  }

  listUsers(): Promise<{ name: string; admin: boolean }[]> {
    const rows = this.#db.prepare('SELECT name, admin FROM users ORDER BY name')
      .all() as unknown as UserRow[];
    return Promise.resolve(rows.map((r) => ({ name: r.name, admin: r.admin !== 0 })));
  }

  grant(rule: RuleRecord): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO rules (user, path, allow) VALUES (?, ?, ?) ON CONFLICT (user, path) DO UPDATE SET allow = excluded.allow',
      )
      .run(rule.user, rule.path, encodeAllow(rule.allow));
    return Promise.resolve();
  }

  revoke(user: string, path: string): Promise<boolean> {
    const result = this.#db.prepare('DELETE FROM rules WHERE user = ? AND path = ?').run(user, path);
    return Promise.resolve(Number(result.changes) === 1);
  }

  listRules(user?: string): Promise<RuleRecord[]> {
    const rows =
      (user === undefined
        ? this.#db.prepare('SELECT user, path, allow FROM rules ORDER BY user, path').all()
        : this.#db.prepare('SELECT user, path, allow FROM rules WHERE user = ? ORDER BY path').all(
          user,
        )) as unknown as RuleRow[];
    return Promise.resolve(rows.map((r) => ({ user: r.user, path: r.path, allow: decodeAllow(r.allow) })));
  }

  ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}
