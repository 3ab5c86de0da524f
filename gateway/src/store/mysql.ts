// MySQL/MariaDB through mysql2's promise pool: `execute` with placeholders only (prepared
// statements cached per connection), a bounded pool and queue, and timeouts, so a login
// flood queues a bounded number of queries and then fails fast instead of piling up.

import mysql from 'mysql2/promise';
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

export interface MysqlOptions {
  connectionLimit?: number;
  queueLimit?: number;
  connectTimeoutMs?: number;
}

type Row = Record<string, unknown>;

export class MysqlStore extends UserChanges implements Store {
  readonly kind = 'mysql';
  #pool: mysql.Pool;

  constructor(url: string, options: MysqlOptions = {}) {
    super();
    this.#pool = mysql.createPool({
      uri: url,
      connectionLimit: options.connectionLimit ?? 10,
      queueLimit: options.queueLimit ?? 1000,
      connectTimeout: options.connectTimeoutMs ?? 5000,
      waitForConnections: true,
      enableKeepAlive: true,
      charset: 'utf8mb4_bin',
    });
  }

  async #rows(sql: string, params: (string | number)[] = []): Promise<Row[]> {
    const [rows] = await this.#pool.execute(sql, params);
    return rows as Row[];
  }

  async #change(sql: string, params: (string | number)[]): Promise<number> {
    const [result] = await this.#pool.execute(sql, params);
    return (result as mysql.ResultSetHeader).affectedRows;
  }

  async migrate(): Promise<void> {
    // DDL is not preparable everywhere: `query`, with no parameters.
    await this.#pool.query('CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL) ENGINE=InnoDB');
    await this.#pool.query(`CREATE TABLE IF NOT EXISTS users (
      name VARCHAR(255) NOT NULL PRIMARY KEY,
      password_hash VARCHAR(255) NOT NULL,
      admin TINYINT NOT NULL DEFAULT 0
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    // (255 + 500) * 4 bytes stays under InnoDB's 3072-byte key limit.
    await this.#pool.query(`CREATE TABLE IF NOT EXISTS rules (
      user VARCHAR(255) NOT NULL,
      path VARCHAR(500) NOT NULL,
      allow VARCHAR(255) NOT NULL,
      PRIMARY KEY (user, path),
      FOREIGN KEY (user) REFERENCES users(name) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    const rows = await this.#rows('SELECT version FROM schema_version');
    if (rows.length === 0) {
      await this.#change('INSERT INTO schema_version (version) VALUES (?)', [SCHEMA_VERSION]);
    }
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    const rows = await this.#rows('SELECT name, password_hash, admin FROM users WHERE name = ?', [name]);
    const row = rows[0];
    return row &&
      { name: String(row.name), passwordHash: String(row.password_hash), admin: Number(row.admin) !== 0 };
  }

  async getRules(name: string): Promise<PermissionRule[]> {
    const rows = await this.#rows('SELECT path, allow FROM rules WHERE user = ? ORDER BY path', [name]);
    return rows.map((r) => ({ path: String(r.path), allow: decodeAllow(String(r.allow)) }));
  }

  async addUser(user: UserRecord): Promise<boolean> {
    const n = await this.#change('INSERT IGNORE INTO users (name, password_hash, admin) VALUES (?, ?, ?)', [
      user.name,
      user.passwordHash,
      user.admin ? 1 : 0,
    ]);
    return n === 1;
  }

  async setPassword(name: string, passwordHash: string): Promise<boolean> {
    const n = await this.#change('UPDATE users SET password_hash = ? WHERE name = ?', [passwordHash, name]);
    return this.changed(name, n === 1);
  }

  async setAdmin(name: string, admin: boolean): Promise<boolean> {
    const [rows] = await this.#pool.execute('SELECT 1 FROM users WHERE name = ?', [name]);
    if ((rows as Row[]).length === 0) return false;
    await this.#change('UPDATE users SET admin = ? WHERE name = ?', [admin ? 1 : 0, name]);
    return this.changed(name, true);
  }

  async removeUser(name: string): Promise<boolean> {
    await this.#change('DELETE FROM rules WHERE user = ?', [name]);
    return this.changed(name, (await this.#change('DELETE FROM users WHERE name = ?', [name])) === 1);
  }

  async listUsers(): Promise<{ name: string; admin: boolean }[]> {
    const rows = await this.#rows('SELECT name, admin FROM users ORDER BY name');
    return rows.map((r) => ({ name: String(r.name), admin: Number(r.admin) !== 0 }));
  }

  async grant(rule: RuleRecord): Promise<void> {
    await this.#change(
      'INSERT INTO rules (user, path, allow) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE allow = VALUES(allow)',
      [rule.user, rule.path, encodeAllow(rule.allow)],
    );
  }

  async revoke(user: string, path: string): Promise<boolean> {
    return (await this.#change('DELETE FROM rules WHERE user = ? AND path = ?', [user, path])) === 1;
  }

  async listRules(user?: string): Promise<RuleRecord[]> {
    const rows = user === undefined
      ? await this.#rows('SELECT user, path, allow FROM rules ORDER BY user, path')
      : await this.#rows('SELECT user, path, allow FROM rules WHERE user = ? ORDER BY path', [user]);
    return rows.map((r) => ({
      user: String(r.user),
      path: String(r.path),
      allow: decodeAllow(String(r.allow)),
    }));
  }

  async ping(): Promise<void> {
    await this.#rows('SELECT 1');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
