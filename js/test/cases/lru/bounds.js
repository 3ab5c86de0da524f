// LRUCache: constructor options and the `max` bound. Written once and run in every host (see ../behaviour.js).

import { eq, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];

export const bounds = [
  ['constructor options are validated', (LRUCache) => {
    throws(() => new LRUCache(), TypeError, 'ERR_LRU_OPTION');
    for (const max of [0, -1, 1.5, NaN, Infinity, 2 ** 53]) {
      throws(() => new LRUCache({ max }), RangeError, 'ERR_LRU_MAX');
    }
    for (const max of ['10', null, 10n, {}]) {
      throws(() => new LRUCache({ max }), TypeError, 'ERR_LRU_OPTION');
    }
    throws(() => new LRUCache({}), RangeError, 'ERR_LRU_MAX');
    throws(() => new LRUCache({ max: undefined, ttl: 10 }), RangeError, 'ERR_LRU_MAX');
    throws(() => new LRUCache({ max: 1, maxSize: '5', sizeOf: () => 1 }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, ttl: '5' }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 2 ** 32 }), RangeError, 'ERR_LRU_MAX');
    throws(() => new LRUCache({ max: 1, maxEntrySize: 0 }), RangeError, 'ERR_LRU_MAX_ENTRY_SIZE');
    throws(() => new LRUCache({ max: 1, oversized: 'ignore' }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, updateAgeOnGet: 1 }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, updateAgeOnHas: 'yes' }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, staleIfError: '1' }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, staleIfError: -1 }), RangeError, 'ERR_LRU_TTL');
    throws(() => new LRUCache({ max: 1, fetchMethod: 'x' }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, maxSize: 0, sizeOf: () => 1 }), RangeError, 'ERR_LRU_MAX_SIZE');
    throws(() => new LRUCache({ max: 1, sizeOf: 3 }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, onEvict: 'x' }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, ttl: 0 }), RangeError, 'ERR_LRU_TTL');
    throws(() => new LRUCache({ max: 1, ttl: -5 }), RangeError, 'ERR_LRU_TTL');
    eq(new LRUCache({ max: 2 ** 32 - 2 }).max, 2 ** 32 - 2, 'large max is lazy');
  }],

  ['max can be assigned: shrinking evicts the oldest', (LRUCache) => {
    const evicted = [];
    const cache = new LRUCache({ max: 5, onEvict: (_v, k, reason) => evicted.push([k, reason]) });
    for (let i = 0; i < 5; i++) cache.set(i, i);
    cache.get(0);
    cache.max = 2;
    eq(cache.max, 2);
    eq(keysOf(cache), [0, 4]);
    eq(evicted, [[1, 'resize'], [2, 'resize'], [3, 'resize']]);
    throws(
      () => {
        cache.max = 0;
      },
      RangeError,
      'ERR_LRU_MAX',
    );
    throws(
      () => {
        cache.max = 2.5;
      },
      RangeError,
      'ERR_LRU_MAX',
    );
    throws(
      () => {
        cache.max = '3';
      },
      TypeError,
      'ERR_LRU_OPTION',
    );
    eq(keysOf(cache), [0, 4], 'a refused resize changes nothing');
    cache.max = 10;
    for (let i = 10; i < 20; i++) cache.set(i, i);
    eq(cache.size, 10);
  }],

  ['a refused resize keeps the hits and deletes recorded before it', (LRUCache) => {
    const cache = new LRUCache({ max: 5 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) cache.set(k, k);
    cache.get('a');
    cache.delete('b');
    throws(
      () => {
        cache.max = 2 ** 32;
      },
      RangeError,
      'ERR_LRU_MAX',
    );
    eq(cache.size, 4);
    eq(keysOf(cache), ['a', 'e', 'd', 'c']);
    cache.set('x', 1).set('y', 2);
    eq(keysOf(cache), ['y', 'x', 'a', 'e', 'd'], 'c, the oldest, was evicted');
  }],
];
