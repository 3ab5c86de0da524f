// The embedded store: node:sqlite (built into Node >= 22.13 and Deno >= 2.2, no native
// addon), one file under the data directory, WAL mode and a busy timeout so that
// several worker processes share it.

import { DatabaseSync } from 'node:sqlite';
import {
  encodeAllow,
  type Param,
  type Row,
  type RuleRecord,
  SqlStore,
  type Statement,
  type UserRecord,
} from './sql.ts';

export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite';
  #db: DatabaseSync;

  constructor(file: string, busyTimeoutMs = 5000) {
    super();
    this.#db = new DatabaseSync(file);
    this.#db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('PRAGMA foreign_keys = ON');
  }

  protected rows(sql: string, params: Param[] = []): Promise<Row[]> {
    return Promise.resolve(this.#db.prepare(sql).all(...params) as Row[]);
  }

  protected change(sql: string, params: Param[]): Promise<number> {
    return Promise.resolve(Number(this.#db.prepare(sql).run(...params).changes));
  }

  protected transaction(statements: Statement[]): Promise<number[]> {
    // Synchronous from BEGIN to COMMIT: nothing else runs on this connection in between.
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const counts = statements.map((s) => Number(this.#db.prepare(s.sql).run(...s.params).changes));
      this.#db.exec('COMMIT');
      return Promise.resolve(counts);
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  async migrate(): Promise<void> {
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY NOT NULL,
        password_hash TEXT NOT NULL,
        admin INTEGER NOT NULL DEFAULT 0,
        sessions_after INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS rules (
        user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        path TEXT NOT NULL,
        allow TEXT NOT NULL,
        PRIMARY KEY (user, path)
      );
      -- AUTOINCREMENT: an id is never reused, even after the newest rows are deleted.
      CREATE TABLE IF NOT EXISTS revocations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS revocations_at ON revocations (at);
    `);
    await this.upgrade((ddl) => Promise.resolve(void this.#db.exec(ddl)));
  }

  protected hasColumn(table: string, column: string): Promise<boolean> {
    const columns = this.#db.prepare(`PRAGMA table_info(${table})`).all() as Row[];
    return Promise.resolve(columns.some((c) => c.name === column));
  }

  addUser(user: UserRecord): Promise<boolean> {
    return this.inserting(
      'INSERT INTO users (name, password_hash, admin, sessions_after) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
      user,
    );
  }

  async grant(rule: RuleRecord): Promise<void> {
    await this.change(
      'INSERT INTO rules (user, path, allow) VALUES (?, ?, ?) ON CONFLICT (user, path) DO UPDATE SET allow = excluded.allow',
      [rule.user, rule.path, encodeAllow(rule.allow)],
    );
  }

  close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}
