#!/usr/bin/env node
// The gateway's command line: serve, migrate, seed, user add|passwd|remove|logout|list, grant,
// revoke, rules. Runs on Node >= 22.13 (type stripping: Node 24) and on Deno 2.

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cluster from 'node:cluster';
import { type Operation, OPERATIONS } from 'edge-lru/permissions';
import { USER_NAME } from './app.ts';
import { type Flags, intFlag, parseCli, usage } from './config.ts';
import { buildGateway } from './gateway.ts';
import { createPermissions } from './permissions.ts';
import { checkParams, hashPassword, OWASP_SCRYPT, type ScryptParams } from './passwords.ts';
import { DEMO_USERS, seedTree, seedUsers } from './seed.ts';
import { clusterMetricsClient, deno, isClusterWorker, listen, processMetrics, runPrimary } from './serve.ts';
import { openStore, redactUrl } from './store/index.ts';
import type { Store } from './store/types.ts';

const here = dirname(fileURLToPath(import.meta.url));

class UsageError extends Error {}

function dataDir(flags: Flags): string {
  return resolve(flags['data-dir'] ?? 'gateway-data');
}

function scryptParams(flags: Flags): ScryptParams {
  const params = { ...OWASP_SCRYPT, N: intFlag(flags, 'scrypt-n', OWASP_SCRYPT.N, 2) };
  checkParams(params);
  return params;
}

/** The session key: GATEWAY_SECRET, or a key file created with 32 random bytes on first run. */
function sessionKey(flags: Flags, env: Record<string, string | undefined>): Buffer {
  const secret = env.GATEWAY_SECRET;
  if (secret !== undefined && secret !== '') {
    if (secret.length < 32) throw new UsageError('GATEWAY_SECRET must have at least 32 characters');
    return Buffer.from(secret, 'utf8');
  }
  const file = resolve(flags['key-file'] ?? join(dataDir(flags), 'session.key'));
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 32) throw new UsageError('the session key file must hold at least 32 bytes in base64');
  return key;
}

async function readPassword(flags: Flags): Promise<string> {
  if (flags.password !== undefined) return flags.password;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('no password given (--password, GATEWAY_PASSWORD or stdin)');
  return password;
}

function parseOps(text: string): Operation[] {
  if (text === 'none' || text === '') return [];
  if (text === 'all' || text === '*') return [...OPERATIONS];
  const ops = text.split(',').map((s) => s.trim());
  for (const op of ops) {
    if (!(OPERATIONS as readonly string[]).includes(op)) {
      throw new UsageError(`unknown operation ${JSON.stringify(op)}; known: ${OPERATIONS.join(', ')}`);
    }
  }
  return ops as Operation[];
}

function normalizeRulePath(path: string): string {
  if (!path.startsWith('/')) throw new UsageError('a rule path must be absolute (start with /)');
  return '/' + path.split('/').filter((s) => s !== '' && s !== '.').join('/');
}

async function withStore<T>(flags: Flags, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(flags.store, dataDir(flags));
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function serve(flags: Flags, env: Record<string, string | undefined>): Promise<void> {
  const workers = intFlag(flags, 'workers', 1, 1);
  const data = dataDir(flags);
  const root = resolve(flags.root ?? join(data, 'files'));
  const host = flags.host ?? '127.0.0.1';
  const port = intFlag(flags, 'port', 8080);

  if (!isClusterWorker) {
    // Once, before any worker starts: the schema, the demo, the key.
    const key = sessionKey(flags, env);
    env.GATEWAY_SECRET_B64 = key.toString('base64');
    await withStore(flags, async (store) => {
      if (flags.demo) {
        const added = await seedUsers(store, DEMO_USERS, scryptParams(flags));
        const { mkdirSync } = await import('node:fs');
        mkdirSync(root, { recursive: true });
        const written = await seedTree(root, { sections: intFlag(flags, 'demo-sections', 30, 1) });
        if (added || written) console.error(`seeded the demo: ${added} users, ${written} files`);
      }
    });
    if (workers > 1) {
      if (deno) {
        throw new UsageError('--workers needs Node (node:cluster); on Deno run one process per instance');
      }
      process.env.GATEWAY_SECRET_B64 = env.GATEWAY_SECRET_B64;
      runPrimary(workers, (code) => process.exit(code), {
        root,
        maxRestarts: intFlag(flags, 'max-restarts', 5, 0),
      });
      return;
    }
  }

  const key = Buffer.from(env.GATEWAY_SECRET_B64 ?? process.env.GATEWAY_SECRET_B64 ?? '', 'base64');
  const store = openStore(flags.store, data);
  const quiet = flags.quiet === true;
  const worker = isClusterWorker ? `worker-${env.GATEWAY_WORKER_ID ?? cluster.worker?.id}` : 'main';
  const www = resolve(flags.www ?? join(here, '..', '..', 'www'));
  const vendor = dirname(fileURLToPath(import.meta.resolve('edge-lru')));
  let clusterMetrics: (() => Promise<{ contentType: string; text: string }>) | undefined;
  const maxUsers = intFlag(flags, 'max-users', 10_000, 1);
  const maxBytes = intFlag(flags, 'max-bytes', 64 << 20, 1);
  const backend = flags['permission-cache'] ?? 'edge-lru';
  const requestTimeoutMs = intFlag(flags, 'request-timeout', 300_000, 1);
  const rateLimit = intFlag(flags, 'rate-limit', 0, 0);
  const gateway = await buildGateway({
    store,
    root,
    key,
    maxUsers,
    maxBytes,
    permissions: (load) => createPermissions(backend, { maxUsers, maxBytes, load }),
    maxUploadBytes: intFlag(flags, 'max-upload', 1 << 30, 0),
    credentialTtlMs: intFlag(flags, 'credential-ttl', 60_000, 1),
    secureCookies: flags['secure-cookies'] === true,
    ...(flags['metrics-token'] === undefined ? {} : { metricsToken: flags['metrics-token'] }),
    sessionTtlSeconds: intFlag(flags, 'session-ttl', 12 * 3600, 1),
    kdfConcurrency: intFlag(flags, 'kdf-concurrency', 2, 1),
    scrypt: scryptParams(flags),
    ...(existsSync(join(www, 'index.html')) ? { wwwDir: www, vendorDir: vendor } : {}),
    worker,
    log: quiet ? () => {} : (entry) => process.stdout.write(JSON.stringify(entry) + '\n'),
    clusterMetrics: () => (clusterMetrics ? clusterMetrics() : Promise.reject(new Error('not in a cluster'))),
    ...(rateLimit > 0
      ? { rateLimit: { perSecond: rateLimit, burst: intFlag(flags, 'rate-burst', 2 * rateLimit, 1) } }
      : {}),
    // Deno.serve has no request timeout: the app bounds uploads itself, on either host.
    uploadTimeoutMs: requestTimeoutMs,
  });
  if (isClusterWorker) clusterMetrics = clusterMetricsClient(gateway.metrics);
  else {
    const registry = gateway.metrics.registry;
    clusterMetrics = async () => ({ contentType: registry.contentType, text: await registry.metrics() });
  }
  processMetrics(gateway.metrics);
  const server = await listen(gateway.app, {
    host,
    port,
    requestTimeoutMs,
    headersTimeoutMs: intFlag(flags, 'headers-timeout', 20_000, 1),
    keepAliveTimeoutMs: intFlag(flags, 'keep-alive-timeout', 5000, 1),
  });
  console.log(JSON.stringify({
    msg: 'listening',
    url: server.url,
    worker,
    store: store.kind === 'mysql' ? redactUrl(flags.store ?? '') : 'sqlite',
    runtime: deno ? 'deno' : `node ${process.version}`,
  }));
  if (flags.demo && !isClusterWorker) printDemo(server.url);
  const stop = async () => {
    await server.close();
    gateway.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

export function printDemo(url: string): void {
  const lines = [
    '',
    `edge-lru gateway: ${url}/  (demo page; live cache view at ${url}/live.html)`,
    '',
    'demo users:',
    ...DEMO_USERS.map((u) => `  ${`${u.name}:${u.password}`.padEnd(20)} ${u.about}`),
    '',
    'try:',
    `  curl -u alice:alice-demo ${url}/files/home/alice/`,
    `  curl -u alice:alice-demo -r 0-9 ${url}/files/home/alice/notes.txt`,
    `  curl -u alice:alice-demo -T README.md ${url}/files/home/alice/README.md`,
    `  curl ${url}/metrics | grep permission_cache`,
    '',
  ];
  console.error(lines.join('\n'));
}

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const { flags, positionals } = parseCli(argv, env);
  const [command, sub, ...rest] = positionals;
  if (flags.help || command === undefined || command === 'help') {
    console.log(usage());
    return command === undefined && !flags.help ? 2 : 0;
  }
  switch (command) {
    case 'serve':
      await serve(flags, env);
      return -1;
    case 'migrate':
      await withStore(flags, (store) => Promise.resolve(console.log(`migrated the ${store.kind} store`)));
      return 0;
    case 'seed':
      await withStore(flags, async (store) => {
        const root = resolve(flags.root ?? join(dataDir(flags), 'files'));
        const added = await seedUsers(store, DEMO_USERS, scryptParams(flags));
        const { mkdirSync } = await import('node:fs');
        mkdirSync(root, { recursive: true });
        const written = await seedTree(root);
        console.log(`seeded ${added} users and ${written} files`);
      });
      return 0;
    case 'user': {
      const name = rest[0];
      if (sub === 'list') {
        await withStore(flags, async (store) => {
          for (const u of await store.listUsers()) console.log(`${u.name}${u.admin ? '\tadmin' : ''}`);
        });
        return 0;
      }
      if (name === undefined || !['add', 'passwd', 'remove', 'logout'].includes(sub ?? '')) {
        throw new UsageError('usage: user add|passwd|remove|logout NAME, or user list');
      }
      if (!USER_NAME.test(name)) {
        throw new UsageError('a user name has 1 to 255 characters, no colon and no control characters');
      }
      return await withStore(flags, async (store) => {
        if (sub === 'remove') {
          if (!(await store.removeUser(name))) throw new UsageError(`no user ${JSON.stringify(name)}`);
          console.log(`removed ${name}`);
          return 0;
        }
        if (sub === 'logout') {
          if (!(await store.revokeSessions(name))) throw new UsageError(`no user ${JSON.stringify(name)}`);
          console.log(`revoked the sessions of ${name}`);
          return 0;
        }
        const hash = await hashPassword(await readPassword(flags), scryptParams(flags));
        if (sub === 'add') {
          if (!(await store.addUser({ name, passwordHash: hash, admin: flags.admin === true }))) {
            throw new UsageError(`user ${JSON.stringify(name)} exists`);
          }
          console.log(`added ${name}${flags.admin ? ' (admin)' : ''}`);
        } else {
          if (!(await store.setPassword(name, hash))) throw new UsageError(`no user ${JSON.stringify(name)}`);
          console.log(`changed the password of ${name}`);
        }
        return 0;
      });
    }
    case 'grant': {
      const [user, path, ops] = [sub, ...rest];
      if (user === undefined || path === undefined || ops === undefined) {
        throw new UsageError('usage: grant USER PATH OPS');
      }
      const allow = parseOps(ops);
      return await withStore(flags, async (store) => {
        if (!(await store.getUser(user))) throw new UsageError(`no user ${JSON.stringify(user)}`);
        await store.grant({ user, path: normalizeRulePath(path), allow });
        console.log(
          `${user} ${normalizeRulePath(path)} ${allow.join(',') || 'none'} (in force at the next login)`,
        );
        return 0;
      });
    }
    case 'revoke': {
      const [user, path] = [sub, ...rest];
      if (user === undefined || path === undefined) throw new UsageError('usage: revoke USER PATH');
      return await withStore(flags, async (store) => {
        if (!(await store.revoke(user, normalizeRulePath(path)))) throw new UsageError('no such rule');
        console.log(`revoked ${user} ${normalizeRulePath(path)}`);
        return 0;
      });
    }
    case 'rules':
      await withStore(flags, async (store) => {
        for (const r of await store.listRules(sub)) {
          console.log(`${r.user}\t${r.path}\t${r.allow.join(',') || 'none'}`);
        }
      });
      return 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; see --help`);
  }
}

if (import.meta.main ?? import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error: unknown) => {
      const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_');
      console.error(
        `edge-lru-gateway: ${usage ? (error as Error).message : String((error as Error)?.stack ?? error)}`,
      );
      process.exit(usage ? 2 : 1);
    },
  );
}
