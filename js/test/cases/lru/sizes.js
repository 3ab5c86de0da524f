// LRUCache: `maxSize` and `sizeOf`. Written once and run in every host (see ../behaviour.js).

import { eq, ok, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];
const entriesOf = (cache) => [...cache.entries()];

export const sizes = [
  ['maxSize bounds the total size; oversized entries are refused', (LRUCache) => {
    const evicted = [];
    const cache = new LRUCache({
      max: 100,
      maxSize: 10,
      sizeOf: (value) => value.length,
      onEvict: (_v, k, reason) => evicted.push([k, reason]),
    });
    cache.set('a', 'aaaa').set('b', 'bbbb');
    eq(cache.totalSize, 8);
    cache.set('c', 'ccc');
    eq(keysOf(cache), ['c', 'b']);
    eq(evicted, [['a', 'evict']]);
    eq(cache.totalSize, 7);
    const error = throws(() => cache.set('d', 'x'.repeat(11)), RangeError, 'ERR_LRU_ENTRY_SIZE');
    ok(/maxSize/.test(error.message), error.message);
    throws(() => cache.set('b', 'x'.repeat(11)), RangeError, 'ERR_LRU_ENTRY_SIZE');
    eq(entriesOf(cache), [['c', 'ccc'], ['b', 'bbbb']], 'a refused set leaves the old entry');
    cache.set('b', 'bbbbbbbb');
    eq(entriesOf(cache), [['b', 'bbbbbbbb']], 'growing an entry evicts others');
    eq(cache.totalSize, 8);
    eq(cache.maxSize, 10);
  }],

  ['sizeOf results are validated', (LRUCache) => {
    /** @type {any} */
    let size = 1;
    const cache = new LRUCache({ max: 10, maxSize: 100, sizeOf: () => size });
    cache.set('a', 1);
    for (const bad of [0, -1, NaN, Infinity, '3', undefined, null, 2 ** 60]) {
      size = bad;
      throws(() => cache.set('b', 2), RangeError, 'ERR_LRU_SIZE_OF');
      throws(() => cache.set('a', 2), RangeError, 'ERR_LRU_SIZE_OF');
    }
    eq(entriesOf(cache), [['a', 1]]);
    size = 2.2;
    cache.set('c', 3);
    eq(cache.totalSize, 4, 'fractional sizes round up');
  }],

  ['a refused set changes nothing, not even an expired older value', (LRUCache) => {
    let now = 0;
    const log = [];
    const cache = new LRUCache({
      max: 10,
      maxSize: 10,
      sizeOf: (value) => {
        if (value === 'unmeasurable') throw new Error('cannot measure');
        return typeof value === 'number' ? value : 1;
      },
      ttl: 100,
      now: () => now,
      onEvict: (_value, key, reason) => log.push([key, reason]),
    });
    cache.set('a', 1).set('b', 2);
    now = 500; // both expired
    throws(() => cache.set('a', 999), RangeError, 'ERR_LRU_ENTRY_SIZE');
    eq(throws(() => cache.set('a', 'unmeasurable'), Error, undefined).message, 'cannot measure');
    eq([cache.totalSize, cache.stats.expirations, log], [3, 0, []], 'the expired value is still there');
    cache.delete('nothing');
    eq(log, [], 'and nothing is reported later');
    eq(cache.get('a'), undefined, 'it expires when read');
    eq(log, [['a', 'expire']]);
    // A key of the wrong type is refused before sizeOf sees it.
    const measured = [];
    const sized = new LRUCache({ max: 4, maxSize: 100, sizeOf: (_value, key) => (measured.push(key), 1) });
    for (const key of [{}, null, undefined, true, Symbol('s'), 1n]) {
      throws(() => sized.set(/** @type {any} */ (key), 1), TypeError, 'ERR_LRU_KEY_TYPE');
    }
    eq(measured, []);
  }],
];
