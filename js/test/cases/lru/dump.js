// LRUCache: `dump` and `load`. Written once and run in every host (see ../behaviour.js).

import { eq, ok, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];
const entriesOf = (cache) => [...cache.entries()];

export const dump = [
  ['dump and load round-trip contents and order', (LRUCache) => {
    const cache = new LRUCache({ max: 5 });
    cache.set('a', { n: 1 }).set(2, [2]).set('c', 'three');
    cache.get('a');
    const dumped = cache.dump();
    eq(
      dumped,
      [[2, { value: [2] }], ['c', { value: 'three' }], ['a', { value: { n: 1 } }]],
      "lru-cache's format, oldest first",
    );
    const copy = new LRUCache({ max: 5 });
    copy.set('old', 0);
    copy.load(dumped);
    eq(copy.dump(), dumped);
    eq(entriesOf(copy), [['a', { n: 1 }], ['c', 'three'], [2, [2]]]);
    copy.set('d', 4).set('e', 5).set('f', 6);
    eq(keysOf(copy), ['f', 'e', 'd', 'a', 'c'], 'order survives: 2 was the oldest');
    throws(() => copy.load([['ok', 1], [{}, 2]]), TypeError, 'ERR_LRU_KEY_TYPE');
    eq(keysOf(copy), ['f', 'e', 'd', 'a', 'c'], 'a refused load changes nothing');
  }],

  ['a load refused for an entry size changes nothing', (LRUCache) => {
    const evicted = [];
    const cache = new LRUCache({
      max: 5,
      maxSize: 10,
      sizeOf: (v) => v,
      onEvict: (_v, k, reason) => evicted.push([k, reason]),
    });
    cache.set('p', 1).set('q', 2);
    throws(() => cache.load([['big', 20], ['x', 3]]), RangeError, 'ERR_LRU_ENTRY_SIZE');
    throws(() => cache.load([['x', 3], ['bad', -1]]), RangeError, 'ERR_LRU_SIZE_OF');
    throws(() => cache.load([['x', 3], 'y']), TypeError, 'ERR_LRU_OPTION');
    eq(entriesOf(cache), [['q', 2], ['p', 1]]);
    eq(evicted, [], 'nothing was cleared');
    cache.load([['x', 3], ['y', 4]]);
    eq(entriesOf(cache), [['y', 4], ['x', 3]], 'the last entry is the newest');
    eq(evicted, [['p', 'clear'], ['q', 'clear']], 'clear reports oldest first');
  }],

  ['load keeps going when onEvict throws as loaded entries evict each other', (LRUCache) => {
    const big = new LRUCache({ max: 5 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) big.set(key, key.toUpperCase());
    const seen = [];
    const small = new LRUCache({
      max: 2,
      onEvict: (_value, key, reason) => {
        seen.push([key, reason]);
        throw new Error(`onEvict ${key}`);
      },
    });
    eq(throws(() => small.load(big.dump()), Error, undefined).message, 'onEvict a', 'the first error');
    eq(entriesOf(small), [['e', 'E'], ['d', 'D']], 'the newest two, as without a throwing onEvict');
    eq(seen, [['a', 'evict'], ['b', 'evict'], ['c', 'evict']]);
  }],

  ["load(dump()) keeps the rest of each entry's life: it does not restart the ttl", (LRUCache) => {
    // `start` is a wall-clock time, so the wall-clock time between dump and load counts
    // too: the margins below leave it 50 ms.
    let time = 0;
    const cache = new LRUCache({ max: 10, ttl: 1000, now: () => time });
    cache.set('a', 1);
    time = 400;
    cache.set('b', 2);
    time = 900;
    const dumped = cache.dump();
    eq(dumped.map(([key, { value, ttl }]) => [key, value, ttl]), [['a', 1, 1000], ['b', 2, 1000]]);
    ok(dumped.every(([, entry]) => typeof entry.start === 'number'), 'start is a wall-clock time');
    cache.load(dumped);
    time = 950;
    eq(cache.get('a'), 1, 'a lives until 1000');
    time = 1300;
    eq(cache.get('a'), undefined, 'a was set at 0 with ttl 1000');
    eq(cache.get('b'), 2, 'b lives until 1400');
    time = 1500;
    eq(cache.get('b'), undefined, 'b was set at 400 with ttl 1000');
    // Another cache whose clock starts elsewhere (another process): the same remaining life.
    let other = 5000;
    const copy = new LRUCache({ max: 10, ttl: 1000, now: () => other });
    copy.load(dumped);
    other = 5050;
    eq(entriesOf(copy), [['b', 2], ['a', 1]]);
    other = 5200;
    eq(entriesOf(copy), [['b', 2]], 'a had 100 ms left');
  }],

  ['load takes [key, value] pairs and lru-cache entries; an entry whose life is over is not loaded', (LRUCache) => {
    let time = 1000;
    const cache = new LRUCache({ max: 10, ttl: 100, now: () => time });
    const wall = Date.now();
    cache.load([
      ['pair', { n: 1 }],
      ['fresh', { value: 'f' }],
      ['old', { value: 'o', ttl: 50, start: wall - 40 }],
      ['gone', { value: 'g', ttl: 50, start: wall - 60 }],
      ['obj', { value: 'v', other: 1 }],
    ]);
    eq(keysOf(cache), ['obj', 'old', 'fresh', 'pair'], 'gone had no life left');
    eq(cache.peek('pair'), { n: 1 });
    eq(cache.peek('obj'), { value: 'v', other: 1 }, 'an object with other keys is a value');
    time = 1020;
    eq(cache.has('old'), false, 'old had about 10 ms left');
    time = 1100;
    eq(keysOf(cache), ['obj', 'fresh', 'pair'], 'entries without a start live the ttl from the load');
    time = 1101;
    eq(keysOf(cache), []);
    throws(() => cache.load([['x', { value: 1, ttl: 'long' }]]), TypeError, 'ERR_LRU_OPTION');
    throws(() => cache.load([['x', { value: 1, ttl: -1 }]]), RangeError, 'ERR_LRU_TTL');
    let clock = 0;
    const plain = new LRUCache({ max: 10, now: () => clock });
    plain.load([['gone', { value: 0, ttl: 5, start: 0 }], ['a', { value: 1, ttl: 50 }], ['b', { value: 2, ttl: 0 }]]);
    eq(entriesOf(plain), [['b', 2], ['a', 1]], "a cache without ttl keeps each entry's ttl");
    clock = 51;
    eq(entriesOf(plain), [['b', 2]], 'ttl 0: never expires');
  }],

  ['load measures each entry without a size with sizeOf once', (LRUCache) => {
    const measured = [];
    const cache = new LRUCache({ max: 10, maxSize: 100, sizeOf: (value, key) => (measured.push(key), value) });
    cache.load([['a', 1], ['b', { value: 2, size: 40 }], ['c', { value: 3 }]]);
    eq(measured, ['a', 'c'], 'a dumped size is kept, not measured again');
    eq(cache.totalSize, 44);
    eq(entriesOf(cache), [['c', 3], ['b', 2], ['a', 1]]);
    eq(cache.dump(), [['a', { value: 1, size: 1 }], ['b', { value: 2, size: 40 }], ['c', { value: 3, size: 3 }]]);
  }],
];
