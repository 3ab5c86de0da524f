// A property test of the HTTP surface with fast-check, driving the in-process app (no
// sockets): random methods, paths (traversal, encodings, control and non-ASCII characters),
// credentials, headers and bodies. Whatever the request: never a 5xx (but 502 for a MOVE to
// another origin, as RFC 4918 says), every 4xx carries a JSON message, a sentinel file outside
// the root and the subtrees no non-admin user may change stay as they were, and no temporary
// upload file is left. GATEWAY_PROPERTY_SEED and GATEWAY_PROPERTY_RUNS replay or widen a run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { bearer, fixture, login } from './helpers.ts';
import { snapshot, uploadTemps } from './integrity.ts';

const SEED = Number(process.env.GATEWAY_PROPERTY_SEED ?? 14);
const RUNS = Number(process.env.GATEWAY_PROPERTY_RUNS ?? 1000);
/** Subtrees only an admin may change (admin is not among the generated users). */
const GUARDED = ['private', 'public', 'shared/readonly'];
const METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'MKCOL', 'MOVE', 'POST', 'PATCH', 'OPTIONS', 'PROPFIND'];

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('new.txt', 'dir', 'a', 'b.bin', 'notes.txt') },
  fc.constantFrom(
    'home',
    'alice',
    'bob',
    'carol',
    'private',
    'public',
    'shared',
    'readonly',
    'docs',
    'notes.txt',
    'salaries.csv',
    'README.txt',
    '..',
    '.',
    '',
    '%2e%2e',
    '%2E.',
    '..%2f',
    '%2f',
    '%5c',
    '..\\..',
    '%00',
    '%0a',
    '%c0%ae%c0%ae',
    '%ff',
    '%e2%82',
    '%252e%252e',
    '%',
    '%zz',
    '.gateway-upload-1-x',
    '~',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map((s) => encodeURIComponent(s).replace(/%2F/g, '/')),
);

// Most paths start in a real directory, so that some requests are allowed and change the tree.
const PREFIXES = ['', 'home', 'home/alice', 'home/bob', 'shared', 'shared/readonly', 'public', 'private'];
const target = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom('home/alice', 'shared') },
        fc.constantFrom(...PREFIXES),
      ),
      fc.oneof(
        { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 1 }) },
        fc.array(segment, { maxLength: 2 }),
      ),
    )
      .map(([prefix, s]) => `/files/${[prefix, ...s].filter((x) => x !== '').join('/')}`),
  },
  { weight: 2, arbitrary: fc.array(segment, { maxLength: 5 }).map((s) => `/files/${s.join('/')}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/api/login', '/api/logout', '/api/me', '/api/admin/cache', '/files', '/'),
  },
).chain((path) =>
  fc.tuple(
    fc.constant(path),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant('') },
      fc.constantFrom('/', '?append', '?format=json', '?append=1&x=%ff'),
    ),
  )
).map(([path, tail]) => path + tail);

const request = fc.record({
  method: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('PUT', 'MKCOL', 'DELETE', 'MOVE') },
    { weight: 2, arbitrary: fc.constantFrom(...METHODS) },
  ),
  target,
  user: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('alice', 'token', 'bob') },
    { weight: 2, arbitrary: fc.constantFrom('carol', 'none', 'wrong', 'garbage', 'forged') },
  ),
  destination: fc.option(
    fc.oneof(
      target,
      fc.constantFrom('http://elsewhere.example/files/x', '//evil/files/a', 'http://[::1', ':::'),
      fc.string({ maxLength: 20 }),
    ),
  ),
  range: fc.option(
    fc.oneof(
      fc.tuple(fc.option(fc.nat(40)), fc.option(fc.nat(40))).map(([a, b]) => `bytes=${a ?? ''}-${b ?? ''}`),
      fc.string({ maxLength: 12 }),
    ),
  ),
  accept: fc.constantFrom(undefined, 'text/html', 'application/json', '*/*'),
  contentType: fc.constantFrom(
    undefined,
    'application/json',
    'application/x-www-form-urlencoded',
    'text/plain',
  ),
  extra: fc.option(
    fc.tuple(fc.constantFrom('if-none-match', 'if-range', 'x-requested-with', 'cookie'), fc.string()),
  ),
  body: fc.option(
    fc.oneof(
      fc.uint8Array({ maxLength: 4096 }),
      fc.json().map((j) => new TextEncoder().encode(j)),
      fc.constantFrom('{"user":"alice","password":"alice-demo"}', 'user=bob&password=x', '{"user":')
        .map((t) => new TextEncoder().encode(t)),
    ),
  ),
});

test('property: the HTTP surface never answers 5xx, explains every 4xx, and guards what it must', async () => {
  const f = await fixture('sqlite', { tree: { sections: 1, filesPerSection: 3 } });
  try {
    const sentinel = join(f.dir, 'sentinel.txt');
    await writeFile(sentinel, 'outside the root\n');
    const guarded = new Map<string, Map<string, Buffer>>();
    for (const dir of GUARDED) guarded.set(dir, await snapshot(join(f.root, dir)));
    assert.ok(guarded.get('private')!.size > 0, 'the guarded subtrees hold files');
    const token = await login(f, 'alice');
    const credentials: Record<string, Record<string, string>> = {
      alice: f.basic('alice'),
      bob: f.basic('bob'),
      carol: f.basic('carol'),
      none: {},
      wrong: f.basic('alice', 'not-her-password'),
      garbage: { authorization: 'Basic %%%' },
      token: bearer(token),
      forged: bearer(token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA')),
    };
    let ran = 0;
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let url: URL;
        try {
          url = new URL(`http://localhost${r.target}`);
        } catch {
          return; // Not a request a client could send.
        }
        const headers: Record<string, string> = { ...credentials[r.user] };
        if (r.destination !== null) headers.destination = r.destination;
        if (r.range !== null) headers.range = r.range;
        if (r.accept !== undefined) headers.accept = r.accept;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.extra !== null) headers[r.extra[0]] = r.extra[1].replace(/[\r\n\0]/g, '');
        const withBody = r.body !== null && r.method !== 'GET' && r.method !== 'HEAD';
        let res: Response;
        try {
          res = await f.request(url.pathname + url.search, {
            method: r.method,
            headers,
            ...(withBody ? { body: r.body } : {}),
          });
        } catch (error) {
          // A header value fetch itself refuses is no request either; anything else is a fault.
          if (error instanceof TypeError && /header/i.test(String(error.message))) return;
          throw error;
        }
        ran++;
        if (res.status < 300 && r.method !== 'GET' && r.method !== 'HEAD') changed++;
        const text = await res.text();
        const where = `${r.method} ${r.target} (${r.user}) -> ${res.status} ${text.slice(0, 200)}`;
        if (res.status >= 500) {
          let crossOrigin = false;
          try {
            crossOrigin = r.method === 'MOVE' &&
              new URL(r.destination ?? '', url).origin !== url.origin;
          } catch {
            // A malformed Destination is a 400.
          }
          assert.ok(res.status === 502 && crossOrigin, `a 5xx: ${where}`);
        }
        if (res.status >= 400 && res.status < 500 && r.method !== 'HEAD') {
          let error: unknown;
          try {
            error = (JSON.parse(text) as { error?: unknown }).error;
          } catch {
            // Checked below.
          }
          assert.ok(typeof error === 'string' && error.length > 0, `a 4xx without a message: ${where}`);
        }
        assert.equal(await readFile(sentinel, 'utf8'), 'outside the root\n', where);
        for (const [dir, before] of guarded) {
          assert.deepEqual(await snapshot(join(f.root, dir)), before, `${dir} changed: ${where}`);
        }
        assert.deepEqual(await uploadTemps(f.root), [], `a temporary file left: ${where}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    assert.ok(ran > RUNS / 2, `only ${ran} of ${RUNS} requests could be sent`);
    // The run must have exercised allowed changes too, or it would guard nothing.
    assert.ok(changed >= RUNS / 100, `only ${changed} requests changed the tree`);
  } finally {
    await f.close();
  }
});
