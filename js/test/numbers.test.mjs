// The integer key table inside LRUCache (src/numbers.js), tested directly: keys chosen
// against its hash must not be able to build long probe sequences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LONG_PROBE, NumberIndex } from '../dist/numbers.js';

/** The inverse of the Fibonacci multiplier mod 2^32 (Newton's iteration). */
const FIBONACCI = 0x9e3779b1 | 0;
let inverse = FIBONACCI;
for (let i = 0; i < 5; i++) inverse = Math.imul(inverse, 2 - Math.imul(FIBONACCI, inverse));

/** Keys whose products with the multiplier are 0, 1, 2, ...: all in bucket 0. */
const crafted = (n) => Array.from({ length: n }, (_, j) => Math.imul(j, inverse));

test('the crafted keys really collide under the initial multiplier', () => {
  assert.equal(Math.imul(FIBONACCI, inverse), 1);
  for (const key of crafted(1000)) assert.ok(Math.imul(key, FIBONACCI) >>> 0 < 1000);
});

test('keys chosen to share a bucket make the table rehash with a random multiplier', () => {
  const index = new NumberIndex();
  const reference = new Map();
  const keys = crafted(20_000);
  keys.forEach((key, slot) => {
    index.add(key, slot);
    reference.set(key, slot);
    if (slot % 1000 === 0) assert.ok(index.longestProbe() <= LONG_PROBE, `longest probe ${index.longestProbe()}`);
  });
  assert.ok(index.reseeds >= 1, 'no rehash');
  assert.ok(index.longestProbe() <= LONG_PROBE, `longest probe ${index.longestProbe()}`);
  // Still a correct map after the rehash, through deletes (backward shift uses the new hash).
  for (let j = 0; j < keys.length; j += 2) {
    assert.equal(index.delete(keys[j]), true);
    reference.delete(keys[j]);
  }
  assert.equal(index.size, reference.size);
  for (const key of keys) assert.equal(index.get(key), reference.get(key));
  for (const [key, slot] of reference) assert.equal(index.get(key), slot);
});

test('ordinary keys never rehash', () => {
  let state = 0x2545f491;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) | 0);
  const sets = {
    sequential: Array.from({ length: 200_000 }, (_, i) => i),
    negative: Array.from({ length: 200_000 }, (_, i) => -i - 1),
    random: [...new Set(Array.from({ length: 200_000 }, random))],
    'multiples of 1024': Array.from({ length: 200_000 }, (_, i) => (i - 100_000) * 1024),
  };
  for (const [name, keys] of Object.entries(sets)) {
    const index = new NumberIndex();
    keys.forEach((key, slot) => index.add(key, slot));
    assert.equal(index.reseeds, 0, name);
    assert.equal(index.size, keys.length, name);
    assert.ok(index.longestProbe() < LONG_PROBE / 4, `${name}: longest probe ${index.longestProbe()}`);
  }
});

/** Keys of every kind the index takes: int32, u32, timestamps, 53-bit, negative, fractions, NaN, -0. */
function mixedKeys(n) {
  const keys = new Set([
    0,
    -1,
    2 ** 31,
    2 ** 32,
    -(2 ** 31) - 1,
    2 ** 53 - 1,
    -(2 ** 53) + 1,
    2 ** 53,
    0.5,
    NaN,
    Infinity,
  ]);
  for (let i = 1; keys.size < n; i++) {
    const u = Math.imul(i, 0x9e3779b1) >>> 0;
    keys.add([u, 1_767_225_600_000 + u, (u & 0x1fffff) * 2 ** 32 + ((u * 7) >>> 0), -u - 2 ** 31, u | 0][i % 5]);
  }
  return [...keys];
}

test('integers beyond int32 (u32, timestamps, 53-bit, negative) and other numbers behave as in a Map', () => {
  const index = new NumberIndex();
  const reference = new Map();
  const keys = mixedKeys(30_000);
  keys.forEach((key, slot) => {
    assert.equal(index.get(key), undefined);
    index.add(key, slot);
    reference.set(key, slot);
  });
  assert.equal(index.size, reference.size);
  for (let j = 0; j < keys.length; j += 3) {
    assert.equal(index.delete(keys[j]), true);
    assert.equal(index.delete(keys[j]), false);
    reference.delete(keys[j]);
  }
  assert.equal(index.size, reference.size);
  for (const key of keys) assert.equal(index.get(key), reference.get(key), `key ${key}`);
  assert.equal(index.get(-0), reference.get(0));
  assert.equal(index.get(2 ** 32 + 1), reference.get(2 ** 32 + 1));
  index.clear();
  assert.equal(index.size, 0);
  for (const key of keys) assert.equal(index.get(key), undefined);
});

test('integers beyond int32 that differ only in their high bits are kept apart', () => {
  const index = new NumberIndex();
  const keys = Array.from({ length: 5_000 }, (_, j) => (j + 1) * 2 ** 32);
  keys.forEach((key, slot) => index.add(key, slot));
  assert.equal(index.size, keys.length);
  keys.forEach((key, slot) => assert.equal(index.get(key), slot));
  assert.equal(index.get(2 ** 32 + 1), undefined);
  assert.ok(index.longestProbe() <= LONG_PROBE);
});

test('a limit stops a table that holds it at a load of at most 2/5, and every key stays findable', () => {
  const limited = new NumberIndex();
  limited.limit = 100_000;
  const unlimited = new NumberIndex();
  const keys = Array.from({ length: 100_000 }, (_, i) => Math.imul(i + 1, 0x9e3779b1) & 0x3fffffff);
  keys.forEach((key, slot) => {
    limited.add(key, slot);
    unlimited.add(key, slot);
  });
  // Grown at 3/8, 100,000 keys need 2^19 buckets; 2^18 hold them at a load of 0.38.
  assert.deepEqual(unlimited.buckets, [2 ** 19, 8]);
  assert.deepEqual(limited.buckets, [2 ** 18, 8]);
  keys.forEach((key, slot) => assert.equal(limited.get(key), slot));
  assert.equal(limited.get(-5), undefined);
  // 1,000 keys would load 2^11 buckets to 0.49: that table still grows.
  const small = new NumberIndex();
  small.limit = 1000;
  keys.slice(0, 1000).forEach((key, slot) => small.add(key, slot));
  assert.deepEqual(small.buckets, [2 ** 12, 8]);
});

test('the limit is shared between the int32 and the wide table', () => {
  const index = new NumberIndex();
  index.limit = 100_000;
  const keys = Array.from({ length: 100_000 }, (_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0);
  keys.forEach((key, slot) => index.add(key, slot));
  const wide = keys.filter((k) => k > 0x7fffffff).length;
  assert.ok(wide > 45_000 && wide < 55_000, `${wide} wide keys`);
  // Each table holds about 50,000 keys: 2^17 buckets (load 0.38), not 2^18.
  assert.deepEqual(index.buckets, [2 ** 17, 2 ** 17]);
  keys.forEach((key, slot) => assert.equal(index.get(key), slot));
  // Once the wide keys are gone, the int32 table may grow to hold the whole limit.
  for (const key of keys) if (key > 0x7fffffff) assert.ok(index.delete(key));
  for (let i = 0; i < wide; i++) index.add(-1 - i, 200_000 + i);
  assert.ok(index.buckets[0] >= 2 ** 18, `int32 table ${index.buckets[0]}`);
  keys.forEach((key, slot) => key <= 0x7fffffff && assert.equal(index.get(key), slot));
  for (let i = 0; i < wide; i++) assert.equal(index.get(-1 - i), 200_000 + i);
});
