// dump() and load() against the real lru-cache (the devDependency): each library loads
// the other's dump with order, values, ttls and sizes intact.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LRUCache as Theirs } from 'lru-cache';
import { LRUCache } from 'edge-lru';

/** Remaining lives agree within this many milliseconds (the dumps carry wall-clock starts). */
const SLACK = 50;

function assertNear(actual, expected, message) {
  assert.ok(Math.abs(actual - expected) <= SLACK, `${message}: ${actual} is not within ${SLACK} ms of ${expected}`);
}

test('lru-cache loads the dump of edge-lru: order, values, ttls and sizes', () => {
  const ours = new LRUCache({ max: 10, maxSize: 100, sizeOf: (value) => value.length, ttl: 60_000 });
  ours.set('a', 'aaa').set(2, 'bb').set('forever', 'f', { ttl: 0 }).set('short', 'ssss', { ttl: 5_000, size: 9 });
  ours.get('a');
  const theirs = new Theirs({ max: 10, maxSize: 100, sizeCalculation: (value) => value.length, ttl: 60_000 });
  theirs.load(ours.dump());
  assert.deepEqual([...theirs.entries()], [...ours.entries()], 'same entries, newest first');
  assert.equal(theirs.calculatedSize, ours.totalSize, 'the dumped sizes are kept (9 for short, not 4)');
  assert.equal(theirs.getRemainingTTL('forever'), Infinity);
  for (const key of ['a', 2, 'short']) {
    assertNear(theirs.getRemainingTTL(key), ours.getRemainingTTL(key), String(key));
  }
  assert.ok(theirs.getRemainingTTL('short') <= 5_000);
});

test('edge-lru loads the dump of lru-cache: order, values, ttls and sizes', () => {
  const theirs = new Theirs({ max: 10, maxSize: 100, sizeCalculation: (value) => value.length, ttl: 60_000 });
  theirs.set('a', 'aaa').set(2, 'bb').set('forever', 'f', { ttl: 0 }).set('short', 'ssss', { ttl: 5_000, size: 9 });
  theirs.get(2);
  const ours = new LRUCache({ max: 10, maxSize: 100, sizeOf: (value) => value.length, ttl: 60_000 });
  ours.load(theirs.dump());
  assert.deepEqual([...ours.entries()], [...theirs.entries()], 'same entries, newest first');
  assert.equal(ours.totalSize, theirs.calculatedSize);
  assert.equal(ours.info('short')?.size, 9);
  assert.equal(ours.getRemainingTTL('forever'), Infinity);
  for (const key of ['a', 2, 'short']) {
    assertNear(ours.getRemainingTTL(key), theirs.getRemainingTTL(key), String(key));
  }
  // And back: the round trip through both libraries changes nothing.
  const again = new Theirs({ max: 10, maxSize: 100, sizeCalculation: (value) => value.length, ttl: 60_000 });
  again.load(ours.dump());
  assert.deepEqual([...again.entries()], [...theirs.entries()]);
  assert.equal(again.calculatedSize, theirs.calculatedSize);
});

test('caches without ttl or sizes exchange plain dumps', () => {
  const theirs = new Theirs({ max: 5 });
  theirs.set('x', 1).set('y', { deep: [2] }).set(3, 'three');
  const ours = new LRUCache({ max: 5 });
  ours.load(theirs.dump());
  assert.deepEqual([...ours.entries()], [...theirs.entries()]);
  assert.deepEqual(ours.dump(), theirs.dump(), 'the same dump');
});
