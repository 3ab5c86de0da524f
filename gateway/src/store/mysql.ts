// MySQL/MariaDB through mysql2's promise pool: `execute` with placeholders only (prepared
// statements cached per connection), a bounded pool and queue, and timeouts, so a login
// flood queues a bounded number of queries and then fails fast instead of piling up.

import mysql from 'mysql2/promise';
import {
  encodeAllow,
  type Param,
  type Row,
  type RuleRecord,
  SqlStore,
  type Statement,
  type UserRecord,
} from './sql.ts';
import { StoreUnavailableError } from './types.ts';

export interface MysqlOptions {
  connectionLimit?: number;
  queueLimit?: number;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
}

export class MysqlStore extends SqlStore {
  readonly kind = 'mysql';
  #pool: mysql.Pool;
  #timeout: number;

  constructor(url: string, options: MysqlOptions = {}) {
    super();
    this.#timeout = options.queryTimeoutMs ?? 5000;
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

  /**
   * A query under the timeout, counted from the call: mysql2's own timeout starts when a
   * connection takes the query, so a query that waited in the pool's queue behind slow ones
   * could take several timeouts. A failure that is not the server's answer to the SQL means the
   * store is unavailable. A query given up on still holds its place in the bounded pool until
   * mysql2's timeout ends it.
   */
  async #execute(sql: string, params: Param[]): Promise<unknown> {
    return await this.#deadline(async () =>
      (await this.#pool.execute({ sql, timeout: this.#timeout }, params))[0]
    );
  }

  /** `work` under the timeout, counted from the call, its failures mapped as `#execute` says; `expired` tells `work` when it was given up on. */
  async #deadline<T>(work: (expired: () => boolean) => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let expired = false;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true;
        reject(new StoreUnavailableError(new Error(`no answer within ${this.#timeout} ms`)));
      }, this.#timeout);
    });
    const query = work(() => expired);
    // A query given up on may still fail later: that failure has been answered already.
    query.catch(() => {});
    try {
      return await Promise.race([query, deadline]);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      if ((error as { sqlState?: unknown }).sqlState === undefined) throw new StoreUnavailableError(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  protected transaction(statements: Statement[]): Promise<number[]> {
    return this.#deadline(async (expired) => {
      const connection = await this.#pool.getConnection();
      try {
        // Given up on while waiting for a connection: the caller was told it failed, so nothing is done.
        if (expired()) throw new Error('given up on before it began');
        await connection.beginTransaction();
        const counts: number[] = [];
        try {
          for (const s of statements) {
            const [result] = await connection.execute({ sql: s.sql, timeout: this.#timeout }, s.params);
            counts.push((result as mysql.ResultSetHeader).affectedRows);
          }
          await connection.commit();
        } catch (error) {
          await connection.rollback().catch(() => {});
          throw error;
        }
        return counts;
      } finally {
        connection.release();
      }
    });
  }

  protected async rows(sql: string, params: Param[] = []): Promise<Row[]> {
    return (await this.#execute(sql, params)) as Row[];
  }

  protected async change(sql: string, params: Param[]): Promise<number> {
    return ((await this.#execute(sql, params)) as mysql.ResultSetHeader).affectedRows;
  }

  async migrate(): Promise<void> {
    // DDL is not preparable everywhere: `query`, with no parameters.
    await this.#pool.query('CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL) ENGINE=InnoDB');
    await this.#pool.query(`CREATE TABLE IF NOT EXISTS users (
      name VARCHAR(255) NOT NULL PRIMARY KEY,
      password_hash VARCHAR(255) NOT NULL,
      admin TINYINT NOT NULL DEFAULT 0,
      sessions_after BIGINT NOT NULL DEFAULT 0
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    // (255 + 500) * 4 bytes stays under InnoDB's 3072-byte key limit.
    await this.#pool.query(`CREATE TABLE IF NOT EXISTS rules (
      user VARCHAR(255) NOT NULL,
      path VARCHAR(500) NOT NULL,
      allow VARCHAR(255) NOT NULL,
      PRIMARY KEY (user, path),
      FOREIGN KEY (user) REFERENCES users(name) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await this.#pool.query(`CREATE TABLE IF NOT EXISTS revocations (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      user VARCHAR(255) NOT NULL,
      at BIGINT NOT NULL,
      KEY revocations_at (at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    await this.upgrade(async (ddl) => void (await this.#pool.query(ddl)));
  }

  protected async hasColumn(table: string, column: string): Promise<boolean> {
    const rows = await this.rows(
      'SELECT 1 FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?',
      [table, column],
    );
    return rows.length > 0;
  }

  addUser(user: UserRecord): Promise<boolean> {
    return this.inserting(
      'INSERT IGNORE INTO users (name, password_hash, admin, sessions_after) VALUES (?, ?, ?, ?)',
      user,
    );
  }

  async grant(rule: RuleRecord): Promise<void> {
    await this.change(
      'INSERT INTO rules (user, path, allow) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE allow = VALUES(allow)',
      [rule.user, rule.path, encodeAllow(rule.allow)],
    );
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
