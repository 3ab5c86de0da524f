// Worker crashes under `--workers 2` (node:cluster): a worker killed with SIGKILL in the middle
// of uploads is replaced by the primary, its temporary upload files are removed, and the other
// worker goes on serving; restarts are bounded. On Deno (no node:cluster) --workers is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Ledger, type Outcome, uploadTemps } from './integrity.ts';
import { PASSWORDS } from './helpers.ts';
import { curl, runtime, startServer } from './server.ts';

const AUTH = `Basic ${Buffer.from(`alice:${PASSWORDS.alice}`).toString('base64')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pids of the workers started so far, by worker name, from the primary's log. */
function workerPids(output: string): Map<string, number[]> {
  const pids = new Map<string, number[]>();
  for (const m of output.matchAll(/"msg":"worker started","worker":"(worker-\d+)","pid":(\d+)/g)) {
    pids.set(m[1]!, [...(pids.get(m[1]!) ?? []), Number(m[2])]);
  }
  return pids;
}

function listening(output: string, worker: string): number {
  return [...output.matchAll(new RegExp(`"msg":"listening","url":"[^"]+","worker":"${worker}"`, 'g'))]
    .length;
}

async function until(probe: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > end) return false;
    await sleep(25);
  }
}

/** A PUT on its own connection, its body sent in `chunks` pieces `gapMs` apart; what the client saw. */
function slowPut(url: string, path: string, body: Buffer, chunks: number, gapMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(`${url}/files/${path}`, {
      method: 'PUT',
      agent: false,
      headers: { authorization: AUTH, 'content-length': String(body.length) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode! >= 200 && res.statusCode! < 300 ? 'ok' : 'refused'));
      res.on('error', () => resolve('lost'));
    });
    req.on('error', () => resolve('lost'));
    const size = Math.ceil(body.length / chunks);
    let i = 0;
    const next = () => {
      if (req.destroyed) return;
      if (i >= chunks) return void req.end();
      req.write(body.subarray(i * size, ++i * size));
      setTimeout(next, gapMs);
    };
    next();
  });
}

if (runtime === 'node') {
  test('node: a worker killed mid-upload is restarted, leaves no temporary files, the other serves', async () => {
    const s = await startServer('sqlite', ['--workers', '2']);
    try {
      assert.ok(
        await until(
          () => listening(s.output(), 'worker-1') + listening(s.output(), 'worker-2') === 2,
          20_000,
        ),
      );
      const victim = workerPids(s.output()).get('worker-1')![0]!;
      const ledger = new Ledger();
      // Twelve uploads of 96 KiB, each over about 1.2 s, on their own connections (so spread
      // over both workers); one worker is killed 400 ms in, while they stream.
      const uploads = Array.from({ length: 12 }, (_, i) => {
        const path = `home/alice/upload-${i}.bin`;
        const body = randomBytes(96 * 1024);
        return slowPut(s.url, path, body, 12, 100).then((outcome) => ({ path, body, outcome }));
      });
      await sleep(400);
      assert.ok((await uploadTemps(s.root)).length > 0, 'uploads under way');
      process.kill(victim, 'SIGKILL');
      const killed = Date.now();
      // Until the replacement listens, every new connection goes to the surviving worker.
      let served = 0;
      const failed: string[] = [];
      while (listening(s.output(), 'worker-1') < 2 && Date.now() - killed < 15_000) {
        const res = await curl(['-u', `alice:${PASSWORDS.alice}`, `${s.url}/files/home/alice/notes.txt`]);
        if (res.status === 200) served++;
        else if (Date.now() - killed > 200) failed.push(`${res.status} ${res.body}`);
      }
      assert.equal(listening(s.output(), 'worker-1'), 2, `worker-1 restarted:\n${s.output()}`);
      assert.ok(served >= 3, `served ${served} requests while worker-1 was down`);
      assert.deepEqual(failed, []);
      const replacement = workerPids(s.output()).get('worker-1')![1]!;
      assert.notEqual(replacement, victim);
      assert.match(
        s.output(),
        /"msg":"worker exited","worker":"worker-1","pid":\d+,"code":null,"signal":"SIGKILL"/,
      );

      const results = await Promise.all(uploads);
      for (const r of results) ledger.upload(r.path, r.body, undefined, r.outcome);
      const outcomes = results.map((r) => r.outcome);
      assert.ok(outcomes.includes('lost'), `the kill interrupted uploads: ${outcomes}`);
      assert.ok(outcomes.includes('ok'), `the surviving worker stored uploads: ${outcomes}`);
      assert.match(s.output(), /"msg":"removed temporary uploads","worker":"worker-1"/);
      assert.deepEqual(await ledger.check(s.root), []);
      // Both workers serve again.
      const workers = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const view = await curl(['-u', 'admin:admin-demo', `${s.url}/api/admin/cache`]);
        assert.equal(view.status, 200);
        workers.add(JSON.parse(view.body).worker);
      }
      assert.deepEqual([...workers].sort(), ['worker-1', 'worker-2']);
    } finally {
      await s.stop();
    }
  });

  test('node: past --max-restarts the primary stops every worker and exits with 1', async () => {
    const s = await startServer('sqlite', ['--workers', '2', '--max-restarts', '1']);
    try {
      assert.ok(
        await until(
          () => listening(s.output(), 'worker-1') + listening(s.output(), 'worker-2') === 2,
          20_000,
        ),
      );
      process.kill(workerPids(s.output()).get('worker-2')![0]!, 'SIGKILL');
      assert.ok(await until(() => listening(s.output(), 'worker-2') === 2, 15_000), 'restarted once');
      process.kill(workerPids(s.output()).get('worker-2')![1]!, 'SIGKILL');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const code = await Promise.race([
        s.exited,
        new Promise((resolve) => (timer = setTimeout(() => resolve('running'), 10_000))),
      ]);
      clearTimeout(timer);
      assert.equal(code, 1, s.output());
      assert.match(s.output(), /"msg":"workers keep dying: stopping"/);
      const survivor = workerPids(s.output()).get('worker-1')![0]!;
      assert.throws(() => process.kill(survivor, 0), /ESRCH/, 'the other worker was stopped too');
    } finally {
      await s.stop();
    }
  });
} else {
  test('deno: --workers is refused with a usage error (one process per instance)', async () => {
    await assert.rejects(startServer('sqlite', ['--workers', '2']), /exited with 2[^]*--workers needs Node/);
  });
}
