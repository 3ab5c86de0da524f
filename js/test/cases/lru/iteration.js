// LRUCache: iterators, forEach. Written once and run in every host (see ../behaviour.js).

import { eq, throws } from '../assert.js';

export const iteration = [
  ['iterators: both directions, forEach and Symbol.iterator', (LRUCache) => {
    const cache = new LRUCache({ max: 4 });
    cache.set('a', 1).set(2, 'b').set('c', 3);
    eq([...cache.keys()], ['c', 2, 'a']);
    eq([...cache.values()], [3, 'b', 1]);
    eq([...cache.entries()], [['c', 3], [2, 'b'], ['a', 1]]);
    eq([...cache.rkeys()], ['a', 2, 'c']);
    eq([...cache.rvalues()], [1, 'b', 3]);
    eq([...cache.rentries()], [['a', 1], [2, 'b'], ['c', 3]]);
    eq([...cache], [...cache.entries()]);
    const seen = [];
    cache.forEach(function (value, key, self) {
      seen.push([key, value, self === cache, this.tag]);
    }, { tag: 't' });
    eq(seen, [['c', 3, true, 't'], [2, 'b', true, 't'], ['a', 1, true, 't']]);
    const walked = [];
    for (const key of cache.keys()) {
      walked.push(key);
      cache.delete(2);
    }
    eq(walked, ['c', 'a'], 'entries deleted during iteration are skipped');
  }],

  ['iterators visit the keys present when they start, even when slots are reused', (LRUCache) => {
    const cache = new LRUCache({ max: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    const walked = [];
    for (const key of cache.keys()) {
      walked.push(key);
      if (key === 'c') {
        cache.delete('b');
        cache.set('NEW', 4); // takes the slot 'b' left
      }
    }
    eq(walked, ['c', 'a'], 'a key added during iteration is not visited');
    const full = new LRUCache({ max: 3 });
    full.set('a', 1).set('b', 2).set('c', 3);
    const pairs = [];
    for (const [key, value] of full.entries()) {
      pairs.push([key, value]);
      if (key === 'c') full.set('NEW', 4); // evicts 'a' and reuses its slot
    }
    eq(pairs, [['c', 3], ['b', 2]], 'an evicted key is skipped, its replacement not visited');
    const again = new LRUCache({ max: 3 });
    again.set(1, 'one').set(2, 'two').set(3, 'three');
    const seen = [];
    for (const [key, value] of again) {
      seen.push([key, value]);
      if (key === 3) {
        again.delete(2);
        again.set(2, 'TWO');
      }
    }
    eq(seen, [[3, 'three'], [2, 'TWO'], [1, 'one']], 'a key set again is visited with its current value');
  }],

  ['an iterator walks the keys present when it is made', (LRUCache) => {
    const cache = new LRUCache({ max: 10 });
    cache.set('a', 1).set('b', 2);
    const keys = cache.keys();
    const entries = cache.rentries();
    cache.set('c', 3);
    eq([...keys], ['b', 'a']);
    eq([...entries], [['a', 1], ['b', 2]]);
    const freed = new LRUCache({ max: 1 });
    freed.free();
    throws(() => freed.keys(), TypeError, 'ERR_LRU_FREED');
    throws(() => freed.values(), TypeError, 'ERR_LRU_FREED');
  }],
];
