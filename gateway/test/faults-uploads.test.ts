// Faults of uploads: a client that drops the connection halfway through the body (a real
// socket against a gateway process), and a full disk (a 1 MiB tmpfs as the served root).
// Each run ends with the integrity check: nothing refused is half there, no temporary file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGateway } from '../src/gateway.ts';
import { DEMO_USERS, seedTree, seedUsers } from '../src/seed.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import { CHEAP, KEY, PASSWORDS } from './helpers.ts';
import { Ledger, uploadTemps } from './integrity.ts';
import { runtime, startServer } from './server.ts';

const AUTH = `Basic ${Buffer.from(`alice:${PASSWORDS.alice}`).toString('base64')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 50 ms until it is true or `ms` passed; whether it became true. */
async function until(probe: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > end) return false;
    await sleep(50);
  }
}

/**
 * Sends a PUT's headers and `sent` of the body's `total` bytes on a raw socket, waits until the
 * gateway has a temporary file for it in `dir` (the upload is under way), then destroys the
 * socket; whether the temporary file was seen.
 */
async function abortedPut(url: string, path: string, dir: string, sent: number, total: number) {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(
    `PUT /files/${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: ${AUTH}\r\n` +
      `Content-Length: ${total}\r\n\r\n`,
  );
  socket.write(randomBytes(sent));
  const seen = await until(async () => (await uploadTemps(dir)).length > 0, 5000);
  socket.destroy();
  return seen;
}

test(`${runtime}: an upload whose client disconnects halfway leaves no file and the target unchanged`, async () => {
  const s = await startServer('sqlite');
  const ledger = new Ledger();
  try {
    const home = join(s.root, 'home/alice');
    const notes = await readFile(join(home, 'notes.txt'));
    ledger.untouched('home/alice/notes.txt', notes);
    ledger.untouched('home/alice/new.bin', undefined);
    assert.ok(await abortedPut(s.url, 'home/alice/new.bin', home, 64 * 1024, 256 * 1024), 'upload started');
    assert.ok(await abortedPut(s.url, 'home/alice/notes.txt', home, 64 * 1024, 256 * 1024), 'upload started');
    // The gateway notices the broken connection and removes the temporary files.
    assert.ok(await until(async () => (await uploadTemps(s.root)).length === 0, 5000), 'temp files removed');
    assert.deepEqual(await ledger.check(s.root), []);
    // And keeps serving.
    const res = await fetch(`${s.url}/files/home/alice/notes.txt`, { headers: { authorization: AUTH } });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), notes);
  } finally {
    await s.stop();
  }
});

test(`${runtime}: a full disk answers 507, leaves no partial or temporary file, then serves again`, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-full-'));
  const root = join(dir, 'files');
  await mkdir(root);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', root], { stdio: 'pipe' });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    assert.fail(`this test mounts a 1 MiB tmpfs and needs root to do so: ${String(error).trim()}`);
  }
  const store = new SqliteStore(join(dir, 'gateway.sqlite'));
  const ledger = new Ledger();
  try {
    await store.migrate();
    await seedUsers(store, DEMO_USERS, CHEAP);
    await seedTree(root, { sections: 1, filesPerSection: 2 });
    const gateway = await buildGateway({ store, root, key: KEY, scrypt: CHEAP, log: () => {} });
    const put = async (path: string, body: Buffer, query = '') => {
      const res = await gateway.app.request(`/files/${path}${query}`, {
        method: 'PUT',
        headers: { authorization: AUTH },
        body: new Uint8Array(body),
      });
      return { status: res.status, body: (await res.json()) as { error?: string } };
    };
    try {
      const notes = await readFile(join(root, 'home/alice/notes.txt'));
      const big = randomBytes(2 << 20);
      for (const [path, query] of [['home/alice/notes.txt', ''], ['home/alice/big.bin', '']] as const) {
        const before = await readFile(join(root, path)).catch(() => undefined);
        const res = await put(path, big, query);
        assert.equal(res.status, 507, `${path}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error, 'not enough space on the server for this upload');
        ledger.upload(path, big, before, 'refused');
      }
      // An append that does not fit leaves the file as it was.
      const append = await put('home/alice/notes.txt', big, '?append');
      assert.equal(append.status, 507);
      ledger.upload('home/alice/notes.txt', big, notes, 'refused');
      assert.deepEqual(await ledger.check(root), []);
      // The space the refused uploads took is back: a small one succeeds.
      const small = Buffer.from('fits\n');
      assert.equal((await put('home/alice/small.txt', small)).status, 201);
      ledger.upload('home/alice/small.txt', small, undefined, 'ok');
      assert.deepEqual(await ledger.check(root), []);
    } finally {
      gateway.close();
    }
  } finally {
    await store.close();
    execFileSync('umount', [root]);
    await rm(dir, { recursive: true, force: true });
  }
});
