// LRUCache: string and number keys compare as in a Map. Written once and run in every host (see ../behaviour.js).

import { eq, ok, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];
const entriesOf = (cache) => [...cache.entries()];

export const keys = [
  ['keys follow Map semantics', (LRUCache) => {
    const cache = new LRUCache({ max: 100 });
    cache.set(1, 'number').set('1', 'string');
    eq(cache.get(1), 'number');
    eq(cache.get('1'), 'string');
    cache.set(NaN, 'nan');
    eq(cache.get(NaN), 'nan');
    eq(cache.get(Number('x')), 'nan');
    cache.set(-0, 'zero');
    eq(cache.get(0), 'zero');
    eq(cache.get(-0), 'zero');
    ok(Object.is(keysOf(cache).find((k) => k === 0), 0), 'zero is stored as +0, as in a Map');
    const odd = ['__proto__', 'constructor', '', 'hasOwnProperty', 'ünïcödé ✓', '用户', '🔑', 'x'.repeat(100_000)];
    for (const k of odd) cache.set(k, `v:${k.length}`);
    for (const k of odd) eq(cache.get(k), `v:${k.length}`, `key ${k.slice(0, 20)}`);
    for (const k of [1.5, -1, 2 ** 53, Number.MAX_VALUE, -Infinity, Infinity, 2 ** 31, 2 ** 32]) cache.set(k, k);
    for (const k of [1.5, -1, 2 ** 53, Number.MAX_VALUE, -Infinity, Infinity, 2 ** 31, 2 ** 32]) eq(cache.get(k), k);
    eq(cache.size, 4 + odd.length + 8);
  }],

  ['integer keys beyond int32 are evicted in LRU order', (LRUCache) => {
    const cache = new LRUCache({ max: 3 });
    const [a, b, c, d] = [2 ** 32 - 1, 1_767_225_600_123, 2 ** 53 - 1, -(2 ** 40)];
    cache.set(a, 'a').set(b, 'b').set(c, 'c');
    eq(cache.get(a), 'a');
    cache.set(d, 'd');
    eq(keysOf(cache), [d, a, c]);
    eq(cache.has(b), false);
    eq(cache.delete(c), true);
    eq(cache.delete(c), false);
    eq(entriesOf(cache), [[d, 'd'], [a, 'a']]);
    eq(cache.get(2 ** 32 - 2), undefined);
    eq(cache.get(1_767_225_600_124), undefined);
  }],

  ['other key types are refused and change nothing', (LRUCache) => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1);
    for (const key of [{}, [], null, undefined, true, Symbol('s'), 1n, () => 1]) {
      throws(() => cache.set(key, 1), TypeError, 'ERR_LRU_KEY_TYPE');
      throws(() => cache.get(key), TypeError, 'ERR_LRU_KEY_TYPE');
      throws(() => cache.has(key), TypeError, 'ERR_LRU_KEY_TYPE');
      throws(() => cache.delete(key), TypeError, 'ERR_LRU_KEY_TYPE');
    }
    eq(entriesOf(cache), [['a', 1]]);
  }],

  ['number keys agree with a Map through growth, deletes and colliding keys', (LRUCache) => {
    // Integers that share low bits, int32 extremes and neighbours beyond int32, negative
    // numbers, fractions, NaN and -0: every kind of number the index stores.
    const pool = [
      0,
      -0,
      NaN,
      0.5,
      -0.5,
      Infinity,
      -Infinity,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 53,
      Number.MIN_VALUE,
    ];
    for (let i = 0; i < 1500; i++) pool.push(i, -i - 1, i * 1024, i * 2 ** 20, (i * 0x9e3779b1) | 0);
    // u32 ids, millisecond timestamps, 53-bit ids and their negatives (integers beyond int32)
    for (let i = 0; i < 1500; i++) {
      pool.push((i * 0x9e3779b1) >>> 0, 1_767_225_600_000 + i * 7, (i + 1) * 2 ** 32 + i, -(i * 2 ** 33) - 5);
    }
    const cache = new LRUCache({ max: pool.length + 1 });
    const reference = new Map();
    let seed = 7;
    const pick = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % pool.length;
    for (let step = 0; step < 40_000; step++) {
      const key = pool[pick()];
      const op = step % 5;
      if (op < 2) {
        cache.set(key, step);
        reference.set(key, step);
      } else if (op === 2) {
        eq(cache.delete(key), reference.delete(key), `delete ${key} at step ${step}`);
      } else {
        eq(cache.get(key), reference.get(key), `get ${key} at step ${step}`);
      }
    }
    eq(cache.size, reference.size);
    for (const key of pool) eq(cache.peek(key), reference.get(key), `peek ${key}`);
    const names = (keys) => [...keys].map(String).sort();
    eq(names(cache.keys()), names(reference.keys()));
    ok(Object.is([...cache.keys()].find((k) => k === 0), 0), '-0 is stored as 0');
  }],

  ['integer keys chosen to collide in the hash still behave as a Map, with eviction', (LRUCache) => {
    // j * A^-1 mod 2^32 for the index's initial multiplier A: every key in one bucket,
    // which makes the index rehash with a random multiplier part of the way through.
    const A = 0x9e3779b1 | 0;
    let inverse = A;
    for (let i = 0; i < 5; i++) inverse = Math.imul(inverse, 2 - Math.imul(A, inverse));
    const keys = Array.from({ length: 6000 }, (_, j) => Math.imul(j, inverse));
    const cache = new LRUCache({ max: 4000 });
    keys.forEach((key, i) => cache.set(key, i));
    eq(cache.size, 4000);
    for (let i = 0; i < keys.length; i++) eq(cache.peek(keys[i]), i < 2000 ? undefined : i, `key ${i}`);
    for (let i = 2000; i < 6000; i += 3) eq(cache.delete(keys[i]), true);
    for (let i = 2000; i < 6000; i++) {
      eq(cache.get(keys[i]), (i - 2000) % 3 === 0 ? undefined : i, `key ${i} after deletes`);
    }
    eq([...cache.keys()][0], keys[5998], 'the last key read is the newest');
  }],
];
