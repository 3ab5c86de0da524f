// LRUCache: `onEvict` and callbacks that re-enter the cache. Written once and run in every host (see ../behaviour.js).

import { eq, ok, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];
const entriesOf = (cache) => [...cache.entries()];

export const callbacks = [
  ['onEvict reports every reason', (LRUCache) => {
    let now = 0;
    const log = [];
    const cache = new LRUCache({ max: 2, ttl: 100, now: () => now, onEvict: (v, k, r) => log.push(`${k}=${v}:${r}`) });
    cache.set('a', 1).set('a', 2);
    cache.set('b', 3).set('c', 4);
    cache.delete('b');
    now = 200;
    eq(cache.get('c'), undefined);
    cache.set('d', 5);
    cache.set('e', 6);
    cache.max = 1;
    cache.clear();
    eq(log, ['a=1:set', 'a=2:evict', 'b=3:delete', 'c=4:expire', 'd=5:resize', 'e=6:clear']);
  }],

  ['onEvict may call back into the cache', (LRUCache) => {
    const seen = [];
    const cache = new LRUCache({
      max: 2,
      onEvict(value, key, _reason) {
        seen.push(key);
        ok(!cache.has(key), 'the entry is gone before the callback');
        if (key === 'a') cache.set('a2', value * 10);
        if (key === 'b') cache.delete('c');
        cache.get('d');
      },
    });
    cache.set('a', 1).set('b', 2).set('c', 3);
    eq(seen.slice(0, 2), ['a', 'b']);
    eq(cache.size <= 2, true);
    for (const key of cache.keys()) ok(cache.has(key));
    cache.set('x', 1).set('y', 2).set('z', 3);
    eq(keysOf(cache).length, 2);
  }],

  ['a throwing onEvict leaves the cache consistent', (LRUCache) => {
    const cache = new LRUCache({
      max: 1,
      onEvict: () => {
        throw new Error('boom');
      },
    });
    cache.set('a', 1);
    let caught;
    try {
      cache.set('b', 2);
    } catch (e) {
      caught = e;
    }
    eq(caught?.message, 'boom');
    eq(entriesOf(cache), [['b', 2]]);
  }],

  ['callbacks that use the cache during set leave it consistent', (LRUCache) => {
    // sizeOf deleting or setting the key being written
    let during = null;
    const cache = new LRUCache({ max: 5, maxSize: 100, sizeOf: (v) => (during?.(), v) });
    cache.set('a', 1).set('b', 2);
    during = () => {
      during = null;
      cache.delete('a');
    };
    cache.set('a', 3);
    eq(entriesOf(cache), [['a', 3], ['b', 2]]);
    eq(cache.totalSize, 5);
    during = () => {
      during = null;
      cache.set('c', 4);
    };
    cache.set('c', 5);
    eq(entriesOf(cache), [['c', 5], ['a', 3], ['b', 2]]);
    eq([cache.size, cache.totalSize], [3, 10]);
    // a clock that throws or clears the cache, while a full cache reuses its oldest slot
    let tick = () => 0;
    const evicted = [];
    const timed = new LRUCache({ max: 2, ttl: 1000, now: () => tick(), onEvict: (_v, k, r) => evicted.push([k, r]) });
    timed.set('a', 1).set('b', 2).set('c', 3); // full: victims are queued
    tick = () => {
      throw new Error('clock');
    };
    throws(() => timed.set('d', 4), Error);
    tick = () => 0;
    eq(entriesOf(timed), [['c', 3], ['b', 2]], 'a throwing clock changed nothing');
    eq(evicted, [['a', 'evict']]);
    tick = () => {
      tick = () => 0;
      timed.clear();
      return 0;
    };
    timed.set('e', 5);
    eq(entriesOf(timed), [['e', 5]]);
    eq(timed.size, 1);
  }],
];
