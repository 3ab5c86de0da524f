// Chooses the store from a URL: `mysql://user:pass@host:port/db` for MySQL/MariaDB,
// anything else (`sqlite:FILE`, a file path, or nothing) for the embedded SQLite file.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MysqlStore } from './mysql.ts';
import { SqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

export type { RuleRecord, Store, UserRecord } from './types.ts';

export function openStore(url: string | undefined, dataDir: string): Store {
  if (url !== undefined && /^mysql:\/\//i.test(url)) return new MysqlStore(url);
  if (url !== undefined && url !== '' && url !== 'sqlite') {
    return new SqliteStore(url.replace(/^sqlite:(\/\/)?/i, ''));
  }
  mkdirSync(dataDir, { recursive: true });
  return new SqliteStore(join(dataDir, 'gateway.sqlite'));
}

/** A URL fit for logs: the password, if any, replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^(mysql:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}
