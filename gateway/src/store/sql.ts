// What both SQL stores share: the statements that read and write alike in SQLite and
// MySQL/MariaDB, the mapping of rows to records, and the change listeners. Each store
// supplies its connection (`rows`, `change`), its schema and its dialect's upserts.

import type { PermissionRule } from 'edge-lru/permissions';
import { decodeAllow, type RuleRecord, SCHEMA_VERSION, type Store, type UserRecord } from './types.ts';

export { encodeAllow, type UserRecord } from './types.ts';
export type { RuleRecord };

export type Row = Record<string, unknown>;
export type Param = string | number;

export abstract class SqlStore implements Store {
  abstract readonly kind: string;
  #listeners = new Set<(name: string) => void>();

  /** The rows a query returns. */
  protected abstract rows(sql: string, params?: Param[]): Promise<Row[]>;
  /** Runs a statement; the number of rows it changed. */
  protected abstract change(sql: string, params: Param[]): Promise<number>;

  abstract migrate(): Promise<void>;
  abstract addUser(user: UserRecord): Promise<boolean>;
  abstract setAdmin(name: string, admin: boolean): Promise<boolean>;
  abstract grant(rule: RuleRecord): Promise<void>;
  abstract close(): Promise<void>;

  /** Records the schema version in a new schema (after `migrate` created the tables). */
  protected async recordVersion(): Promise<void> {
    if ((await this.rows('SELECT version FROM schema_version')).length === 0) {
      await this.change('INSERT INTO schema_version (version) VALUES (?)', [SCHEMA_VERSION]);
    }
  }

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

  async setPassword(name: string, passwordHash: string): Promise<boolean> {
    const n = await this.change('UPDATE users SET password_hash = ? WHERE name = ?', [passwordHash, name]);
    return this.changed(name, n === 1);
  }

  async removeUser(name: string): Promise<boolean> {
    await this.change('DELETE FROM rules WHERE user = ?', [name]);
    return this.changed(name, (await this.change('DELETE FROM users WHERE name = ?', [name])) === 1);
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
