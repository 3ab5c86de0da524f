// What the gateway's benchmarks share (bench/load.ts, bench/soak.ts): a private MariaDB, the
// seeded user population and file tree, a gateway in its own process, and /metrics scrapes.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import type { Operation, PermissionRule } from 'edge-lru/permissions';
import { hashPassword } from '../src/passwords.ts';
import { MysqlStore } from '../src/store/mysql.ts';
import { encodeAllow } from '../src/store/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
/** The gateway's entry point. */
export const MAIN = join(here, '..', 'src', 'main.ts');

export const file = (i: number) => `f${String(i).padStart(4, '0')}.txt`;
export const userName = (i: number) => `u${i}`;

/** A handful of rules per user: the public tree, two hidden entries, the upload area, a home. */
export function rulesOf(i: number): PermissionRule[] {
  return [
    { path: '/pub', allow: ['list', 'read'] },
    { path: `/pub/d1000/${file(i % 1000)}`, allow: [] },
    { path: `/pub/d5000/${file(i % 5000)}`, allow: [] },
    { path: '/upload', allow: ['write'] },
    {
      path: `/home/${userName(i)}`,
      allow: ['list', 'read', 'write', 'delete', 'mkdir', 'rename'] as Operation[],
    },
  ];
}

/** Starts a private MariaDB in `dir` (scripts/mariadb.sh); its connection URL. */
export function startMariadb(dir: string): string {
  return execFileSync('bash', [join(repo, 'scripts', 'mariadb.sh'), 'start', dir], { encoding: 'utf8' })
    .trim().split('\n').pop()!;
}

export function stopMariadb(dir: string): void {
  execFileSync('bash', [join(repo, 'scripts', 'mariadb.sh'), 'stop', dir], { stdio: 'ignore' });
}

/**
 * Migrates the store at `url` and adds users u0 … u(population-1) with rulesOf's rules, their
 * password one cheap scrypt hash (N=16). Returns the seconds it took.
 */
export async function seed(url: string, population: number): Promise<number> {
  const started = performance.now();
  const store = new MysqlStore(url);
  await store.migrate();
  await store.close();
  const hash = await hashPassword('load-bench', { N: 16, r: 1, p: 1 });
  const db = await mysql.createConnection({ uri: url, multipleStatements: false });
  await db.query('SET foreign_key_checks = 0, unique_checks = 0');
  const batch = 5_000;
  for (let start = 0; start < population; start += batch) {
    const end = Math.min(population, start + batch);
    const users: (string | number)[][] = [];
    const rules: string[][] = [];
    for (let i = start; i < end; i++) {
      users.push([userName(i), hash, 0]);
      for (const r of rulesOf(i)) rules.push([userName(i), r.path, encodeAllow(r.allow)]);
    }
    await db.query('START TRANSACTION');
    await db.query('INSERT INTO users (name, password_hash, admin) VALUES ?', [users]);
    await db.query('INSERT INTO rules (user, path, allow) VALUES ?', [rules]);
    await db.query('COMMIT');
  }
  await db.end();
  return (performance.now() - started) / 1000;
}

/** /pub/dN with N files of 1 KiB for each size, and an empty /upload. */
export function tree(root: string, sizes: readonly number[]): void {
  for (const n of sizes) {
    const dir = join(root, 'pub', `d${n}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(dir, file(i)), `file ${i} of ${n}\n`.padEnd(1024, '.'));
  }
  mkdirSync(join(root, 'upload'), { recursive: true });
}

export interface Gateway {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Runs `script serve ...args` (the gateway, or a wrapper of it) with `secret` as its key, and
 * resolves once a process of it prints its "listening" line; `name` is for the error messages.
 */
export function startGateway(name: string, script: string, args: string[], secret: string): Promise<Gateway> {
  const child = spawn(process.execPath, [script, 'serve', ...args], {
    env: { ...process.env, GATEWAY_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${name} gateway did not start:\n${stderr}`)),
      30_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${name} gateway exited with ${code}:\n${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"listening"')) return;
      clearTimeout(timer);
      resolveStart({
        url: (JSON.parse(line) as { url: string }).url,
        child,
        stderr: () => stderr,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export type Samples = Map<string, number>;

/** The sums of each metric family over its labels, plus `name{label="v"}` sums for the labels asked. */
export async function scrape(url: string): Promise<Samples> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? ([^ ]+)/.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    const name = m[1]!;
    out.set(name, (out.get(name) ?? 0) + value);
    const op = /(?:^|[{,])op="([^"]*)"/.exec(m[2] ?? '');
    if (op) out.set(`${name}{op=${op[1]}}`, (out.get(`${name}{op=${op[1]}}`) ?? 0) + value);
  }
  return out;
}

/**
 * Scrapes /metrics every `ms` and hands each scrape to `sample`; a failed scrape is recorded in
 * `failures`. Returns the function that stops it.
 */
export function sampleMetrics(
  url: string,
  ms: number,
  failures: string[],
  sample: (s: Samples) => void,
): () => void {
  const timer = setInterval(async () => {
    try {
      sample(await scrape(url));
    } catch (error) {
      failures.push(`metrics scrape: ${(error as Error).message}`);
    }
  }, ms);
  return () => clearInterval(timer);
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const fmt = (x: number, digits = 0) =>
  Number.isNaN(x)
    ? '-'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The command-line option `name` of `args` as a positive number, or `fallback` when absent. */
export function positiveOption(
  args: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
): number {
  const raw = args[name];
  if (raw === undefined || typeof raw === 'boolean') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`--${name} must be a positive number`);
  return n;
}
