// LRUCache: reads, writes, removal, getMany and stats. Written once and run in every host (see ../behaviour.js).

import { eq, ok, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];
const entriesOf = (cache) => [...cache.entries()];

export const basics = [
  ['get promotes, peek and has do not', (LRUCache) => {
    const cache = new LRUCache({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    eq(keysOf(cache), ['c', 'b', 'a']);
    eq(cache.get('a'), 1);
    eq(keysOf(cache), ['a', 'c', 'b']);
    eq(cache.peek('b'), 2);
    ok(cache.has('b'));
    eq(keysOf(cache), ['a', 'c', 'b']);
    cache.set('d', 4);
    eq(keysOf(cache), ['d', 'a', 'c'], 'b was the least recently used');
    eq(cache.get('b'), undefined);
  }],

  ['set returns the cache, replaces and promotes', (LRUCache) => {
    const cache = new LRUCache({ max: 2 });
    eq(cache.set('a', 1), cache);
    cache.set('b', 2).set('a', 10);
    eq(cache.size, 2);
    eq(keysOf(cache), ['a', 'b']);
    cache.set('c', 3);
    eq(entriesOf(cache), [['c', 3], ['a', 10]]);
  }],

  ['delete, pop and clear', (LRUCache) => {
    const cache = new LRUCache({ max: 4 });
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, k.toUpperCase());
    eq(cache.delete('b'), true);
    eq(cache.delete('b'), false);
    eq(cache.pop(), ['a', 'A']);
    eq(keysOf(cache), ['d', 'c']);
    cache.clear();
    eq(cache.size, 0);
    eq(cache.pop(), undefined);
    eq(keysOf(cache), []);
    cache.set('e', 5);
    eq(keysOf(cache), ['e'], 'usable after clear');
  }],

  ['set(k, undefined) stores undefined like a Map', (LRUCache) => {
    const cache = new LRUCache({ max: 2 });
    cache.set('u', undefined);
    ok(cache.has('u'));
    eq(cache.size, 1);
    eq(cache.get('u'), undefined);
    eq(cache.stats.hits, 1);
  }],

  ['getMany returns values in order and promotes hits', (LRUCache) => {
    const cache = new LRUCache({ max: 4 });
    cache.set('a', 1).set(2, 'two').set('c', 3).set('d', 4);
    eq(cache.getMany(['a', 'x', 2, 99]), [1, undefined, 'two', undefined]);
    eq(keysOf(cache), [2, 'a', 'd', 'c']);
    throws(() => cache.getMany('a'), TypeError, 'ERR_LRU_OPTION');
  }],

  ['stats count hits, misses, sets, deletes and evictions', (LRUCache) => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.get('a');
    cache.get('b');
    cache.get(5);
    cache.delete('c');
    eq(cache.stats, {
      hits: 1,
      misses: 2,
      hitRate: 1 / 3,
      sets: 3,
      deletes: 1,
      evictions: 1,
      expirations: 0,
      size: 1,
      totalSize: 1,
    });
    cache.resetStats();
    eq(cache.stats.hits + cache.stats.misses + cache.stats.evictions, 0);
    eq(cache.stats.hitRate, 0);
  }],

  ['many hits between writes keep strict LRU order', (LRUCache) => {
    const cache = new LRUCache({ max: 64 });
    for (let i = 0; i < 64; i++) cache.set(`k${i}`, i);
    const order = Array.from({ length: 64 }, (_, i) => `k${i}`).reverse();
    let seed = 7;
    for (let n = 0; n < 5000; n++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const key = `k${seed % 64}`;
      cache.get(key);
      order.splice(order.indexOf(key), 1);
      order.unshift(key);
    }
    eq(keysOf(cache), order);
    cache.set('new', 1);
    eq(cache.has(order[63]), false, 'the true least recently used key was evicted');
  }],

  ['a getMany with a bad key changes nothing', (LRUCache) => {
    const cache = new LRUCache({ max: 3 });
    cache.set('a', 1).set('b', 2);
    throws(() => cache.getMany(['a', {}, 'b']), TypeError, 'ERR_LRU_KEY_TYPE');
    eq(keysOf(cache), ['b', 'a']);
    eq(cache.stats.hits, 0);
  }],
];
