// Hostile clients against a gateway process: a request flood from one user (429 from the
// per-user token bucket while others are served), oversized headers (431), a body trickled
// byte by byte (408 from the upload timeout, nothing left), and on Node, whose server has the
// timeouts, headers trickled byte by byte and many idle connections, closed while another
// user's requests keep succeeding. Deno.serve has no header or idle timeouts (see README).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { RateLimiter } from '../src/ratelimit.ts';
import { PASSWORDS } from './helpers.ts';
import { Ledger } from './integrity.ts';
import { curl, runtime, startServer } from './server.ts';

const auth = (user: string) => `Basic ${Buffer.from(`${user}:${PASSWORDS[user]}`).toString('base64')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw connection: what the server sent, and when it closed the connection. */
function raw(url: string): Promise<{ socket: Socket; text: () => string; closed: Promise<number> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let text = '';
  socket.on('data', (d) => (text += d));
  socket.on('error', () => {});
  const opened = Date.now();
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - opened)));
  return new Promise((resolve) =>
    socket.once('connect', () => resolve({ socket, text: () => text, closed }))
  );
}

/** Writes `data` one byte every `gapMs` until the socket closes or `ms` passed. */
async function trickle(socket: Socket, data: string, gapMs: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (let i = 0; !socket.destroyed && Date.now() < end; i = (i + 1) % data.length) {
    socket.write(data[i]!);
    await sleep(gapMs);
  }
}

/** `promise`'s value, or `fallback` after `ms`. */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

test('the token bucket: a burst, then one request per 1/rate s, Retry-After rounded up', () => {
  let now = 0;
  const limiter = new RateLimiter({ perSecond: 2, burst: 3, maxUsers: 2, now: () => now });
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [0, 0, 0, 1]);
  now += 499;
  assert.equal(limiter.take('a'), 1, 'not quite a token yet');
  now += 1;
  assert.equal(limiter.take('a'), 0);
  assert.equal(limiter.take('b'), 0, 'each user has a bucket');
  now += 10_000;
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.take('a')), [0, 0, 0, 1], 'refilled up to the burst only');
  const slow = new RateLimiter({ perSecond: 0.25, burst: 1, now: () => now });
  assert.deepEqual([slow.take('a'), slow.take('a')], [0, 4]);
  assert.throws(() => new RateLimiter({ perSecond: 0 }), { code: 'ERR_GATEWAY_OPTION' });
  limiter.free();
  slow.free();
});

test(`${runtime}: a flood from one user gets 429 with Retry-After while other users are served`, async () => {
  const s = await startServer('sqlite', ['--rate-limit', '5', '--rate-burst', '10']);
  try {
    const get = (user: string) =>
      fetch(`${s.url}/files/home/${user}/notes.txt`, { headers: { authorization: auth(user) } });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 30; i++) {
      const res = await get('alice');
      statuses.push(res.status);
      if (res.status === 429 && limited === undefined) limited = res;
      else await res.body?.cancel();
      // Another user, interleaved with the flood, is never limited by it.
      if (i % 4 === 0) {
        const other = await get('bob');
        assert.equal(other.status, 200, "bob is served during alice's flood");
        await other.body?.cancel();
      }
    }
    const ok = statuses.filter((st) => st === 200).length;
    // The burst, plus what refilled while the flood ran.
    assert.ok(ok >= 10 && ok < 20, `${ok} of 30 served: ${statuses}`);
    assert.ok(statuses.slice(20).every((st) => st === 429), `${statuses}`);
    assert.ok(limited !== undefined);
    const wait = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait >= 1, `Retry-After: ${wait}`);
    assert.deepEqual(await limited.json(), { error: 'too many requests; slow down' });
    await sleep(wait * 1000);
    const again = await get('alice');
    assert.equal(again.status, 200, 'served again after Retry-After');
    await again.body?.cancel();
  } finally {
    await s.stop();
  }
});

test(`${runtime}: headers over 16 KiB in many small fields get 431`, async () => {
  const s = await startServer('sqlite');
  try {
    const { hostname, port } = new URL(s.url);
    const c = await raw(s.url);
    const fields = Array.from({ length: 40 }, (_, i) => `x-field-${i}: ${'v'.repeat(500)}\r\n`).join('');
    c.socket.write(
      `GET /files/home/alice/ HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: ${auth('alice')}\r\n` +
        `${fields}Connection: close\r\n\r\n`,
    );
    await within(c.closed, 5000, -1);
    assert.match(c.text(), /^HTTP\/1\.1 431 /);
    assert.doesNotMatch(c.text(), /"entries"/);
    assert.equal((await curl(['-u', `alice:${PASSWORDS.alice}`, `${s.url}/files/home/alice/`])).status, 200);
  } finally {
    await s.stop();
  }
});

test(`${runtime}: an upload body trickled byte by byte is cut at the request timeout, leaving nothing`, async () => {
  const s = await startServer('sqlite', ['--headers-timeout', '1000', '--request-timeout', '1500']);
  const ledger = new Ledger();
  try {
    const { hostname, port } = new URL(s.url);
    ledger.untouched('home/alice/trickled.bin', undefined);
    const c = await raw(s.url);
    c.socket.write(
      `PUT /files/home/alice/trickled.bin HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
        `Authorization: ${auth('alice')}\r\nContent-Length: 100000\r\n\r\n`,
    );
    const started = Date.now();
    const closedOrAnswered = (async () => {
      while (!c.socket.destroyed && c.text() === '') await sleep(20);
      return Date.now() - started;
    })();
    const feeding = trickle(c.socket, 'abcdefgh', 50, 8000);
    const ms = await within(closedOrAnswered, 8000, -1);
    c.socket.destroy();
    await feeding;
    assert.ok(ms >= 0 && ms < 5000, `cut after ${ms} ms`);
    assert.match(c.text(), /^HTTP\/1\.1 408 /, c.text());
    await sleep(300);
    assert.deepEqual(await ledger.check(s.root), []);
    assert.equal((await curl(['-u', `bob:${PASSWORDS.bob}`, `${s.url}/files/home/bob/`])).status, 200);
  } finally {
    await s.stop();
  }
});

if (runtime === 'node') {
  test('node: headers trickled byte by byte are cut at the headers timeout', async () => {
    const s = await startServer('sqlite', ['--headers-timeout', '1000', '--request-timeout', '5000']);
    try {
      const { hostname, port } = new URL(s.url);
      const c = await raw(s.url);
      c.socket.write(`GET /files/home/alice/ HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`);
      // A byte every 50 ms keeps the connection busy but never ends the headers.
      const feeding = trickle(c.socket, 'x-slow: aaaaaaaaaaaaaaaa\r\n', 50, 8000);
      const ms = await within(c.closed, 8000, -1);
      await feeding;
      assert.ok(ms > 0 && ms < 3000, `closed after ${ms} ms`);
      assert.match(c.text(), /^HTTP\/1\.1 408 /);
    } finally {
      await s.stop();
    }
  });

  test('node: many idle connections are closed by the timeouts while another user is served', async () => {
    const s = await startServer('sqlite', ['--headers-timeout', '1000', '--keep-alive-timeout', '500']);
    try {
      const { hostname, port } = new URL(s.url);
      // 150 connections that never send a byte, and 50 that send one request and then idle.
      const silent = await Promise.all(Array.from({ length: 150 }, () => raw(s.url)));
      const kept = await Promise.all(Array.from({ length: 50 }, () => raw(s.url)));
      for (const c of kept) c.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
      const started = Date.now();
      let served = 0;
      while (Date.now() - started < 1500) {
        const res = await curl(['-u', `bob:${PASSWORDS.bob}`, `${s.url}/files/home/bob/`]);
        assert.equal(res.status, 200, 'bob is served while 200 connections idle');
        served++;
      }
      assert.ok(served >= 5, `served ${served}`);
      const closed = await Promise.all([...silent, ...kept].map((c) => within(c.closed, 6000, -1)));
      const open = closed.filter((ms) => ms < 0).length;
      assert.equal(open, 0, `${open} idle connections still open`);
      assert.ok(kept.every((c) => /^HTTP\/1\.1 200 /.test(c.text())), 'kept-alive requests answered');
      assert.ok(Math.max(...closed) < 5000, `the last closed after ${Math.max(...closed)} ms`);
    } finally {
      await s.stop();
    }
  });
}
