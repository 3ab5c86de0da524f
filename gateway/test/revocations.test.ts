// The revocation poll on its own, against a source in memory: batches, ids that become
// visible out of order, a source that fails, and the timer (never overlapping, stopped on close).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RevocationWatch } from '../src/revocations.ts';
import type { Revocation } from '../src/store/types.ts';

function source(initial: Revocation[] = []) {
  const rows = [...initial];
  let failing = false;
  let queries = 0;
  let running = 0;
  let overlapped = false;
  let delayMs = 0;
  const answer = async <T>(value: () => T): Promise<T> => {
    queries++;
    running++;
    overlapped ||= running > 1;
    try {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (failing) throw new Error('down');
      return value();
    } finally {
      running--;
    }
  };
  return {
    rows,
    get queries() {
      return queries;
    },
    get overlapped() {
      return overlapped;
    },
    fail(on: boolean) {
      failing = on;
    },
    delay(ms: number) {
      delayMs = ms;
    },
    revocationsAfter: (id: number, limit: number) =>
      answer(() => rows.filter((r) => r.id > id).sort((a, b) => a.id - b.id).slice(0, limit)),
    lastRevocationId: () => answer(() => Math.max(0, ...rows.map((r) => r.id))),
  };
}

test('a poll reports each revocation after the start once, in batches', async () => {
  const s = source([{ id: 1, user: 'old' }]);
  const revoked: string[] = [];
  const watch = new RevocationWatch({
    source: s,
    intervalMs: 60_000,
    revoked: (u) => revoked.push(u),
    missed: () => assert.fail('nothing is missed'),
    batch: 2,
  });
  await watch.start();
  assert.equal(s.queries, 1);
  for (let id = 2; id <= 6; id++) s.rows.push({ id, user: `u${id}` });
  await watch.poll();
  assert.deepEqual(revoked, ['u2', 'u3', 'u4', 'u5', 'u6']);
  assert.equal(s.queries, 1 + 3, 'two full batches and the rest');
  await watch.poll();
  assert.equal(revoked.length, 5, 'nothing twice');
  assert.equal(s.queries, 5, 'an idle poll is one query');
  watch.close();
});

test('an id that becomes visible after a newer one is still reported, once', async () => {
  const s = source();
  const revoked: string[] = [];
  const watch = new RevocationWatch({
    source: s,
    intervalMs: 60_000,
    revoked: (u) => revoked.push(u),
    missed: () => {},
  });
  await watch.start();
  s.rows.push({ id: 1, user: 'a' }, { id: 3, user: 'c' });
  await watch.poll();
  assert.deepEqual(revoked, ['a', 'c']);
  s.rows.push({ id: 2, user: 'b' }, { id: 4, user: 'd' });
  await watch.poll();
  assert.deepEqual(revoked, ['a', 'c', 'b', 'd']);
  // An id that never shows (a rolled-back transaction) is asked for once more, then given up.
  s.rows.push({ id: 6, user: 'f' });
  await watch.poll();
  s.rows.push({ id: 7, user: 'g' });
  await watch.poll();
  s.rows.push({ id: 5, user: 'e' });
  await watch.poll();
  assert.deepEqual(revoked, ['a', 'c', 'b', 'd', 'f', 'g']);
  watch.close();
});

test('a failing source changes nothing, and a start without the last id drops everything once it is read', async () => {
  const s = source([{ id: 4, user: 'old' }]);
  const revoked: string[] = [];
  let missed = 0;
  const watch = new RevocationWatch({
    source: s,
    intervalMs: 60_000,
    revoked: (u) => revoked.push(u),
    missed: () => missed++,
  });
  s.fail(true);
  await watch.start();
  await watch.poll();
  assert.equal(missed, 0);
  s.fail(false);
  await watch.poll();
  assert.equal(missed, 1, 'revocations may have been missed while the last id was unknown');
  assert.deepEqual(revoked, []);
  s.rows.push({ id: 5, user: 'new' });
  s.fail(true);
  await watch.poll();
  assert.deepEqual(revoked, []);
  s.fail(false);
  await watch.poll();
  assert.deepEqual(revoked, ['new']);
  assert.equal(missed, 1);
  watch.close();
});

test('the timer polls every interval, never two polls at once, and stops on close', async () => {
  const s = source();
  const revoked: string[] = [];
  const watch = new RevocationWatch({
    source: s,
    intervalMs: 20,
    revoked: (u) => revoked.push(u),
    missed: () => {},
  });
  await watch.start();
  s.delay(50);
  s.rows.push({ id: 1, user: 'a' });
  await new Promise((r) => setTimeout(r, 400));
  assert.deepEqual(revoked, ['a']);
  assert.ok(s.queries >= 3, `${s.queries} queries`);
  assert.ok(s.queries <= 1 + Math.ceil(400 / 70), `${s.queries} queries: polls overlapped or ran too often`);
  assert.equal(s.overlapped, false);
  watch.close();
  // A poll in progress at close may finish; none starts after it.
  await new Promise((r) => setTimeout(r, 100));
  const after = s.queries;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(s.queries, after);
});
