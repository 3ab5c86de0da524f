// The static server's contract: Content-Types (application/wasm included), index.html
// for folders, mounts and extra headers, 404 for anything outside the root, GET/HEAD
// only, and loopback addresses only.
//
//   node --test js/scripts/static-server.test.mjs

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isLoopback, serve } from './static-server.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'edge-lru-static-'));
const root = join(tmp, 'root');
const other = join(tmp, 'other');
let server;

before(async () => {
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(root, '.git'), { recursive: true });
  mkdirSync(other, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>home');
  writeFileSync(join(root, 'sub/index.html'), 'sub');
  writeFileSync(join(root, 'app.mjs'), 'export {};');
  writeFileSync(join(root, 'core.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  writeFileSync(join(root, 'blob.bin'), 'x');
  writeFileSync(join(root, '.git/config'), 'secret');
  writeFileSync(join(tmp, 'outside.txt'), 'secret');
  writeFileSync(join(other, 'bundle.mjs'), 'export const mounted = true;');
  server = await serve({ root, mounts: { '/bundles/': other }, headers: { 'cross-origin-opener-policy': 'same-origin' } });
});
after(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A raw request (fetch would normalise `..` away before sending it). */
function get(path, method = 'GET') {
  return new Promise((done, fail) => {
    const { hostname, port } = new URL(server.origin);
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c));
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', fail).end();
  });
}

test('listens on 127.0.0.1 at a free port', () => {
  assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(new URL(server.origin).port, '0');
});

test('Content-Types: html, JavaScript modules, application/wasm, octet-stream otherwise', async () => {
  assert.equal((await get('/')).headers['content-type'], 'text/html; charset=utf-8');
  assert.equal((await get('/app.mjs')).headers['content-type'], 'text/javascript; charset=utf-8');
  const wasm = await get('/core.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.equal(wasm.headers['content-length'], '8');
  assert.equal((await get('/blob.bin')).headers['content-type'], 'application/octet-stream');
});

test('a folder serves its index.html; without the slash it redirects', async () => {
  assert.equal((await get('/sub/')).body, 'sub');
  const redirect = await get('/sub');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, '/sub/');
});

test('mounts and extra headers', async () => {
  const res = await get('/bundles/bundle.mjs');
  assert.equal(res.status, 200);
  assert.equal(res.body, 'export const mounted = true;');
  assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal((await get('/bundle.mjs')).status, 404);
});

test('nothing outside the root, no dot-files, no NUL', async () => {
  for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/sub/..%2f..%2foutside.txt', '/.git/config', '/%2egit/config', '/bundles/..%2f..%2foutside.txt', '/app.mjs%00', '/nope.html', '/sub/..%5c..%5coutside.txt']) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(res.body, /secret/, path);
  }
  assert.equal((await get('/%E0%A4%A')).status, 400);
});

test('GET and HEAD only', async () => {
  const head = await get('/app.mjs', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  const post = await get('/app.mjs', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
});

test('refuses to listen beyond loopback, and bad ports, with a code', async () => {
  await assert.rejects(serve({ root, host: '0.0.0.0' }), { name: 'RangeError', code: 'ERR_SERVE_HOST' });
  await assert.rejects(serve({ root, host: '192.168.1.2' }), { code: 'ERR_SERVE_HOST' });
  await assert.rejects(serve({ root, port: 70000 }), { name: 'RangeError', code: 'ERR_SERVE_PORT' });
  await assert.rejects(serve({ root: '' }), { name: 'TypeError' });
  assert.deepEqual(['127.0.0.1', '127.1.2.3', '::1', 'localhost', '0.0.0.0', '::', '10.0.0.1'].map(isLoopback), [true, true, true, true, false, false, false]);
});
