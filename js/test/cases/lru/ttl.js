// LRUCache: `ttl` and the clock. Written once and run in every host (see ../behaviour.js).

import { eq, ok, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];
const entriesOf = (cache) => [...cache.entries()];

export const ttl = [
  ['ttl: expired entries count as absent', (LRUCache) => {
    let now = 1000;
    const cache = new LRUCache({ max: 10, ttl: 50, now: () => now });
    cache.set('a', 1).set(2, 'two');
    now = 1050;
    eq(cache.get('a'), 1, 'an entry expires only once it is older than the ttl, as in lru-cache');
    ok(cache.has(2));
    now = 1050.5;
    eq(cache.get('a'), undefined);
    eq(cache.peek(2), undefined);
    ok(!cache.has(2));
    cache.set('b', 2);
    now = 1060;
    cache.set('b', 3);
    now = 1105;
    eq(cache.get('b'), 3, 'set restarts the ttl');
    cache.set('c', 4);
    now = 2000;
    eq(keysOf(cache), [], 'iteration skips expired entries');
    eq(cache.purgeStale(), 2);
    eq(cache.size, 0);
    eq(cache.stats.expirations, 4);
  }],

  ['expiry: pop reports expired entries, set expires a stale entry, a NaN clock is consistent', (LRUCache) => {
    let now = 0;
    const log = [];
    const cache = new LRUCache({ max: 5, ttl: 10, now: () => now, onEvict: (_v, k, r) => log.push([k, r]) });
    cache.set('a', 1).set('b', 2);
    now = 100;
    eq(cache.pop(), undefined);
    eq(log, [['a', 'expire'], ['b', 'expire']], 'onEvict ran before pop returned');
    cache.set('c', 1);
    now = 200;
    cache.set('c', 2);
    eq(log.at(-1), ['c', 'expire'], 'replacing an expired entry expires it');
    eq(cache.stats.expirations, 3);
    now = 205;
    cache.set('d', 1);
    now = NaN;
    eq([cache.has('c'), cache.has('d')], [false, false]);
    eq([...cache.keys()], [], 'iteration agrees with has');
    now = 205;
    cache.set('e', 1);
    now = NaN;
    eq(cache.purgeStale(), 1);
  }],

  ['a clock that uses the cache during a read cannot break it', async (LRUCache) => {
    /** @type {null | (() => void)} */
    let hook = null;
    const now = () => {
      const run = hook;
      hook = null;
      run?.();
      return 0;
    };
    const cache = new LRUCache({ max: 4, ttl: 1000, now });
    /** @type {[string, (key: string) => unknown, unknown][]} */
    const reads = [
      ['get', (key) => cache.get(key), undefined],
      ['has', (key) => cache.has(key), false],
      ['peek', (key) => cache.peek(key), undefined],
      ['delete', (key) => cache.delete(key), false],
    ];
    for (const [what, read, absent] of reads) {
      cache.clear();
      cache.set('a', 'A').set('b', 'B');
      hook = () => cache.delete('a'); // the clock deletes the key being read
      eq(read('a'), absent, `${what} of a key the clock deleted`);
      eq(cache.size, 1, what);
      eq(keysOf(cache), ['b'], what);
      cache.set('c', 'C').set('d', 'D').set('e', 'E').set('f', 'F');
      eq(keysOf(cache), ['f', 'e', 'd', 'c'], `${what}: eviction order intact`);
    }
    cache.clear();
    cache.set('b', 'B');
    hook = () => cache.clear();
    eq(await cache.fetch('b', () => 'loaded'), 'loaded', 'the clock cleared the cache: a miss');
    eq(entriesOf(cache), [['b', 'loaded']]);
  }],

  ['pop with a clock that throws changes nothing', (LRUCache) => {
    /** @type {() => number} */
    let clock = () => 0;
    const log = [];
    const cache = new LRUCache({ max: 5, ttl: 1000, now: () => clock(), onEvict: (_v, k, r) => log.push([k, r]) });
    cache.set('a', 1).set('b', 2);
    clock = () => {
      throw new Error('clock down');
    };
    eq(throws(() => cache.pop(), Error, undefined).message, 'clock down');
    clock = () => 0;
    eq(entriesOf(cache), [['b', 2], ['a', 1]]);
    eq([log, cache.stats.deletes], [[], 0]);
    eq(cache.pop(), ['a', 1]);
  }],
];
