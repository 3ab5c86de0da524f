// The gateway as a pure request handler: `app.request()` without sockets, against each
// store. Every operation allowed and refused, listings filtered by rule, sessions,
// the store queried only at login and on misses, and the OpenAPI document checked
// against the real responses.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openApiDocument } from '../src/openapi.ts';
import { TokenSigner } from '../src/tokens.ts';
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import { MysqlStore } from '../src/store/mysql.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import { StoreUnavailableError } from '../src/store/types.ts';
import {
  bearer,
  CHEAP,
  type Fixture,
  fixture,
  KEY,
  login,
  metricValue,
  PASSWORDS,
  STORES,
} from './helpers.ts';
import { checkResponse } from './openapi-check.ts';

const doc = JSON.parse(JSON.stringify(openApiDocument));

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  return JSON.parse(text) as Record<string, unknown>;
}

async function names(f: Fixture, user: string, dir: string): Promise<string[]> {
  const res = await f.request(`/files${dir}`, { headers: f.basic(user) });
  assert.equal(res.status, 200, `list ${dir} as ${user}`);
  const body = (await res.json()) as { entries: { name: string }[] };
  checkResponse(doc, 'GET', '/files/{path}/', 200, body);
  return body.entries.map((e) => e.name);
}

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('.gateway-upload-'));
}

/** Runs SQL on the fixture's database directly. */
async function rawSql(f: Fixture): Promise<{
  run(q: string): Promise<void>;
  all(q: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}> {
  if (f.storeUrl.startsWith('sqlite:')) {
    const db = new DatabaseSync(f.storeUrl.slice('sqlite:'.length));
    return {
      run: (q) => Promise.resolve(void db.exec(q)),
      all: (q) => Promise.resolve(db.prepare(q).all().map((row) => ({ ...row }))),
      close: () => Promise.resolve(db.close()),
    };
  }
  const conn = await mysql.createConnection(f.storeUrl);
  return {
    run: async (q) => void (await conn.query(q)),
    all: async (q) => (await conn.query(q))[0] as Record<string, unknown>[],
    close: () => conn.end(),
  };
}

for (const kind of STORES) {
  test(`${kind}: login returns a signed token and a cookie; bad logins are refused`, async () => {
    const f = await fixture(kind);
    try {
      const res = await f.request('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'alice', password: PASSWORDS.alice }),
      });
      assert.equal(res.status, 200);
      const cookie = res.headers.get('set-cookie') ?? '';
      assert.match(cookie, /^gateway_session=[\w-]+\.[\w-]+;/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const body = await json(res);
      checkResponse(doc, 'POST', '/api/login', 200, body);
      assert.equal(body.user, 'alice');
      assert.equal(body.admin, false);
      const me = await f.request('/api/me', { headers: bearer(String(body.token)) });
      assert.deepEqual(await me.json(), { user: 'alice', admin: false });
      const viaCookie = await f.request('/api/me', { headers: { cookie: cookie.split(';')[0] ?? '' } });
      assert.equal(viaCookie.status, 200);

      const form = await f.request('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `user=bob&password=${encodeURIComponent(PASSWORDS.bob ?? '')}`,
      });
      assert.equal(form.status, 200);

      for (
        const [user, password] of [['alice', 'wrong'], ['nobody', 'x'], ["alice' OR '1'='1", 'x'], ['', '']]
      ) {
        const bad = await f.request('/api/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user, password }),
        });
        assert.equal(bad.status, 401, `${user} / ${password}`);
        checkResponse(doc, 'POST', '/api/login', 401, await bad.json());
      }
      for (const body of ['{"user": "alice", ', 'null', '[]', '"x"', '{"user": 1, "password": 2}']) {
        const bad = await f.request('/api/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        assert.equal(bad.status, 400, body);
        const error = await bad.json();
        checkResponse(doc, 'POST', '/api/login', 400, error);
        assert.match(String(error.error), /JSON|string/);
      }
      const huge = await f.request('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'alice', password: 'x'.repeat(100_000) }),
      });
      assert.equal(huge.status, 413);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: every refused login verifies a dummy hash made with the configured parameters`, async () => {
    const f = await fixture(kind, { scrypt: { N: 2 ** 11, r: 8, p: 1 } });
    try {
      await f.store.addUser({ name: 'broken', passwordHash: 'scrypt$1024$8$1$AA$AA', admin: false });
      const refusals = [
        ['nobody', 'x'],
        ['bad\u0001name', 'x'],
        ['a'.repeat(256), 'x'],
        ['alice', 'y'.repeat(2000)],
        ['broken', 'x'],
      ];
      for (const [user, password] of refusals) {
        const res = await f.request('/api/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user, password }),
        });
        assert.equal(res.status, 401, user);
      }
      const runs = (n: number) => metricValue(f.gateway, 'gateway_kdf_runs_total', { n: String(n) });
      assert.equal(await runs(2 ** 11), refusals.length);
      // A wrong password is verified against the user's own hash (the fixture's, N=2^10).
      assert.equal((await f.request('/files/public/', { headers: f.basic('alice', 'wrong') })).status, 401);
      assert.equal(await runs(2 ** 10), 1);
      assert.equal(await runs(2 ** 11), refusals.length);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: a changed password, admin flag or removed user stops cached Basic credentials at once`, async () => {
    const f = await fixture(kind);
    try {
      const { hashPassword } = await import('../src/passwords.ts');
      const list = (user: string, password?: string) =>
        f.request('/files/public/', { headers: f.basic(user, password) }).then((r) => r.status);
      const me = (user: string) =>
        f.request('/api/me', { headers: f.basic(user) }).then((r) => r.json() as Promise<{ admin: boolean }>);
      assert.equal(await list('alice'), 200);
      assert.equal(await list('alice'), 200);
      assert.equal(await f.metric('gateway_credential_cache_hits_total'), 1);
      assert.ok(
        await f.store.setPassword('alice', await hashPassword('new-pw', { N: 1024, r: 8, p: 1 })),
      );
      assert.equal(await list('alice'), 401);
      assert.equal(await list('alice', 'new-pw'), 200);
      assert.equal(await list('alice', 'new-pw'), 200);
      assert.equal(await list('bob'), 200);
      assert.ok(await f.store.removeUser('bob'));
      assert.equal(await list('bob'), 401);
      assert.equal((await me('carol')).admin, false);
      assert.ok(await f.store.setAdmin('carol', true));
      assert.equal((await me('carol')).admin, true);
      // A change that changed nothing (no such user) invalidates nothing.
      const hits = await f.metric('gateway_credential_cache_hits_total');
      assert.equal(await f.store.removeUser('nobody'), false);
      assert.equal(await list('alice', 'new-pw'), 200);
      assert.equal(await f.metric('gateway_credential_cache_hits_total'), hits + 1);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: sessions end when the password, admin flag or user changes, and on user logout`, async () => {
    const f = await fixture(kind);
    try {
      const { hashPassword } = await import('../src/passwords.ts');
      const status = (token: string) =>
        f.request('/files/public/', { headers: bearer(token) }).then((r) => r.status);
      const me = async (token: string): Promise<{ status: number; admin?: unknown }> => {
        const r = await f.request('/api/me', { headers: bearer(token) });
        return { status: r.status, ...(await json(r)) };
      };
      const alice = await login(f, 'alice');
      assert.equal(await status(alice), 200);
      assert.ok(await f.store.setPassword('alice', await hashPassword('new-pw', CHEAP)));
      const refused = await f.request('/files/public/', { headers: bearer(alice) });
      assert.equal(refused.status, 401);
      assert.match(String((await json(refused)).error), /revoked/);
      const again = await login(f, 'alice', 'new-pw');
      assert.equal(await status(again), 200);
      assert.ok(await f.store.revokeSessions('alice'));
      assert.equal(await status(again), 401);
      assert.equal(await f.store.revokeSessions('nobody'), false);
      // A session of a user made an admin after it was issued: refused, not promoted or kept.
      const carol = await login(f, 'carol');
      assert.equal((await me(carol)).admin, false);
      assert.ok(await f.store.setAdmin('carol', true));
      assert.equal((await me(carol)).status, 401);
      assert.equal((await me(await login(f, 'carol'))).admin, true);
      const bob = await login(f, 'bob');
      assert.equal(await status(bob), 200);
      assert.ok(await f.store.removeUser('bob'));
      const gone = await f.request('/files/public/', { headers: bearer(bob) });
      assert.equal(gone.status, 401);
      assert.match(String((await json(gone)).error), /no longer exists/);
      // The cookie is checked the same way.
      assert.equal(
        (await f.request('/files/public/', { headers: { cookie: `gateway_session=${bob}` } })).status,
        401,
      );
    } finally {
      await f.close();
    }
  });

  /** Another store object on the fixture's database, as another process has. */
  const otherStore = (f: Fixture) =>
    f.storeUrl.startsWith('sqlite:')
      ? new SqliteStore(f.storeUrl.slice('sqlite:'.length))
      : new MysqlStore(f.storeUrl);

  test(`${kind}: another process's revocation reaches sessions at the next poll, which costs one query whoever is active`, async () => {
    // The interval is long: the test runs each poll itself, as the timer would.
    const f = await fixture(kind);
    const other = otherStore(f);
    try {
      assert.equal(await f.queries('revocations'), 1, 'the last revocation, read at start');
      const users = ['alice', 'bob', 'carol'];
      const tokens = new Map<string, string>();
      for (const user of users) tokens.set(user, await login(f, user));
      const status = (user: string) =>
        f.request('/files/public/', { headers: bearer(tokens.get(user)!) }).then((r) => r.status);
      for (const user of users) assert.equal(await status(user), 200);
      const queries = await f.queries();
      const rules = await f.queries('rules');
      for (let interval = 0; interval < 4; interval++) {
        for (const user of users) assert.equal(await status(user), 200);
        await f.gateway.revocations.poll();
      }
      assert.equal(await f.queries('revocations'), 1 + 4, 'one query per poll, for three active users');
      assert.equal(await f.queries(), queries + 4, 'no other query: cached users cost nothing');
      // This gateway's store object saw no change: the session stands until the next poll...
      assert.ok(await other.revokeSessions('alice'));
      assert.equal(await status('alice'), 200);
      assert.equal(await f.queries(), queries + 4);
      await f.gateway.revocations.poll();
      assert.equal(await f.queries(), queries + 5);
      // ...then the revoked user's account and rules are reloaded, in one query, and the session refused.
      assert.equal(await status('alice'), 401);
      assert.equal(await f.queries('rules'), rules + 1);
      assert.equal(await status('alice'), 401, 'the reloaded account stays cached');
      for (const user of ['bob', 'carol']) assert.equal(await status(user), 200);
      assert.equal(await f.queries(), queries + 6, 'one reload for the revoked user, none for the others');
      tokens.set('alice', await login(f, 'alice'));
      assert.equal(await status('alice'), 200);
    } finally {
      await other.close();
      await f.close();
    }
  });

  test(`${kind}: another process's removal and password change apply after one poll interval`, async () => {
    const f = await fixture(kind, { credentialTtlMs: 200 });
    const other = otherStore(f);
    try {
      const { hashPassword } = await import('../src/passwords.ts');
      const bob = await login(f, 'bob');
      const bobStatus = () => f.request('/files/public/', { headers: bearer(bob) });
      const aliceStatus = () =>
        f.request('/files/public/', { headers: f.basic('alice') }).then((r) => r.status);
      assert.equal((await bobStatus()).status, 200);
      assert.equal(await aliceStatus(), 200);
      assert.ok(await other.removeUser('bob'));
      assert.ok(await other.setPassword('alice', await hashPassword('elsewhere', CHEAP)));
      const started = Date.now();
      let res = await bobStatus();
      while (res.status === 200 && Date.now() - started < 3000) {
        await new Promise((r) => setTimeout(r, 20));
        res = await bobStatus();
      }
      assert.equal(res.status, 401);
      assert.match(String((await json(res)).error), /no longer exists/);
      assert.ok(Date.now() - started < 1500, `refused after ${Date.now() - started} ms`);
      // The cached Basic credential went with the revocation, not with its own TTL alone.
      assert.equal(await aliceStatus(), 401);
      assert.equal(
        (await f.request('/files/public/', { headers: f.basic('alice', 'elsewhere') })).status,
        200,
      );
    } finally {
      await other.close();
      await f.close();
    }
  });

  test(`${kind}: a user removed and added again: old sessions refused, another process forgets "no such user" at the poll`, async () => {
    const f = await fixture(kind);
    const other = otherStore(f);
    try {
      const { hashPassword } = await import('../src/passwords.ts');
      const status = (token: string) =>
        f.request('/files/public/', { headers: bearer(token) }).then((r) => r.status);
      const old = await login(f, 'bob');
      assert.ok(await other.removeUser('bob'));
      await f.gateway.revocations.poll();
      assert.equal(await status(old), 401, 'removed: this process now caches "no such user"');
      assert.ok(
        await other.addUser({
          name: 'bob',
          passwordHash: await hashPassword('bob-again', CHEAP),
          admin: false,
        }),
      );
      await other.grant({ user: 'bob', path: '/public', allow: ['list', 'read'] });
      // A session issued by another process to the new account, before this one polls.
      const signed = f.gateway.signer.sign('bob', false).token;
      assert.equal(await status(signed), 401, 'not yet polled: still "no such user" here');
      await f.gateway.revocations.poll();
      assert.equal(await status(signed), 200, 'the addition was polled: the new account is loaded');
      const refused = await f.request('/files/public/', { headers: bearer(old) });
      assert.equal(refused.status, 401, 'a session of the earlier account is refused');
      assert.match(String((await json(refused)).error), /revoked/);
      assert.equal(await other.addUser({ name: 'bob', passwordHash: 'x', admin: false }), false);
    } finally {
      await other.close();
      await f.close();
    }
  });

  test(`${kind}: a poll that fails changes nothing; the next one catches up`, async () => {
    const f = await fixture(kind);
    const other = otherStore(f);
    try {
      const alice = await login(f, 'alice');
      const bob = await login(f, 'bob');
      const status = (token: string) =>
        f.request('/files/public/', { headers: bearer(token) }).then((r) => r.status);
      assert.ok(await other.revokeSessions('alice'));
      // The store goes down before the poll: every query fails.
      const store = f.store as unknown as Record<string, unknown>;
      const down = ['revocationsAfter', 'lastRevocationId', 'loadUser', 'getUser'];
      for (const name of down) {
        store[name] = () => Promise.reject(new StoreUnavailableError(new Error('down')));
      }
      await f.gateway.revocations.poll();
      await f.gateway.revocations.poll();
      assert.equal(await status(bob), 200, 'a cached user keeps working');
      assert.equal(await status(alice), 200, 'nothing was dropped');
      store.revocationsAfter = () => Promise.reject(new Error('any other failure'));
      await f.gateway.revocations.poll();
      assert.equal(await status(bob), 200);
      for (const name of down) delete store[name];
      await f.gateway.revocations.poll();
      assert.equal(await status(alice), 401, 'the revocation made before the store went down');
      assert.equal(await status(bob), 200);
    } finally {
      await other.close();
      await f.close();
    }
  });

  for (const version of [1, 2]) {
    test(`${kind}: migrate upgrades a version ${version} schema in place and keeps its users`, async () => {
      const f = await fixture(kind);
      try {
        // A version 1 store had no revocation time: the upgrade starts it at 0.
        const kept = version < 2 ? 0 : (await f.store.loadUser('alice')).account!.sessionsAfter;
        const sql = await rawSql(f);
        try {
          await sql.run('DROP TABLE revocations');
          if (version < 2) await sql.run('ALTER TABLE users DROP COLUMN sessions_after');
          await sql.run(`UPDATE schema_version SET version = ${version}`);
        } finally {
          await sql.close();
        }
        await f.store.migrate();
        await f.store.migrate();
        const { account } = await f.store.loadUser('alice');
        assert.deepEqual(account, { admin: false, sessionsAfter: kept });
        assert.equal(await f.store.lastRevocationId(), 0);
        assert.ok(await f.store.revokeSessions('alice'));
        assert.ok((await f.store.loadUser('alice')).account!.sessionsAfter > 0);
        const last = await f.store.lastRevocationId();
        assert.ok(last > 0);
        assert.deepEqual(await f.store.revocationsAfter(0, 10), [{ id: last, user: 'alice' }]);
        assert.equal((await f.request('/files/public/', { headers: f.basic('alice') })).status, 200);
        const check = await rawSql(f);
        try {
          assert.deepEqual(await check.all('SELECT version FROM schema_version'), [{ version: 3 }]);
        } finally {
          await check.close();
        }
      } finally {
        await f.close();
      }
    });
  }

  test(`${kind}: migrate refuses a schema newer than the gateway's`, async () => {
    const f = await fixture(kind);
    try {
      const sql = await rawSql(f);
      try {
        await sql.run('UPDATE schema_version SET version = 4');
      } finally {
        await sql.close();
      }
      await assert.rejects(f.store.migrate(), /schema is version 4, newer than this gateway's \(3\)/);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: each revoking change records one revocation with the change, none when refused`, async () => {
    const f = await fixture(kind);
    try {
      const { hashPassword } = await import('../src/passwords.ts');
      const start = await f.store.lastRevocationId();
      assert.ok(await f.store.setPassword('alice', await hashPassword('x', CHEAP)));
      assert.ok(await f.store.setAdmin('bob', true));
      assert.ok(await f.store.revokeSessions('carol'));
      assert.ok(await f.store.removeUser('bob'));
      assert.equal(await f.store.setPassword('nobody', 'x'), false);
      assert.equal(await f.store.setAdmin('nobody', true), false);
      assert.equal(await f.store.revokeSessions('nobody'), false);
      assert.equal(await f.store.removeUser('nobody'), false);
      await f.store.grant({ user: 'alice', path: '/x', allow: ['read'] });
      const rows = await f.store.revocationsAfter(start, 100);
      assert.deepEqual(rows.map((r) => r.user), ['alice', 'bob', 'carol', 'bob']);
      assert.deepEqual(rows.map((r) => r.id), [...rows.map((r) => r.id)].sort((a, b) => a - b));
      assert.equal(await f.store.lastRevocationId(), rows.at(-1)!.id);
      assert.deepEqual(await f.store.revocationsAfter(rows[1]!.id, 2), rows.slice(2, 4));
      assert.equal(await f.store.getUser('bob'), undefined);
      // Rows older than seven days go when the next revocation is recorded.
      const sql = await rawSql(f);
      try {
        await sql.run(
          `UPDATE revocations SET at = ${Date.now() - 8 * 24 * 3600 * 1000} WHERE user = 'carol'`,
        );
      } finally {
        await sql.close();
      }
      assert.ok(await f.store.revokeSessions('alice'));
      const kept = await f.store.revocationsAfter(start, 100);
      assert.deepEqual(kept.map((r) => r.user), ['alice', 'bob', 'bob', 'alice']);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: logout clears the cookie with the options login set it with`, async () => {
    const f = await fixture(kind, { secureCookies: true });
    try {
      const res = await f.request('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'alice', password: PASSWORDS.alice }),
      });
      const set = res.headers.get('set-cookie') ?? '';
      const out = (await f.request('/api/logout', { method: 'POST' })).headers.get('set-cookie') ?? '';
      const attributes = (cookie: string) =>
        cookie.split(/;\s*/).slice(1).map((a) => a.split('=')[0]!.toLowerCase()).sort();
      assert.deepEqual(attributes(out), attributes(set));
      assert.ok(attributes(out).includes('secure'), out);
      assert.match(out, /Max-Age=0/);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: no file operation without a valid session or credentials`, async () => {
    const f = await fixture(kind);
    try {
      const good = new TokenSigner(KEY, 3600).sign('alice', false).token;
      const [payload, mac] = good.split('.') as [string, string];
      const tampered = `${
        Buffer.from(JSON.stringify({ u: 'admin', a: 1, e: 4e9 })).toString('base64url')
      }.${mac}`;
      const forged = new TokenSigner(Buffer.from('z'.repeat(48)), 3600).sign('alice', false).token;
      const expired = new TokenSigner(KEY, 60, () => Date.now() - 3_600_000).sign('alice', false).token;
      const flipped = `${payload}.${mac.slice(0, -2)}${mac.endsWith('A') ? 'B' : 'A'}A`;
      const headers: Record<string, string>[] = [
        {},
        bearer(tampered),
        bearer(forged),
        bearer(expired),
        bearer(flipped),
        bearer('garbage'),
        { cookie: `gateway_session=${forged}` },
        f.basic('alice', 'wrong'),
        { authorization: 'Basic !!!' },
        { authorization: 'Digest x' },
      ];
      const ops: [string, string, RequestInit?][] = [
        ['GET', '/files/home/alice/'],
        ['GET', '/files/home/alice/notes.txt'],
        ['PUT', '/files/home/alice/x.txt', { body: 'x' }],
        ['DELETE', '/files/home/alice/notes.txt'],
        ['MKCOL', '/files/home/alice/d'],
        ['MOVE', '/files/home/alice/notes.txt', { headers: { destination: '/files/home/alice/n.txt' } }],
      ];
      for (const h of headers) {
        for (const [method, path, init] of ops) {
          const res = await f.request(path, { ...init, method, headers: { ...(init?.headers ?? {}), ...h } });
          assert.equal(res.status, 401, `${method} ${path} ${JSON.stringify(h)}`);
          assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm=/);
          const template = path.endsWith('/') ? '/files/{path}/' : '/files/{path}';
          checkResponse(doc, method, template, 401, await res.json());
        }
      }
      assert.equal(readFileSync(join(f.root, 'home/alice/notes.txt'), 'utf8'), "alice's notes.\n");
      assert.ok(!existsSync(join(f.root, 'home/alice/x.txt')));
      assert.ok(!existsSync(join(f.root, 'home/alice/d')));
      // The good token works, so the refusals above were about the tokens.
      assert.equal((await f.request('/files/home/alice/', { headers: bearer(good) })).status, 200);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: listings are filtered by rule`, async () => {
    const f = await fixture(kind);
    try {
      assert.deepEqual(await names(f, 'alice', '/'), ['home', 'public', 'shared']);
      assert.deepEqual(await names(f, 'alice', '/home/'), ['alice']);
      assert.deepEqual(await names(f, 'bob', '/home/'), ['bob']);
      assert.deepEqual(await names(f, 'admin', '/'), ['home', 'private', 'public', 'shared']);
      assert.deepEqual(await names(f, 'admin', '/home/'), ['alice', 'bob', 'carol']);
      assert.deepEqual(await names(f, 'carol', '/public/'), ['README.txt', 'docs']);
      const refused = await f.request('/files/', { headers: f.basic('carol') });
      assert.equal(refused.status, 403);
      checkResponse(doc, 'GET', '/files/{path}/', 403, await refused.json());
      const hidden = await f.request('/files/home/bob/', { headers: f.basic('alice') });
      assert.equal(hidden.status, 403);
      const html = await f.request('/files/home/', { headers: { ...f.basic('alice'), accept: 'text/html' } });
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      const page = await html.text();
      assert.match(page, /href="\/files\/home\/alice\/"/);
      assert.doesNotMatch(page, /bob/);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: names-only listings (NLST) list what full listings list, filtered alike`, async () => {
    const f = await fixture(kind);
    try {
      // A symlink inside the root is listed as its target's type; one leading out is not listed.
      await symlink(join(f.root, 'public'), join(f.root, 'home/alice/to-public'));
      await symlink('/etc', join(f.root, 'home/alice/to-etc'));
      await writeFile(join(f.root, 'home/alice/.gateway-upload-partial'), 'x');
      for (
        const [user, dir] of [['alice', '/'], ['alice', '/home/'], ['alice', '/home/alice/'], [
          'carol',
          '/public/',
        ], ['admin', '/home/']] as const
      ) {
        const full = await f.request(`/files${dir}`, { headers: f.basic(user) });
        const named = await f.request(`/files${dir}?format=names`, { headers: f.basic(user) });
        assert.equal(named.status, 200);
        const fullBody = (await full.json()) as { entries: { name: string; type: string }[] };
        const namedBody = await named.json();
        checkResponse(doc, 'GET', '/files/{path}/', 200, namedBody);
        assert.deepEqual(
          namedBody.entries,
          fullBody.entries.map(({ name, type }) => ({ name, type })),
          `${user} ${dir}`,
        );
      }
      const mine =
        (await (await f.request('/files/home/alice/?format=names', { headers: f.basic('alice') })).json())
          .entries as { name: string; type: string }[];
      assert.deepEqual(mine.find((e) => e.name === 'to-public'), { name: 'to-public', type: 'directory' });
      assert.equal(mine.find((e) => e.name === 'to-etc' || e.name.startsWith('.gateway-')), undefined);
      assert.equal(
        (await f.request('/files/home/bob/?format=names', { headers: f.basic('alice') })).status,
        403,
      );
      const bad = await f.request('/files/public/?format=xml', { headers: f.basic('alice') });
      assert.equal(bad.status, 400);
      assert.match(String((await json(bad)).error), /format/);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: every operation, allowed and refused; a refusal touches nothing`, async () => {
    const f = await fixture(kind);
    const alice = f.basic('alice');
    const req = (method: string, path: string, init: RequestInit = {}) =>
      f.request(path, { ...init, method, headers: { ...alice, ...(init.headers ?? {}) } });
    try {
      // retrieve (RETR)
      const got = await req('GET', '/files/home/alice/notes.txt');
      assert.equal(got.status, 200);
      assert.equal(await got.text(), "alice's notes.\n");
      for (const path of ['/files/private/salaries.csv', '/files/home/bob/notes.txt']) {
        const res = await req('GET', path);
        assert.equal(res.status, 403, path);
        checkResponse(doc, 'GET', '/files/{path}', 403, await res.json());
      }
      const missing = await req('GET', '/files/home/alice/none.txt');
      assert.equal(missing.status, 404);
      checkResponse(doc, 'GET', '/files/{path}', 404, await missing.json());
      // store (STOR, APPE)
      const created = await req('PUT', '/files/home/alice/new.txt', { body: 'hello' });
      assert.equal(created.status, 201);
      checkResponse(doc, 'PUT', '/files/{path}', 201, await created.json());
      const replaced = await req('PUT', '/files/home/alice/new.txt', { body: 'hello again' });
      assert.equal(replaced.status, 200);
      checkResponse(doc, 'PUT', '/files/{path}', 200, await replaced.json());
      assert.equal((await req('PUT', '/files/home/alice/new.txt?append', { body: '!' })).status, 200);
      assert.equal(readFileSync(join(f.root, 'home/alice/new.txt'), 'utf8'), 'hello again!');
      for (const path of ['/files/shared/readonly/x.txt', '/files/public/x.txt', '/files/home/bob/x.txt']) {
        const res = await req('PUT', path, { body: 'no' });
        assert.equal(res.status, 403, path);
        checkResponse(doc, 'PUT', '/files/{path}', 403, await res.json());
        assert.ok(!existsSync(join(f.root, path.slice('/files/'.length))), path);
      }
      assert.equal((await req('PUT', '/files/shared/readonly/policy.txt', { body: 'changed' })).status, 403);
      assert.match(readFileSync(join(f.root, 'shared/readonly/policy.txt'), 'utf8'), /^Nobody/);
      // delete (DELE, RMD)
      const deleted = await req('DELETE', '/files/home/alice/todo.md');
      assert.equal(deleted.status, 204);
      checkResponse(doc, 'DELETE', '/files/{path}', 204);
      assert.ok(!existsSync(join(f.root, 'home/alice/todo.md')));
      const refusedDelete = await req('DELETE', '/files/public/README.txt');
      assert.equal(refusedDelete.status, 403);
      checkResponse(doc, 'DELETE', '/files/{path}', 403, await refusedDelete.json());
      assert.ok(existsSync(join(f.root, 'public/README.txt')));
      const notEmpty = await req('DELETE', '/files/home/alice/photos');
      assert.equal(notEmpty.status, 409);
      checkResponse(doc, 'DELETE', '/files/{path}', 409, await notEmpty.json());
      // mkdir (MKD)
      const made = await req('MKCOL', '/files/home/alice/newdir');
      assert.equal(made.status, 201);
      checkResponse(doc, 'MKCOL', '/files/{path}', 201, await made.json());
      assert.ok(existsSync(join(f.root, 'home/alice/newdir')));
      assert.equal((await req('DELETE', '/files/home/alice/newdir')).status, 204);
      const refusedMkdir = await req('MKCOL', '/files/public/newdir');
      assert.equal(refusedMkdir.status, 403);
      checkResponse(doc, 'MKCOL', '/files/{path}', 403, await refusedMkdir.json());
      assert.ok(!existsSync(join(f.root, 'public/newdir')));
      assert.equal((await req('MKCOL', '/files/home/alice/photos')).status, 409);
      // rename (RNFR/RNTO): rename on the source, write where it lands
      const moved = await req('MOVE', '/files/home/alice/notes.txt', {
        headers: { destination: '/files/shared/notes.txt' },
      });
      assert.equal(moved.status, 201);
      checkResponse(doc, 'MOVE', '/files/{path}', 201, await moved.json());
      assert.ok(existsSync(join(f.root, 'shared/notes.txt')));
      const absolute = await req('MOVE', '/files/shared/notes.txt', {
        headers: { destination: 'http://localhost/files/home/alice/notes.txt' },
      });
      assert.equal(absolute.status, 201);
      const noRename = await req('MOVE', '/files/public/README.txt', {
        headers: { destination: '/files/home/alice/r.txt' },
      });
      assert.equal(noRename.status, 403);
      checkResponse(doc, 'MOVE', '/files/{path}', 403, await noRename.json());
      const noWrite = await req('MOVE', '/files/home/alice/notes.txt', {
        headers: { destination: '/files/public/n.txt' },
      });
      assert.equal(noWrite.status, 403);
      assert.ok(
        existsSync(join(f.root, 'public/README.txt')) && existsSync(join(f.root, 'home/alice/notes.txt')),
      );
      assert.ok(!existsSync(join(f.root, 'public/n.txt')));
      // A directory with a rule below it (/shared/readonly) does not move.
      const dirWithRules = await req('MOVE', '/files/shared', {
        headers: { destination: '/files/home/alice/shared' },
      });
      assert.equal(dirWithRules.status, 403);
      assert.ok(existsSync(join(f.root, 'shared/readonly/policy.txt')));
      // Nor does one whose destination has rules below it.
      const intoRules = await req('MOVE', '/files/home/alice/photos', {
        headers: { destination: '/files/home/bob' },
      });
      assert.equal(intoRules.status, 403);
      const badDest = await req('MOVE', '/files/home/alice/notes.txt', {
        headers: { destination: '/etc/passwd' },
      });
      assert.equal(badDest.status, 400);
      checkResponse(doc, 'MOVE', '/files/{path}', 400, await badDest.json());
      // A Destination on another origin is another server's, not a path here.
      for (
        const other of ['http://elsewhere.example/files/home/alice/n.txt', 'https://localhost/files/n.txt']
      ) {
        const foreign = await req('MOVE', '/files/home/alice/notes.txt', { headers: { destination: other } });
        assert.equal(foreign.status, 502, other);
        checkResponse(doc, 'MOVE', '/files/{path}', 502, await foreign.json());
      }
      assert.ok(existsSync(join(f.root, 'home/alice/notes.txt')));
      assert.equal((await req('MOVE', '/files/home/alice/notes.txt')).status, 400);
      assert.equal((await req('PATCH', '/files/home/alice/notes.txt')).status, 405);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: a directory with no rules below it renames`, async () => {
    const f = await fixture(kind);
    try {
      const res = await f.request('/files/home/alice/photos', {
        method: 'MOVE',
        headers: { ...f.basic('alice'), destination: '/files/home/alice/pictures' },
      });
      assert.equal(res.status, 201, 'needs PermissionCache.hasRulesBelow');
      assert.ok(existsSync(join(f.root, 'home/alice/pictures/img-000.txt')));
    } finally {
      await f.close();
    }
  });

  test(`${kind}: retrieve supports Range, ETag, Last-Modified, HEAD and a correct Content-Type`, async () => {
    const f = await fixture(kind);
    const alice = f.basic('alice');
    try {
      await writeFile(join(f.root, 'home/alice/data.json'), '{"a":1234567890}');
      const full = await f.request('/files/home/alice/data.json', { headers: alice });
      assert.equal(full.status, 200);
      assert.equal(full.headers.get('content-type'), 'application/json');
      assert.equal(full.headers.get('accept-ranges'), 'bytes');
      assert.equal(full.headers.get('content-length'), '16');
      const etag = full.headers.get('etag') ?? '';
      assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
      assert.ok(full.headers.get('last-modified'));
      await full.text();
      const part = await f.request('/files/home/alice/data.json', {
        headers: { ...alice, range: 'bytes=5-9' },
      });
      assert.equal(part.status, 206);
      checkResponse(doc, 'GET', '/files/{path}', 206);
      assert.equal(part.headers.get('content-range'), 'bytes 5-9/16');
      assert.equal(await part.text(), '12345');
      const tail = await f.request('/files/home/alice/data.json', {
        headers: { ...alice, range: 'bytes=-3' },
      });
      assert.equal(await tail.text(), '90}');
      const open = await f.request('/files/home/alice/data.json', {
        headers: { ...alice, range: 'bytes=14-' },
      });
      assert.equal(await open.text(), '0}');
      const past = await f.request('/files/home/alice/data.json', {
        headers: { ...alice, range: 'bytes=99-' },
      });
      assert.equal(past.status, 416);
      assert.equal(past.headers.get('content-range'), 'bytes */16');
      const stale = await f.request('/files/home/alice/data.json', {
        headers: { ...alice, range: 'bytes=0-1', 'if-range': '"other"' },
      });
      assert.equal(stale.status, 200);
      await stale.text();
      const cached = await f.request('/files/home/alice/data.json', {
        headers: { ...alice, 'if-none-match': etag },
      });
      assert.equal(cached.status, 304);
      const head = await f.request('/files/home/alice/data.json', { method: 'HEAD', headers: alice });
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), '16');
      assert.equal((await head.text()).length, 0);
      const txt = await f.request('/files/home/alice/notes.txt', { headers: alice });
      assert.equal(txt.headers.get('content-type'), 'text/plain; charset=utf-8');
      await txt.text();
      const dir = await f.request('/files/home/alice', { headers: alice });
      assert.equal(dir.status, 301);
      assert.equal(dir.headers.get('location'), '/files/home/alice/');
    } finally {
      await f.close();
    }
  });

  test(`${kind}: a changed rule takes effect at the next login, not before`, async () => {
    const f = await fixture(kind);
    try {
      const token = await login(f, 'alice');
      const path = '/files/private/salaries.csv';
      assert.equal((await f.request(path, { headers: bearer(token) })).status, 403);
      assert.equal((await f.request(path, { headers: f.basic('alice') })).status, 403);
      await f.store.grant({ user: 'alice', path: '/private', allow: ['list', 'read'] });
      // Cached: the session and the cached Basic credentials keep the old rules.
      assert.equal((await f.request(path, { headers: bearer(token) })).status, 403);
      assert.equal((await f.request(path, { headers: f.basic('alice') })).status, 403);
      await login(f, 'alice');
      const res = await f.request(path, { headers: bearer(token) });
      assert.equal(res.status, 200, 'the next login reloads the rules, for every session of the user');
      assert.match(await res.text(), /salary/);
      await f.store.revoke('alice', '/private');
      assert.equal((await f.request(path, { headers: bearer(token) })).status, 200);
      await login(f, 'alice');
      assert.equal((await f.request(path, { headers: bearer(token) })).status, 403);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: the store is queried once per login and on cache misses only`, async () => {
    const f = await fixture(kind);
    try {
      assert.equal(await f.queries(), 1);
      assert.equal(await f.queries('revocations'), 1, 'the last revocation, read at start');
      const token = await login(f, 'alice');
      assert.equal(await f.queries('user'), 1);
      assert.equal(await f.queries('rules'), 1);
      for (let i = 0; i < 10; i++) {
        assert.equal((await f.request('/files/home/alice/', { headers: bearer(token) })).status, 200);
        assert.equal(
          (await f.request('/files/home/alice/notes.txt', { headers: bearer(token) })).status,
          200,
        );
        assert.equal(
          (await f.request('/files/private/salaries.csv', { headers: bearer(token) })).status,
          403,
        );
      }
      assert.equal(await f.queries(), 3, 'thirty checks, no query');
      // Basic: the first request verifies and logs in (two queries), later ones hit the credential cache.
      for (let i = 0; i < 10; i++) {
        assert.equal((await f.request('/files/home/bob/', { headers: f.basic('bob') })).status, 200);
      }
      assert.equal(await f.queries('user'), 2);
      assert.equal(await f.queries('rules'), 2);
      assert.equal(await f.metric('gateway_credential_cache_hits_total'), 9);
      assert.equal(await f.metric('gateway_credential_cache_misses_total'), 1);
      assert.ok((await f.metric('gateway_permission_cache_hits_total')) >= 40);
      assert.equal(await f.metric('gateway_permission_cache_misses_total'), 0);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: an evicted user reloads transparently`, async () => {
    const f = await fixture(kind, { maxUsers: 2 });
    try {
      const alice = await login(f, 'alice');
      await login(f, 'bob');
      await login(f, 'carol');
      assert.deepEqual(f.gateway.permissions.users().map((u) => u.user), ['carol', 'bob']);
      assert.equal(f.gateway.permissions.evictions()[0]?.user, 'alice');
      assert.equal(await f.queries('rules'), 3);
      const res = await f.request('/files/home/', { headers: bearer(alice) });
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as { entries: { name: string }[] }).entries.map((e) => e.name), [
        'alice',
      ]);
      assert.equal(await f.queries('rules'), 4, 'one reload on the miss');
      assert.equal(await f.queries('user'), 3, 'no password check on the miss');
      assert.equal(await f.metric('gateway_permission_cache_evictions_total'), 2);
      assert.ok((await f.metric('gateway_permission_cache_misses_total')) >= 1);
      assert.deepEqual(f.gateway.permissions.users().map((u) => u.user), ['alice', 'carol']);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: names and paths that look like SQL are ordinary strings`, async () => {
    const f = await fixture(kind);
    try {
      const { hashPassword } = await import('../src/passwords.ts');
      const name = "Robert'); DROP TABLE users;--";
      assert.ok(
        await f.store.addUser({
          name,
          passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }),
          admin: false,
        }),
      );
      await f.store.grant({
        user: name,
        path: "/shared/'; DELETE FROM rules; --",
        allow: ['list', 'read', 'write'],
      });
      await mkdir(join(f.root, "shared/'; DELETE FROM rules; --"));
      const headers = { authorization: `Basic ${Buffer.from(`${name}:pw`).toString('base64')}` };
      const path = `/files/shared/${encodeURIComponent("'; DELETE FROM rules; --")}/x' OR 1=1.txt`;
      assert.equal((await f.request(path, { method: 'PUT', headers, body: 'ok' })).status, 201);
      assert.equal(await (await f.request(path, { headers })).text(), 'ok');
      assert.equal((await f.store.listUsers()).length, 5);
      assert.ok((await f.store.listRules()).length > 10);
      assert.equal((await f.request('/files/home/alice/', { headers: f.basic('alice') })).status, 200);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: path traversal and symlinks never reach outside the root`, async () => {
    const f = await fixture(kind);
    const alice = f.basic('alice');
    try {
      const outside = join(f.dir, 'outside');
      await mkdir(outside);
      await writeFile(join(outside, 'secret.txt'), 'OUTSIDE');
      await symlink(outside, join(f.root, 'home/alice/escape'));
      await symlink(join(outside, 'secret.txt'), join(f.root, 'home/alice/secret-link'));
      await symlink(join(f.root, 'home/alice/notes.txt'), join(f.root, 'home/alice/inside-link'));
      const bad = [
        '/files/%2e%2e/%2e%2e/outside/secret.txt',
        '/files/home/alice/..%2f..%2f..%2foutside%2fsecret.txt',
        '/files/home/alice/%2e%2e%2f%2e%2e%2fprivate/salaries.csv',
        '/files/home/alice/..%5c..%5cprivate%5csalaries.csv',
        '/files/home/alice/notes.txt%00.jpg',
        '/files/home/alice/%c0%ae%c0%ae/%c0%ae%c0%ae/private/salaries.csv',
        '/files/home/alice/%e0%80%ae%e0%80%ae/x',
        '/files/home/alice/%ed%a0%80',
        '/files/home/alice/%zz',
      ];
      for (const path of bad) {
        const res = await f.request(path, { headers: alice });
        const text = await res.text();
        assert.ok([400, 403, 404].includes(res.status), `${path}: ${res.status}`);
        assert.doesNotMatch(text, /OUTSIDE|salary/, path);
      }
      assert.equal((await f.request('/files/home/alice/%252e%252e/private', { headers: alice })).status, 404);
      for (
        const path of [
          '/files/home/alice/escape/secret.txt',
          '/files/home/alice/secret-link',
          '/files/home/alice/escape/',
        ]
      ) {
        const res = await f.request(path, { headers: alice });
        assert.equal(res.status, 403, path);
        assert.doesNotMatch(await res.text(), /OUTSIDE/);
      }
      assert.equal(
        (await f.request('/files/home/alice/escape/new.txt', { method: 'PUT', headers: alice, body: 'x' }))
          .status,
        403,
      );
      assert.equal(
        (await f.request('/files/home/alice/escape/d', { method: 'MKCOL', headers: alice })).status,
        403,
      );
      assert.equal(
        (await f.request('/files/home/alice/secret-link', { method: 'PUT', headers: alice, body: 'x' }))
          .status,
        403,
      );
      assert.equal(readdirSync(outside).join(), 'secret.txt');
      assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'OUTSIDE');
      const listed = await names(f, 'alice', '/home/alice/');
      assert.ok(
        listed.includes('inside-link') && !listed.includes('escape') && !listed.includes('secret-link'),
      );
      assert.equal(
        await (await f.request('/files/home/alice/inside-link', { headers: alice })).text(),
        "alice's notes.\n",
      );
      // Deleting a link removes the link, never its target.
      assert.equal(
        (await f.request('/files/home/alice/secret-link', { method: 'DELETE', headers: alice })).status,
        204,
      );
      assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'OUTSIDE');
    } finally {
      await f.close();
    }
  });

  test(`${kind}: a symlink swapped in during requests never serves a file outside`, async () => {
    const f = await fixture(kind);
    const alice = f.basic('alice');
    try {
      const { rename: mv, rm: remove } = await import('node:fs/promises');
      const outside = join(f.dir, 'outside');
      await mkdir(outside);
      await writeFile(join(outside, 'file.txt'), 'OUTSIDE');
      const dir = join(f.root, 'home/alice/swap');
      await mkdir(dir);
      await writeFile(join(dir, 'file.txt'), 'inside');
      await symlink(outside, join(f.root, 'home/alice/.link-out'));
      await mkdir(join(f.root, 'home/alice/.real'));
      await writeFile(join(f.root, 'home/alice/.real/file.txt'), 'inside');
      let running = true;
      const swapper = (async () => {
        // Flip the directory between a real one and a link out of the tree.
        while (running) {
          await remove(dir, { recursive: true, force: true });
          await symlink(outside, dir);
          await new Promise((r) => setTimeout(r, 0));
          await remove(dir, { force: true });
          await mkdir(dir);
          await writeFile(join(dir, 'file.txt'), 'inside');
          await new Promise((r) => setTimeout(r, 0));
        }
      })();
      const seen = new Map<number, number>();
      for (let i = 0; i < 300; i++) {
        const res = await f.request('/files/home/alice/swap/file.txt', { headers: alice });
        const text = await res.text();
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        assert.notEqual(text, 'OUTSIDE', `request ${i}`);
      }
      running = false;
      await swapper;
      void mv;
      assert.ok(
        (seen.get(200) ?? 0) + (seen.get(403) ?? 0) + (seen.get(404) ?? 0) === 300,
        JSON.stringify([...seen]),
      );
    } finally {
      await f.close();
    }
  });

  test(`${kind}: oversized uploads answer 413 and leave nothing behind`, async () => {
    const f = await fixture(kind, { maxUploadBytes: 1000 });
    const alice = f.basic('alice');
    try {
      const declared = await f.request('/files/home/alice/big.bin', {
        method: 'PUT',
        headers: alice,
        body: 'x'.repeat(2000),
      });
      assert.equal(declared.status, 413);
      checkResponse(doc, 'PUT', '/files/{path}', 413, await declared.json());
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(300));
          controller.close();
        },
      });
      const streamed = await f.request('/files/home/alice/big.bin', {
        method: 'PUT',
        headers: alice,
        body: stream,
        duplex: 'half',
      } as RequestInit);
      assert.equal(streamed.status, 413);
      assert.ok(!existsSync(join(f.root, 'home/alice/big.bin')));
      await writeFile(join(f.root, 'home/alice/keep.txt'), 'x'.repeat(900));
      const append = await f.request('/files/home/alice/keep.txt?append', {
        method: 'PUT',
        headers: alice,
        body: 'y'.repeat(200),
      });
      assert.equal(append.status, 413);
      assert.equal(readFileSync(join(f.root, 'home/alice/keep.txt'), 'utf8'), 'x'.repeat(900));
      // An aborted upload: the body stream errors half way.
      const aborted = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new Uint8Array(100));
          controller.error(new Error('client went away'));
        },
      });
      const res = await f.request('/files/home/alice/aborted.bin', {
        method: 'PUT',
        headers: alice,
        body: aborted,
        duplex: 'half',
      } as RequestInit);
      assert.ok(res.status >= 400);
      assert.ok(!existsSync(join(f.root, 'home/alice/aborted.bin')));
      assert.deepEqual(leftovers(join(f.root, 'home/alice')), []);
      const ok = await f.request('/files/home/alice/ok.bin', {
        method: 'PUT',
        headers: alice,
        body: 'z'.repeat(1000),
      });
      assert.equal(ok.status, 201);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: errors never leak stack traces, SQL or file system paths`, async () => {
    const f = await fixture(kind);
    const alice = f.basic('alice');
    try {
      const requests: [string, RequestInit][] = [
        ['/files/home/alice/none/x.txt', { method: 'PUT', body: 'x' }],
        ['/files/home/alice/notes.txt/x', { method: 'MKCOL' }],
        ['/files/home/alice/photos', { method: 'DELETE' }],
        ['/files/home/alice/none.txt', { method: 'GET' }],
        ['/files/home/alice/none/', { method: 'GET' }],
        ['/files/home/alice/notes.txt/', { method: 'GET' }],
        ['/files/home/alice/%00', { method: 'GET' }],
        ['/nowhere', { method: 'GET' }],
      ];
      for (const [path, init] of requests) {
        const res = await f.request(path, { ...init, headers: alice });
        const text = await res.text();
        assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status} ${text}`);
        assert.doesNotMatch(text, /\bat .*:\d+|SELECT|INSERT|sqlite|mysql|ENOENT|ENOTDIR/i, path);
        assert.ok(!text.includes(f.root) && !text.includes(f.dir), path);
        assert.equal(res.headers.get('content-type'), 'application/json');
      }
    } finally {
      await f.close();
    }
  });

  test(`${kind}: the admin sees the permission cache, newest first, and its evictions`, async () => {
    const f = await fixture(kind, { maxUsers: 2 });
    try {
      const admin = await login(f, 'admin');
      await login(f, 'alice');
      await login(f, 'bob');
      const res = await f.request('/api/admin/cache', { headers: bearer(admin) });
      assert.equal(res.status, 200);
      const view = await res.json();
      checkResponse(doc, 'GET', '/api/admin/cache', 200, view);
      assert.deepEqual(view.users.map((u: { user: string }) => u.user), ['bob', 'alice']);
      assert.ok(view.users.every((u: { bytes: number }) => u.bytes > 0));
      assert.equal(view.evictions[0].user, 'admin');
      assert.equal(view.evictions[0].reason, 'evict');
      const refused = await f.request('/api/admin/cache', { headers: f.basic('alice') });
      assert.equal(refused.status, 403);
      checkResponse(doc, 'GET', '/api/admin/cache', 403, await refused.json());
      const events = await f.request('/api/admin/cache/events', { headers: bearer(admin) });
      assert.equal(events.status, 200);
      assert.match(events.headers.get('content-type') ?? '', /text\/event-stream/);
      const reader = events.body!.getReader();
      const { value } = await reader.read();
      const text = new TextDecoder().decode(value);
      assert.match(text, /^event: cache\ndata: \{/);
      const data = JSON.parse(text.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
      checkResponse(doc, 'GET', '/api/admin/cache', 200, data);
      await reader.cancel();
    } finally {
      await f.close();
    }
  });

  test(`${kind}: a login flood waits for a bounded number of KDF runs`, async () => {
    const f = await fixture(kind, { kdfConcurrency: 1, kdfQueue: 2 });
    try {
      const attempts = await Promise.all(
        Array.from({ length: 8 }, () =>
          f.request('/api/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ user: 'alice', password: PASSWORDS.alice }),
          })),
      );
      const statuses = attempts.map((r) => r.status).sort();
      assert.ok(statuses.includes(200), String(statuses));
      assert.ok(statuses.includes(503), String(statuses));
      const refused = attempts.find((r) => r.status === 503)!;
      assert.equal(refused.headers.get('retry-after'), '1');
      checkResponse(doc, 'POST', '/api/login', 503, await refused.json());
      assert.equal(await f.metric('gateway_kdf_in_flight'), 0);
      assert.ok((await f.metric('gateway_kdf_refused_total')) >= 1);
    } finally {
      await f.close();
    }
  });

  test(`${kind}: the access log has every field and never a password or token`, async () => {
    const f = await fixture(kind);
    try {
      const token = await login(f, 'alice');
      await f.request('/files/home/alice/notes.txt', { headers: bearer(token) });
      await f.request('/files/private/salaries.csv', { headers: f.basic('alice') });
      // A listing, JSON or HTML, logs the bytes of its body.
      for (const accept of ['application/json', 'text/html']) {
        const res = await f.request('/files/home/alice/', { headers: { ...bearer(token), accept } });
        assert.equal(res.status, 200);
        const sent = (await res.arrayBuffer()).byteLength;
        const listed = f.logs.findLast((e) => e.op === 'list')!;
        assert.ok(sent > 100);
        assert.equal(listed.bytes, sent, accept);
      }
      const text = JSON.stringify(f.logs);
      assert.ok(
        !text.includes(token) && !text.includes(token.split('.')[1] ?? '@') &&
          !text.includes(PASSWORDS.alice ?? '@'),
      );
      const read = f.logs.find((e) => e.op === 'retrieve' && e.status === 200)!;
      assert.deepEqual(Object.keys(read).sort(), [
        'bytes',
        'decision',
        'ms',
        'op',
        'path',
        'status',
        'time',
        'user',
      ]);
      assert.equal(read.user, 'alice');
      assert.equal(read.decision, 'allow');
      assert.equal(read.bytes, 15);
      const listing = await f.request('/files/home/alice/', { headers: bearer(token) });
      const sent = (await listing.arrayBuffer()).byteLength;
      const listed = f.logs.find((e) => e.op === 'list' && e.status === 200)!;
      assert.ok(sent > 0);
      assert.equal(listed.bytes, sent);
      const denied = f.logs.find((e) => e.status === 403)!;
      assert.equal(denied.decision, 'deny');
      assert.equal(denied.path, '/private/salaries.csv');
      assert.equal(f.logs[0]?.op, 'login');
    } finally {
      await f.close();
    }
  });
}

test('with a metrics token, /metrics answers only that bearer token', async () => {
  const f = await fixture('sqlite', { metricsToken: 'scrape-me-please' });
  try {
    for (
      const authorization of [undefined, 'Bearer wrong', 'Bearer scrape-me-pleasE', 'Basic c2NyYXBlOm1l']
    ) {
      const res = await f.request('/metrics', authorization ? { headers: { authorization } } : {});
      assert.equal(res.status, 401, String(authorization));
      assert.match(String((await json(res)).error), /metrics token/);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
    const res = await f.request('/metrics', { headers: { authorization: 'Bearer scrape-me-please' } });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^gateway_requests_total/m);
  } finally {
    await f.close();
  }
});

test('health, readiness, metrics and the OpenAPI document', async () => {
  const f = await fixture('sqlite');
  try {
    assert.equal((await f.request('/healthz')).status, 200);
    assert.equal((await f.request('/readyz')).status, 200);
    const spec = await (await f.request('/openapi.json')).json();
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/files/{path}'].put);
    const token = await login(f, 'alice');
    assert.equal((await f.request('/files/home/', { headers: bearer(token) })).status, 200);
    const text = await (await f.request('/metrics')).text();
    // The listing's permission checks were timed under its operation, and took part of its time.
    const sample = (line: RegExp) => Number(line.exec(text)?.[1] ?? NaN);
    const checkSeconds = sample(/^gateway_permission_check_seconds_total\{op="list"\} (\S+)$/m);
    const listSeconds = sample(/^gateway_request_duration_seconds_sum\{op="list"\} (\S+)$/m);
    assert.ok(checkSeconds > 0 && checkSeconds <= listSeconds, `check ${checkSeconds} s of ${listSeconds} s`);
    for (
      const name of [
        'gateway_permission_cache_hits_total',
        'gateway_permission_cache_misses_total',
        'gateway_permission_cache_evictions_total',
        'gateway_permission_cache_users',
        'gateway_permission_cache_bytes',
        'gateway_credential_cache_hits_total',
        'gateway_store_queries_total',
        'gateway_store_query_duration_seconds_bucket',
        'gateway_kdf_in_flight',
        'gateway_requests_total',
        'gateway_request_duration_seconds_bucket',
      ]
    ) {
      assert.match(text, new RegExp(`^${name}`, 'm'), name);
    }
    await f.store.close();
    assert.equal((await f.request('/readyz')).status, 503);
  } finally {
    await f.close();
  }
});
