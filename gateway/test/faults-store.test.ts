// A slow store: MariaDB behind a real TCP proxy that holds every packet for 3 s. Logins and
// cache misses are answered 503 with Retry-After within the store's timeout, however many
// arrive at once (the pool's queue is bounded), cached users keep working, and once the
// delay is gone the gateway recovers without a restart. A revocation poll while the store is
// down changes nothing; the next one catches up.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGateway } from '../src/gateway.ts';
import { DEMO_USERS, seedTree, seedUsers } from '../src/seed.ts';
import { MysqlStore } from '../src/store/mysql.ts';
import { basicAuth, CHEAP, freshStore, KEY, MYSQL_URL, PASSWORDS, storeProxy } from './helpers.ts';

test('slow mysql: misses get 503 within the timeout, no pile-up, cached users work, then it recovers', {
  skip: MYSQL_URL === undefined ? 'GATEWAY_TEST_MYSQL_URL is not set' : false,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-slow-'));
  const { url, drop } = await freshStore('mysql', dir);
  const target = new URL(url);
  const relay = await storeProxy(Number(target.port || 3306));
  target.host = `127.0.0.1:${relay.port}`;
  const timeoutMs = 1000;
  const store = new MysqlStore(target.toString(), {
    connectTimeoutMs: timeoutMs,
    queryTimeoutMs: timeoutMs,
    connectionLimit: 2,
    queueLimit: 4,
  });
  await store.migrate();
  await seedUsers(store, DEMO_USERS, CHEAP);
  const root = join(dir, 'files');
  await mkdir(root, { recursive: true });
  await seedTree(root, { sections: 1, filesPerSection: 2 });
  const gateway = await buildGateway({ store, root, key: KEY, scrypt: CHEAP, log: () => {} });
  const get = (path: string, user: string) => gateway.app.request(path, { headers: basicAuth(user) });
  try {
    assert.equal((await get('/files/home/alice/', 'alice')).status, 200);
    relay.delay(3000);
    // Twenty logins and misses at once, from users not cached: each answered 503 within
    // the timeout (plus scheduling slack), none waits for the slow store to answer.
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const user = ['bob', 'carol', 'admin'][i % 3]!;
        const res = i % 2 === 0
          ? await get(`/files/home/${user}/`, user)
          : await gateway.app.request('/api/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ user, password: PASSWORDS[user] }),
          });
        return { status: res.status, retry: res.headers.get('retry-after'), ms: Date.now() - started };
      }),
    );
    for (const a of answers) {
      assert.equal(a.status, 503, JSON.stringify(a));
      assert.equal(a.retry, '5');
      assert.ok(a.ms < timeoutMs + 700, `answered after ${a.ms} ms`);
    }
    // A cached user is answered at once meanwhile.
    const cached = Date.now();
    for (let i = 0; i < 5; i++) assert.equal((await get('/files/home/alice/', 'alice')).status, 200);
    assert.ok(Date.now() - cached < 500, 'cached users do not wait for the store');
    relay.delay(0);
    let status = 0;
    const recovering = Date.now();
    while (status !== 200 && Date.now() - recovering < 15_000) {
      status = (await get('/files/home/bob/', 'bob')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status, 200, 'recovers without a restart');
    assert.equal((await get('/files/home/carol/', 'carol')).status, 403, 'and answers from the store again');
  } finally {
    gateway.close();
    relay.close();
    await store.close().catch(() => {});
    await drop();
    await rm(dir, { recursive: true, force: true });
  }
});

test(
  'mysql down during a revocation poll: cached users keep working, the next poll after it is back catches up',
  {
    skip: MYSQL_URL === undefined ? 'GATEWAY_TEST_MYSQL_URL is not set' : false,
  },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gateway-poll-'));
    const { url, drop, store: other } = await freshStore('mysql', dir);
    const target = new URL(url);
    const relay = await storeProxy(Number(target.port || 3306));
    target.host = `127.0.0.1:${relay.port}`;
    const store = new MysqlStore(target.toString(), { connectTimeoutMs: 500, queryTimeoutMs: 500 });
    await seedUsers(other, DEMO_USERS, CHEAP);
    const root = join(dir, 'files');
    await mkdir(root, { recursive: true });
    await seedTree(root, { sections: 1, filesPerSection: 2 });
    // The interval is long: the test runs each poll itself.
    const gateway = await buildGateway({ store, root, key: KEY, scrypt: CHEAP, log: () => {} });
    const login = async (user: string) => {
      const res = await gateway.app.request('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, password: PASSWORDS[user] }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    const status = (token: string) =>
      Promise.resolve(
        gateway.app.request('/files/public/', { headers: { authorization: `Bearer ${token}` } }),
      )
        .then((r) => r.status);
    try {
      const alice = await login('alice');
      const bob = await login('bob');
      assert.ok(await other.revokeSessions('alice'));
      relay.cut();
      await gateway.revocations.poll();
      assert.equal(await status(bob), 200, 'a cached user works while the store is down');
      assert.equal(await status(alice), 200, 'nothing is dropped by a failed poll');
      assert.equal(
        (await gateway.app.request('/api/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: 'carol', password: PASSWORDS.carol }),
        })).status,
        503,
        'the store is down indeed',
      );
      relay.restore();
      await gateway.revocations.poll();
      assert.equal(await status(alice), 401, 'the revocation made before the store went down');
      assert.equal(await status(bob), 200);
    } finally {
      gateway.close();
      relay.close();
      await store.close().catch(() => {});
      await drop();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
