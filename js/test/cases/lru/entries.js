// LRUCache: per-entry options, sliding expiry, `getRemainingTTL` and `info`, `maxEntrySize`,
// a cache bounded by size alone, and the small lru-cache methods. Written once and run in
// every host (see ../behaviour.js).

import { eq, ok, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];
const entriesOf = (cache) => [...cache.entries()];

export const entries = [
  ['set(k, v, { ttl }): an entry of its own ttl; ttl 0 never expires', (LRUCache) => {
    let now = 0;
    const reasons = [];
    const cache = new LRUCache({ max: 10, ttl: 100, now: () => now, onEvict: (_v, k, r) => reasons.push([k, r]) });
    cache.set('default', 1).set('short', 2, { ttl: 10 }).set('forever', 3, { ttl: 0 });
    now = 10;
    eq(keysOf(cache), ['forever', 'short', 'default'], 'an entry is fresh at exactly its ttl');
    now = 11;
    eq(cache.get('short'), undefined);
    now = 101;
    eq(keysOf(cache), ['forever']);
    now = 1e12;
    eq(cache.get('forever'), 3, 'ttl 0: never expires');
    eq(cache.getRemainingTTL('forever'), Infinity);
    eq(cache.purgeStale(), 1);
    eq(reasons, [['short', 'expire'], ['default', 'expire']]);
    // A replacement without options takes the cache's ttl again.
    cache.set('forever', 4);
    now += 101;
    eq(cache.has('forever'), false);
  }],

  ['a per-entry ttl in a cache without ttl: only that entry expires', (LRUCache) => {
    let now = 0;
    const cache = new LRUCache({ max: 10, now: () => now });
    cache.set('plain', 1);
    eq(cache.getRemainingTTL('plain'), Infinity);
    cache.set('timed', 2, { ttl: 50 });
    cache.set('also plain', 3);
    now = 50;
    eq(cache.getRemainingTTL('timed'), 0, 'the last moment of its life');
    eq(cache.has('timed'), true);
    now = 60;
    eq(keysOf(cache), ['also plain', 'plain']);
    eq(cache.stats.expirations, 0, 'iteration leaves expired entries out without removing them');
    eq(cache.purgeStale(), 1);
    eq(cache.getRemainingTTL('timed'), 0, 'absent: 0, as in lru-cache');
  }],

  ['refused per-entry options change nothing', (LRUCache) => {
    const cache = new LRUCache({ max: 10, maxSize: 10, sizeOf: () => 1 });
    cache.set('a', 1);
    for (
      const [options, type, code] of [
        [{ ttl: -1 }, RangeError, 'ERR_LRU_TTL'],
        [{ ttl: Infinity }, RangeError, 'ERR_LRU_TTL'],
        [{ ttl: NaN }, RangeError, 'ERR_LRU_TTL'],
        [{ ttl: '5' }, TypeError, 'ERR_LRU_OPTION'],
        [{ size: 0 }, RangeError, 'ERR_LRU_SIZE_OF'],
        [{ size: '1' }, TypeError, 'ERR_LRU_OPTION'],
        [{ size: 11 }, RangeError, 'ERR_LRU_ENTRY_SIZE'],
        [null, TypeError, 'ERR_LRU_OPTION'],
        [5, TypeError, 'ERR_LRU_OPTION'],
      ]
    ) {
      throws(() => cache.set('a', 2, options), type, code);
      eq(entriesOf(cache), [['a', 1]], JSON.stringify(options));
    }
    eq(cache.totalSize, 1);
    // A refused first entry with a ttl leaves a cache without ttl reading no clock.
    let reads = 0;
    const untimed = new LRUCache({ max: 2, maxEntrySize: 5, sizeOf: (v) => v, now: () => ++reads });
    throws(() => untimed.set('big', 9, { ttl: 10 }), RangeError, 'ERR_LRU_ENTRY_SIZE');
    reads = 0;
    untimed.set('a', 1);
    eq([untimed.get('a'), untimed.has('a'), reads], [1, true, 0]);
    untimed.set('b', 2, { ttl: 10 });
    ok(reads > 0, 'the first entry with a ttl starts the clock');
  }],

  ['set(k, v, { size }) overrides sizeOf; maxSize alone needs a size for each entry', (LRUCache) => {
    const cache = new LRUCache({ max: 10, maxSize: 10, sizeOf: () => 1 });
    cache.set('a', 'x', { size: 4 }).set('b', 'y').set('c', 'z', { size: 2.5 });
    eq(cache.totalSize, 8, 'fractions round up');
    eq(cache.info('a'), { value: 'x', ttl: 0, remaining: Infinity, size: 4 });
    const bytes = new LRUCache({ maxSize: 10 });
    eq(bytes.max, 4294967294, 'max is optional with maxSize');
    throws(() => bytes.set('a', 1), TypeError, 'ERR_LRU_SIZE_OF');
    eq(bytes.size, 0);
    bytes.set('a', 1, { size: 6 }).set('b', 2, { size: 3 });
    bytes.set('c', 3, { size: 4 });
    eq(keysOf(bytes), ['c', 'b'], 'bounded by size alone');
    eq(bytes.totalSize, 7);
    // A cache that does not measure sizes ignores the size option, as lru-cache does.
    const counted = new LRUCache({ max: 2 });
    counted.set('a', 1, { size: 1000 });
    eq(counted.info('a')?.size, 1);
    eq(counted.totalSize, 1);
  }],

  ['updateAgeOnGet and updateAgeOnHas restart the ttl', (LRUCache) => {
    let now = 0;
    const sliding = new LRUCache({ max: 10, ttl: 100, updateAgeOnGet: true, now: () => now });
    const still = new LRUCache({ max: 10, ttl: 100, updateAgeOnHas: true, now: () => now });
    const plain = new LRUCache({ max: 10, ttl: 100, now: () => now });
    for (const cache of [sliding, still, plain]) cache.set('k', 1);
    for (now = 80; now <= 400; now += 80) {
      eq(sliding.get('k'), 1, `get at ${now}`);
      eq(still.has('k'), true, `has at ${now}`);
    }
    eq(sliding.getRemainingTTL('k'), 100 - (now - 400));
    eq(plain.get('k'), undefined, 'without the option the entry expired at 100');
    now = 600;
    eq(sliding.get('k'), undefined, 'it expired 100 ms after the last get');
    // updateAgeOnHas: get does not restart; updateAgeOnGet: has does not.
    still.set('g', 1);
    sliding.set('h', 1);
    const start = now;
    now = start + 80;
    still.get('g');
    sliding.has('h');
    now = start + 101;
    eq([still.has('g'), sliding.get('h')], [false, undefined]);
  }],

  ['getRemainingTTL and info', (LRUCache) => {
    let now = 1000;
    const cache = new LRUCache({ max: 10, ttl: 100, now: () => now });
    cache.set('a', 'A').set('b', 'B', { ttl: 0 });
    now = 1030;
    eq(cache.getRemainingTTL('a'), 70);
    eq(cache.getRemainingTTL('b'), Infinity);
    eq(cache.getRemainingTTL('none'), 0);
    eq(cache.info('a'), { value: 'A', ttl: 100, remaining: 70, size: 1 });
    eq(cache.info('b'), { value: 'B', ttl: 0, remaining: Infinity, size: 1 });
    eq(cache.info('none'), undefined);
    eq(keysOf(cache), ['b', 'a'], 'neither marks the entry used');
    now = 1101;
    eq(cache.info('a'), undefined, 'an expired entry is absent');
    eq(cache.size, 1, 'and removed');
    throws(() => cache.info({}), TypeError, 'ERR_LRU_KEY_TYPE');
    throws(() => cache.getRemainingTTL(null), TypeError, 'ERR_LRU_KEY_TYPE');
    const untimed = new LRUCache({ max: 2 });
    untimed.set(1, 'one');
    eq(untimed.getRemainingTTL(1), Infinity);
    eq(untimed.info(1), { value: 'one', ttl: 0, remaining: Infinity, size: 1 });
  }],

  ["maxEntrySize; oversized: 'throw' refuses, 'drop' removes the older entry", (LRUCache) => {
    const log = [];
    const onEvict = (_v, k, r) => log.push([k, r]);
    const strict = new LRUCache({ max: 10, maxEntrySize: 5, sizeOf: (v) => v, onEvict });
    strict.set('a', 5);
    throws(() => strict.set('a', 6), RangeError, 'ERR_LRU_ENTRY_SIZE');
    eq(entriesOf(strict), [['a', 5]], 'a refused set changes nothing');
    eq(log, []);
    const lenient = new LRUCache({
      max: 10,
      maxSize: 20,
      maxEntrySize: 5,
      sizeOf: (v) => v,
      oversized: 'drop',
      onEvict,
    });
    lenient.set('a', 1).set('b', 2);
    eq(lenient.set('a', 6), lenient, 'set still returns the cache');
    eq(entriesOf(lenient), [['b', 2]]);
    eq(log, [['a', 'oversized']]);
    lenient.set('new', 50);
    eq(entriesOf(lenient), [['b', 2]], 'an oversized new key is not stored');
    eq(log, [['a', 'oversized']], 'and nothing is reported');
    const budget = new LRUCache({ maxSize: 4, oversized: 'drop', onEvict });
    budget.set('x', 1, { size: 2 });
    budget.set('x', 2, { size: 5 });
    eq(budget.size, 0, 'larger than maxSize, with no maxEntrySize');
    eq(log.at(-1), ['x', 'oversized']);
  }],

  ['find, rforEach, peek with allowStale, toString', (LRUCache) => {
    let now = 0;
    const cache = new LRUCache({ max: 5, ttl: 10, now: () => now });
    cache.set('a', 1).set('b', 2).set('c', 3);
    eq(cache.find((v) => v % 2 === 1), 3, 'newest first');
    eq(cache.find((_v, k, self) => (ok(self === cache), k === 'a')), 1);
    eq(keysOf(cache), ['a', 'c', 'b'], 'find marks the found entry used, as get does');
    eq(cache.find(() => false), undefined);
    const seen = [];
    const self = {};
    cache.rforEach(function (value, key, c) {
      ok(this === self && c === cache);
      seen.push([key, value]);
    }, self);
    eq(seen, [['b', 2], ['c', 3], ['a', 1]], 'oldest first');
    throws(() => cache.rforEach(1), TypeError, 'ERR_LRU_OPTION');
    throws(() => cache.find('x'), TypeError, 'ERR_LRU_OPTION');
    now = 11;
    eq(cache.peek('b', { allowStale: true }), 2, 'a stale value');
    eq(cache.size, 3, 'left in place');
    eq(cache.peek('b'), undefined);
    eq(cache.size, 2, 'removed without allowStale');
    eq(cache.toString(), '[object LRUCache]');
    eq(Object.prototype.toString.call(cache), '[object LRUCache]');
    eq(cache[Symbol.toStringTag], 'LRUCache');
  }],

  ['decisions: clear reports oldest first; a replacement reports set before its evictions', (LRUCache) => {
    const log = [];
    const cache = new LRUCache({ max: 10, maxSize: 10, sizeOf: (v) => v, onEvict: (_v, k, r) => log.push([k, r]) });
    cache.set('a', 3).set('b', 3).set('c', 3);
    cache.set('c', 9);
    eq(log, [['c', 'set'], ['a', 'evict'], ['b', 'evict']]);
    log.length = 0;
    cache.set('d', 1).set('e', 0.5);
    eq(log, [['c', 'evict']], 'e, rounded up to 1, made room by evicting c');
    log.length = 0;
    cache.clear();
    eq(log, [['d', 'clear'], ['e', 'clear']]);
    // pop still gives the pair: the key is what the cache's users need to know.
    cache.set('x', 1);
    eq(cache.pop(), ['x', 1]);
  }],
];
