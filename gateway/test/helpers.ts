// Shared test fixtures: a gateway over a temporary tree and a fresh store (SQLite, and
// MariaDB when GATEWAY_TEST_MYSQL_URL names a server), with cheap scrypt parameters
// (each hash carries its own, so production parameters are tested on their own).

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { buildGateway, type Gateway, type GatewayConfig } from '../src/gateway.ts';
import type { AccessLogEntry } from '../src/app.ts';
import { DEMO_USERS, seedTree, seedUsers } from '../src/seed.ts';
import { MysqlStore } from '../src/store/mysql.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';

export const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
export const KEY = Buffer.from('k'.repeat(48));
export const PASSWORDS: Record<string, string> = Object.fromEntries(
  DEMO_USERS.map((u) => [u.name, u.password]),
);

export const MYSQL_URL = process.env.GATEWAY_TEST_MYSQL_URL;
export const STORES: ('sqlite' | 'mysql')[] = MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];

export interface TestStore {
  store: Store;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated store of `kind`. */
export async function freshStore(kind: 'sqlite' | 'mysql', dir: string): Promise<TestStore> {
  if (kind === 'sqlite') {
    const file = join(dir, 'gateway.sqlite');
    const store = new SqliteStore(file);
    await store.migrate();
    return { store, url: `sqlite:${file}`, drop: () => store.close() };
  }
  if (!MYSQL_URL) throw new Error('GATEWAY_TEST_MYSQL_URL is not set');
  const name = `gw_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection(MYSQL_URL);
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  const store = new MysqlStore(url.href);
  await store.migrate();
  return {
    store,
    url: url.href,
    async drop() {
      await store.close();
      const conn = await mysql.createConnection(MYSQL_URL);
      await conn.query(`DROP DATABASE IF EXISTS ${name}`);
      await conn.end();
    },
  };
}

export interface Fixture {
  dir: string;
  root: string;
  store: Store;
  storeUrl: string;
  gateway: Gateway;
  logs: AccessLogEntry[];
  request(path: string, init?: RequestInit): Promise<Response>;
  basic(user: string, password?: string): Record<string, string>;
  queries(query?: string): Promise<number>;
  metric(name: string): Promise<number>;
  close(): Promise<void>;
}

export async function fixture(
  kind: 'sqlite' | 'mysql',
  options: Partial<GatewayConfig> & { tree?: { sections: number; filesPerSection: number } } = {},
): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-test-'));
  const root = join(dir, 'files');
  const { store, url, drop } = await freshStore(kind, dir);
  await seedUsers(store, DEMO_USERS, CHEAP);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(root, { recursive: true });
  await seedTree(root, options.tree ?? { sections: 2, filesPerSection: 5 });
  const logs: AccessLogEntry[] = [];
  const gateway = await buildGateway({
    store,
    root,
    key: KEY,
    scrypt: CHEAP,
    log: (e) => logs.push(e),
    ...options,
  });
  const f: Fixture = {
    dir,
    root,
    store,
    storeUrl: url,
    gateway,
    logs,
    request: (path, init) => Promise.resolve(gateway.app.request(path, init)),
    basic: basicAuth,
    queries: (query) => metricValue(gateway, 'gateway_store_queries_total', query ? { query } : undefined),
    metric: (name) => metricValue(gateway, name),
    async close() {
      gateway.close();
      await drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return f;
}

/** The sum of a metric's samples (optionally those with matching labels). */
export async function metricValue(
  gateway: Gateway,
  name: string,
  labels?: Record<string, string>,
): Promise<number> {
  const json = await gateway.metrics.registry.getMetricsAsJSON();
  const metric = json.find((m) => m.name === name);
  if (!metric) throw new Error(`no metric ${name}`);
  let sum = 0;
  for (const v of metric.values) {
    const l = v.labels as Record<string, string | number>;
    if (labels && !Object.entries(labels).every(([k, want]) => String(l[k]) === want)) continue;
    sum += v.value;
  }
  return sum;
}

/** Parses Prometheus text and sums the samples of `name` whose labels include `labels`. */
export function sumMetric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (!Object.entries(labels).every(([k, v]) => have[k] === v)) continue;
    found = true;
    sum += Number(m[3]);
  }
  if (!found) throw new Error(`no samples of ${name} ${JSON.stringify(labels)}`);
  return sum;
}

export async function login(f: Fixture, user: string, password = PASSWORDS[user]): Promise<string> {
  const res = await f.request('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  if (res.status !== 200) throw new Error(`login ${user}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export const basicAuth = (user: string, password = PASSWORDS[user]): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

export interface StoreProxy {
  port: number;
  /** Delays every chunk, both ways, by `ms` from now on (0: none). */
  delay(ms: number): void;
  /** Drops every connection and refuses new ones, until `restore`. */
  cut(): void;
  restore(): void;
  close(): void;
}

/** A TCP proxy to 127.0.0.1:`port` that can delay every chunk (in order) and cut and restore the link. */
export async function storeProxy(port: number): Promise<StoreProxy> {
  const { connect, createServer } = await import('node:net');
  type Socket = import('node:net').Socket;
  const sockets = new Set<Socket>();
  let delayMs = 0;
  let up = true;
  // Each direction keeps its order: a chunk never overtakes the one before it.
  const relay = (from: Socket, to: Socket) => {
    let last = 0;
    from.on('data', (chunk) => {
      const at = Math.max(Date.now() + delayMs, last);
      last = at;
      setTimeout(() => to.destroyed || to.write(chunk), Math.max(0, at - Date.now()));
    });
  };
  const server = createServer((client) => {
    if (!up) return void client.destroy();
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    relay(client, upstream);
    relay(upstream, client);
    const drop =
      () => (client.destroy(), upstream.destroy(), sockets.delete(client), sockets.delete(upstream));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    delay(ms) {
      delayMs = ms;
    },
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
