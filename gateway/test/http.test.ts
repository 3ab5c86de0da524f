// Real clients over loopback: curl for every operation against a gateway process on this
// runtime (Node or Deno), on each store; bad input at the socket level; cluster mode.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { STORES, sumMetric } from './helpers.ts';
import { curl, runtime, startServer } from './server.ts';

const ALICE = ['-u', 'alice:alice-demo'];

for (const kind of STORES) {
  test(`${runtime}/${kind}: curl drives every operation, allowed and refused`, async () => {
    const s = await startServer(kind);
    const jar = join(s.dataDir, 'cookies.txt');
    try {
      const u = (path: string) => `${s.url}${path}`;
      // Login: a cookie for the jar, a bearer token in the body.
      const login = await curl([
        '-c',
        jar,
        '-H',
        'content-type: application/json',
        '--data',
        '{"user":"alice","password":"alice-demo"}',
        u('/api/login'),
      ]);
      assert.equal(login.status, 200, login.body);
      const token = JSON.parse(login.body).token as string;
      assert.match(readFileSync(jar, 'utf8'), /gateway_session/);
      const wrong = await curl([
        '-H',
        'content-type: application/json',
        '--data',
        '{"user":"alice","password":"x"}',
        u('/api/login'),
      ]);
      assert.equal(wrong.status, 401);

      // list (LIST): cookie, bearer and Basic
      for (const auth of [['-b', jar], ['-H', `authorization: Bearer ${token}`], ALICE]) {
        const list = await curl([...auth, u('/files/home/')]);
        assert.equal(list.status, 200);
        assert.deepEqual(JSON.parse(list.body).entries.map((e: { name: string }) => e.name), ['alice']);
      }
      const big = await curl([...ALICE, u('/files/public/docs/section-00/')]);
      assert.equal(JSON.parse(big.body).entries.length, 100);
      assert.equal((await curl(['-u', 'carol:carol-demo', u('/files/')])).status, 403);
      const anonymous = await curl([u('/files/home/alice/')]);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers['www-authenticate'] ?? '', /^Basic realm=/);

      // retrieve (RETR) with a range, then a conditional request
      const range = await curl([...ALICE, '-r', '0-4', u('/files/home/alice/notes.txt')]);
      assert.equal(range.status, 206);
      assert.equal(range.body, 'alice');
      assert.equal(range.headers['content-range'], 'bytes 0-4/15');
      const etag = range.headers.etag ?? '';
      assert.equal(
        (await curl([...ALICE, '-H', `if-none-match: ${etag}`, u('/files/home/alice/notes.txt')])).status,
        304,
      );
      assert.equal((await curl([...ALICE, u('/files/home/bob/notes.txt')])).status, 403);
      assert.equal((await curl([...ALICE, u('/files/private/salaries.csv')])).status, 403);
      // A resumed download: -C - continues a partial file.
      const partial = join(s.dataDir, 'resume.txt');
      await writeFile(partial, 'alice');
      const resumed = await new Promise<string>((resolve, reject) => {
        import('node:child_process').then(({ execFile }) =>
          execFile(
            'curl',
            ['-sS', ...ALICE, '-C', '-', '-o', partial, u('/files/home/alice/notes.txt')],
            (e) => e ? reject(e) : resolve(readFileSync(partial, 'utf8')),
          )
        );
      });
      assert.equal(resumed, "alice's notes.\n");

      // store (STOR), append (APPE)
      const upload = join(s.dataDir, 'upload.txt');
      await writeFile(upload, 'uploaded by curl\n');
      const stored = await curl([...ALICE, '-T', upload, u('/files/home/alice/up.txt')]);
      assert.equal(stored.status, 201, stored.body);
      assert.equal(readFileSync(join(s.root, 'home/alice/up.txt'), 'utf8'), 'uploaded by curl\n');
      assert.equal((await curl([...ALICE, '-T', upload, u('/files/home/alice/up.txt?append')])).status, 200);
      assert.equal(readFileSync(join(s.root, 'home/alice/up.txt'), 'utf8'), 'uploaded by curl\n'.repeat(2));
      assert.equal((await curl([...ALICE, '-T', upload, u('/files/public/up.txt')])).status, 403);
      assert.ok(!existsSync(join(s.root, 'public/up.txt')));

      // mkdir (MKD)
      assert.equal((await curl([...ALICE, '-X', 'MKCOL', u('/files/home/alice/made')])).status, 201);
      assert.ok(existsSync(join(s.root, 'home/alice/made')));
      assert.equal((await curl([...ALICE, '-X', 'MKCOL', u('/files/public/made')])).status, 403);

      // rename (RNFR/RNTO)
      const move = (from: string, destination: string) =>
        curl([...ALICE, '-X', 'MOVE', '-H', `destination: ${destination}`, u(from)]);
      const moved = await move('/files/home/alice/up.txt', '/files/home/alice/made/up.txt');
      assert.equal(moved.status, 201, moved.body);
      assert.ok(existsSync(join(s.root, 'home/alice/made/up.txt')));
      assert.equal((await move('/files/public/README.txt', '/files/home/alice/r.txt')).status, 403);
      assert.equal((await move('/files/home/alice/made', 'http://elsewhere.example/files/x')).status, 502);
      assert.equal((await move('/files/home/alice/made', `${s.url}/files/home/alice/renamed`)).status, 201);

      // delete (DELE, RMD)
      assert.equal(
        (await curl([...ALICE, '-X', 'DELETE', u('/files/home/alice/renamed/up.txt')])).status,
        204,
      );
      assert.equal((await curl([...ALICE, '-X', 'DELETE', u('/files/home/alice/renamed')])).status, 204);
      assert.ok(!existsSync(join(s.root, 'home/alice/renamed')));
      assert.equal((await curl([...ALICE, '-X', 'DELETE', u('/files/public/README.txt')])).status, 403);
      assert.ok(existsSync(join(s.root, 'public/README.txt')));

      // The metrics show the cache at work and the store read at logins only.
      const metrics = await curl([u('/metrics')]);
      assert.equal(metrics.status, 200);
      assert.ok(sumMetric(metrics.body, 'gateway_permission_cache_hits_total') > 20);
      assert.equal(sumMetric(metrics.body, 'gateway_permission_cache_misses_total'), 0);
      assert.equal(sumMetric(metrics.body, 'gateway_store_queries_total', { query: 'rules' }), 3);
      assert.ok(sumMetric(metrics.body, 'gateway_credential_cache_hits_total') > 10);
      assert.ok(sumMetric(metrics.body, 'gateway_requests_total', { op: 'list', status: '200' }) >= 4);
      assert.equal((await curl([u('/readyz')])).status, 200);
      // The access log went to stdout as JSON lines, without secrets.
      assert.match(
        s.output(),
        /"op":"rename","path":"\/home\/alice\/up.txt -> \/home\/alice\/made\/up.txt","decision":"allow","status":201/,
      );
      const accessLog = s.output().split('\n').filter((l) => l.includes('"op":')).join('\n');
      assert.ok(accessLog.split('\n').length > 20);
      assert.ok(!accessLog.includes('alice-demo') && !accessLog.includes(token.split('.')[1]!));
    } finally {
      await s.stop();
    }
  });
}

test(`${runtime}: raw request targets with traversal, bad encodings, big headers and bad JSON`, async () => {
  const s = await startServer('sqlite');
  try {
    const targets = [
      '/files/../../etc/passwd',
      '/files/home/alice/../../private/salaries.csv',
      '/files/%2e%2e/%2e%2e/etc/passwd',
      '/files/home/alice/%2e%2e/%2e%2e/private/salaries.csv',
      '/files/home/alice/..%2f..%2fprivate%2fsalaries.csv',
      '/files/home/alice/..%5c..%5cprivate%5csalaries.csv',
      '/files/home/alice/..\\..\\private\\salaries.csv',
      '/files/home/alice/notes.txt%00',
      '/files/home/alice/%c0%ae%c0%ae/%c0%ae%c0%ae/private/salaries.csv',
      '/files/home/alice/%252e%252e/%252e%252e/private/salaries.csv',
    ];
    for (const target of targets) {
      const res = await curl([...ALICE, '--path-as-is', `${s.url}${target}`]);
      assert.ok([400, 403, 404].includes(res.status), `${target}: ${res.status} ${res.body}`);
      assert.doesNotMatch(res.body, /root:|salary/, target);
    }
    const bigHeader = await curl([
      ...ALICE,
      '-H',
      `x-big: ${'a'.repeat(40_000)}`,
      `${s.url}/files/home/alice/`,
    ]);
    assert.equal(bigHeader.status, 431);
    const bad = await curl([
      '-H',
      'content-type: application/json',
      '--data',
      '{"user":',
      `${s.url}/api/login`,
    ]);
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).error, /JSON/);
    const huge = await curl([
      '-H',
      'content-type: application/json',
      '--data',
      `{"user":"${'a'.repeat(50_000)}"}`,
      `${s.url}/api/login`,
    ]);
    assert.equal(huge.status, 413);
  } finally {
    await s.stop();
  }
});

/** Opens a socket, writes `head`, then stalls; resolves with what the server sent when it closed. */
function stall(url: string, head: string, limitMs: number): Promise<{ text: string; ms: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname, () => socket.write(head));
    let text = '';
    socket.on('data', (d) => (text += d));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a stalled client open'));
    }, limitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, ms: Date.now() - started });
    });
    socket.on('error', () => {});
  });
}

if (runtime === 'node') {
  // Deno.serve has no request timeouts to configure; Node's server enforces these.
  test('node: slow clients time out with 408 and leave nothing behind', async () => {
    const s = await startServer('sqlite', ['--headers-timeout', '1000', '--request-timeout', '2000']);
    try {
      const { hostname, port } = new URL(s.url);
      const headers = await stall(s.url, `GET /healthz HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`, 10_000);
      assert.match(headers.text, /^HTTP\/1\.1 408/);
      const auth = Buffer.from('alice:alice-demo').toString('base64');
      const body = await stall(
        s.url,
        `PUT /files/home/alice/slow.bin HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Basic ${auth}\r\nContent-Length: 1000\r\n\r\n0123456789`,
        10_000,
      );
      assert.ok(body.ms < 8000, `closed after ${body.ms} ms`);
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!existsSync(join(s.root, 'home/alice/slow.bin')));
      assert.deepEqual(
        readdirSync(join(s.root, 'home/alice')).filter((n) => n.startsWith('.gateway-upload')),
        [],
      );
    } finally {
      await s.stop();
    }
  });

  test('node: --workers 2 serves the same answers, metrics summed over the workers', async () => {
    const s = await startServer('sqlite', ['--workers', '2']);
    try {
      const workers = new Set<string>();
      let first: string | undefined;
      for (let i = 0; i < 12; i++) {
        const list = await curl([...ALICE, `${s.url}/files/home/`]);
        assert.equal(list.status, 200);
        first ??= list.body;
        assert.equal(list.body, first);
        assert.equal((await curl(['-u', 'bob:bob-demo', `${s.url}/files/home/alice/`])).status, 403);
        const view = await curl(['-u', 'admin:admin-demo', `${s.url}/api/admin/cache`]);
        workers.add(JSON.parse(view.body).worker);
      }
      assert.deepEqual([...workers].sort(), ['worker-1', 'worker-2']);
      const metrics = await curl([`${s.url}/metrics`]);
      assert.equal(metrics.status, 200);
      assert.equal(sumMetric(metrics.body, 'gateway_requests_total', { op: 'list', status: '200' }), 12);
      assert.equal(sumMetric(metrics.body, 'gateway_requests_total', { op: 'list', status: '403' }), 12);
      // Each worker has its own caches: a user is loaded at most once per worker.
      const loads = sumMetric(metrics.body, 'gateway_store_queries_total', { query: 'rules' });
      assert.ok(loads >= 3 && loads <= 6, `rules loaded ${loads} times`);
    } finally {
      await s.stop();
    }
  });
}
