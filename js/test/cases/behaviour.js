// Behaviour of LRUCache, written once and run in every host: Node (ESM and CJS), Deno,
// workerd and Chromium. Each case gets the host's LRUCache class.

import { eq, ok, rejects, throws } from './assert.js';

const keysOf = (cache) => [...cache.keys()];

export const cases = [
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
    eq(cache.dump(), [['c', 3], ['a', 10]]);
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

  ['other key types are refused and change nothing', (LRUCache) => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1);
    for (const key of [{}, [], null, undefined, true, Symbol('s'), 1n, () => 1]) {
      throws(() => cache.set(key, 1), TypeError, 'ERR_LRU_KEY_TYPE');
      throws(() => cache.get(key), TypeError, 'ERR_LRU_KEY_TYPE');
      throws(() => cache.has(key), TypeError, 'ERR_LRU_KEY_TYPE');
      throws(() => cache.delete(key), TypeError, 'ERR_LRU_KEY_TYPE');
    }
    eq(cache.dump(), [['a', 1]]);
  }],

  ['set(k, undefined) stores undefined like a Map', (LRUCache) => {
    const cache = new LRUCache({ max: 2 });
    cache.set('u', undefined);
    ok(cache.has('u'));
    eq(cache.size, 1);
    eq(cache.get('u'), undefined);
    eq(cache.stats.hits, 1);
  }],

  ['constructor options are validated', (LRUCache) => {
    throws(() => new LRUCache(), TypeError, 'ERR_LRU_OPTION');
    for (const max of [0, -1, 1.5, NaN, Infinity, 2 ** 53]) {
      throws(() => new LRUCache({ max }), RangeError, 'ERR_LRU_MAX');
    }
    for (const max of ['10', undefined, null, 10n, {}]) {
      throws(() => new LRUCache({ max }), TypeError, 'ERR_LRU_OPTION');
    }
    throws(() => new LRUCache({ max: 1, maxSize: '5', sizeOf: () => 1 }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, ttl: '5' }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 2 ** 32 }), RangeError, 'ERR_LRU_MAX');
    throws(() => new LRUCache({ max: 1, maxSize: 10 }), TypeError, 'ERR_LRU_SIZE_OF');
    throws(() => new LRUCache({ max: 1, maxSize: 0, sizeOf: () => 1 }), RangeError, 'ERR_LRU_MAX_SIZE');
    throws(() => new LRUCache({ max: 1, sizeOf: 3 }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, onEvict: 'x' }), TypeError, 'ERR_LRU_OPTION');
    throws(() => new LRUCache({ max: 1, ttl: 0 }), RangeError, 'ERR_LRU_TTL');
    throws(() => new LRUCache({ max: 1, ttl: -5 }), RangeError, 'ERR_LRU_TTL');
    eq(new LRUCache({ max: 2 ** 32 - 2 }).max, 2 ** 32 - 2, 'large max is lazy');
  }],

  ['max can be assigned: shrinking evicts the oldest', (LRUCache) => {
    const evicted = [];
    const cache = new LRUCache({ max: 5, onEvict: (v, k, reason) => evicted.push([k, reason]) });
    for (let i = 0; i < 5; i++) cache.set(i, i);
    cache.get(0);
    cache.max = 2;
    eq(cache.max, 2);
    eq(keysOf(cache), [0, 4]);
    eq(evicted, [[1, 'resize'], [2, 'resize'], [3, 'resize']]);
    throws(() => { cache.max = 0; }, RangeError, 'ERR_LRU_MAX');
    throws(() => { cache.max = 2.5; }, RangeError, 'ERR_LRU_MAX');
    throws(() => { cache.max = '3'; }, TypeError, 'ERR_LRU_OPTION');
    eq(keysOf(cache), [0, 4], 'a refused resize changes nothing');
    cache.max = 10;
    for (let i = 10; i < 20; i++) cache.set(i, i);
    eq(cache.size, 10);
  }],

  ['maxSize bounds the total size; oversized entries are refused', (LRUCache) => {
    const evicted = [];
    const cache = new LRUCache({
      max: 100,
      maxSize: 10,
      sizeOf: (value) => value.length,
      onEvict: (v, k, reason) => evicted.push([k, reason]),
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
    eq(cache.dump(), [['c', 'ccc'], ['b', 'bbbb']], 'a refused set leaves the old entry');
    cache.set('b', 'bbbbbbbb');
    eq(cache.dump(), [['b', 'bbbbbbbb']], 'growing an entry evicts others');
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
    eq(cache.dump(), [['a', 1]]);
    size = 2.2;
    cache.set('c', 3);
    eq(cache.totalSize, 4, 'fractional sizes round up');
  }],

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
      onEvict(value, key, reason) {
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
    const cache = new LRUCache({ max: 1, onEvict: () => { throw new Error('boom'); } });
    cache.set('a', 1);
    let caught;
    try { cache.set('b', 2); } catch (e) { caught = e; }
    eq(caught?.message, 'boom');
    eq(cache.dump(), [['b', 2]]);
  }],

  ['ttl: expired entries count as absent', (LRUCache) => {
    let now = 1000;
    const cache = new LRUCache({ max: 10, ttl: 50, now: () => now });
    cache.set('a', 1).set(2, 'two');
    now = 1049;
    eq(cache.get('a'), 1);
    ok(cache.has(2));
    now = 1050;
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
    cache.forEach(function (value, key, self) { seen.push([key, value, self === cache, this.tag]); }, { tag: 't' });
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
      hits: 1, misses: 2, hitRate: 1 / 3, sets: 3, deletes: 1, evictions: 1, expirations: 0, size: 1, totalSize: 1,
    });
    cache.resetStats();
    eq(cache.stats.hits + cache.stats.misses + cache.stats.evictions, 0);
    eq(cache.stats.hitRate, 0);
  }],

  ['dump and load round-trip contents and order', (LRUCache) => {
    const cache = new LRUCache({ max: 5 });
    cache.set('a', { n: 1 }).set(2, [2]).set('c', 'three');
    cache.get('a');
    const dumped = cache.dump();
    eq(dumped, [['a', { n: 1 }], ['c', 'three'], [2, [2]]]);
    const copy = new LRUCache({ max: 5 });
    copy.set('old', 0);
    copy.load(dumped);
    eq(copy.dump(), dumped);
    copy.set('d', 4).set('e', 5).set('f', 6);
    eq(keysOf(copy), ['f', 'e', 'd', 'a', 'c'], 'order survives: 2 was the oldest');
    throws(() => copy.load([['ok', 1], [{}, 2]]), TypeError, 'ERR_LRU_KEY_TYPE');
    eq(keysOf(copy), ['f', 'e', 'd', 'a', 'c'], 'a refused load changes nothing');
  }],

  ['a load refused for an entry size changes nothing', (LRUCache) => {
    const evicted = [];
    const cache = new LRUCache({ max: 5, maxSize: 10, sizeOf: (v) => v, onEvict: (v, k, reason) => evicted.push([k, reason]) });
    cache.set('p', 1).set('q', 2);
    throws(() => cache.load([['big', 20], ['x', 3]]), RangeError, 'ERR_LRU_ENTRY_SIZE');
    throws(() => cache.load([['x', 3], ['bad', -1]]), RangeError, 'ERR_LRU_SIZE_OF');
    throws(() => cache.load([['x', 3], 'y']), TypeError, 'ERR_LRU_OPTION');
    eq(cache.dump(), [['q', 2], ['p', 1]]);
    eq(evicted, [], 'nothing was cleared');
    cache.load([['x', 3], ['y', 4]]);
    eq(cache.dump(), [['x', 3], ['y', 4]]);
    eq(evicted, [['q', 'clear'], ['p', 'clear']]);
  }],

  ['fetch loads on a miss and shares concurrent loads', async (LRUCache) => {
    let calls = 0;
    const cache = new LRUCache({
      max: 10,
      load: async (key) => {
        calls++;
        await null;
        return `loaded:${key}`;
      },
    });
    const all = await Promise.all(Array.from({ length: 100 }, () => cache.fetch('alice')));
    eq(calls, 1);
    ok(all.every((v) => v === 'loaded:alice'));
    eq(cache.get('alice'), 'loaded:alice');
    eq(await cache.fetch('alice'), 'loaded:alice');
    eq(calls, 1, 'a hit does not load');
    eq(await cache.fetch(7, (k) => k * 2), 14, 'a loader argument overrides load');
    await rejects(new LRUCache({ max: 1 }).fetch('x'), (e) => eq(e.code, 'ERR_LRU_NO_LOADER'));
    // A loader of the wrong type is refused, hit or miss, with or without a `load` option.
    const withLoad = new LRUCache({ max: 2, load: () => 'loaded' });
    withLoad.set('hit', 1);
    for (const cache of [withLoad, new LRUCache({ max: 1 })]) {
      for (const [key, loader] of [['x', 'load'], ['x', null], ['hit', 42]]) {
        await rejects(cache.fetch(key, /** @type {any} */ (loader)), (e) => {
          ok(e instanceof TypeError);
          eq(e.code, 'ERR_LRU_OPTION');
        });
      }
    }
    eq(await withLoad.fetch('y'), 'loaded', 'no loader argument: the load option');
    // Every failure of fetch is a rejection, never a synchronous throw.
    let promise = cache.fetch({}, () => 1);
    await rejects(promise, (e) => eq(e.code, 'ERR_LRU_KEY_TYPE'));
    const freed = new LRUCache({ max: 1, load: () => 1 });
    freed.free();
    promise = freed.fetch('x');
    await rejects(promise, (e) => eq(e.code, 'ERR_LRU_FREED'));
  }],

  ['a rejected fetch caches nothing and rejects every waiter', async (LRUCache) => {
    const cache = new LRUCache({ max: 10 });
    const failure = new Error('store down');
    let calls = 0;
    const loader = async () => {
      calls++;
      await null;
      throw failure;
    };
    const waiters = Array.from({ length: 5 }, () => cache.fetch('bob', loader));
    for (const waiter of waiters) await rejects(waiter, (e) => eq(e, failure));
    eq(calls, 1);
    ok(!cache.has('bob'));
    eq(await cache.fetch('bob', () => 'ok'), 'ok', 'a later fetch loads again');
    await rejects(cache.fetch('sync', () => { throw failure; }), (e) => eq(e, failure));
    ok(!cache.has('sync'));
  }],

  ['free releases the cache; later use throws ERR_LRU_FREED', (LRUCache) => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1).set(2, 2);
    cache.free();
    cache.free();
    for (const use of [
      () => cache.get('a'), () => cache.get(2), () => cache.set('a', 1), () => cache.has('a'),
      () => cache.peek(2), () => cache.delete('a'), () => cache.clear(), () => cache.pop(),
      () => cache.size, () => [...cache.keys()], () => { cache.max = 3; }, () => cache.maxSize,
      () => cache.totalSize, () => cache.stats, () => cache.resetStats(), () => cache.getMany([]),
      () => cache.purgeStale(), () => cache.dump(), () => cache.load([]), () => cache.forEach(() => {}),
    ]) {
      throws(use, TypeError, 'ERR_LRU_FREED');
    }
    const disposable = new LRUCache({ max: 1 });
    const dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');
    disposable[dispose]();
    throws(() => disposable.get('x'), TypeError, 'ERR_LRU_FREED');
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

  ['many caches grow wasm memory without losing recorded hits', (LRUCache) => {
    const a = new LRUCache({ max: 3 });
    a.set('x', 1).set('y', 2).set('z', 3);
    a.get('x');
    const big = new LRUCache({ max: 200_000 });
    for (let i = 0; i < 200_000; i++) big.set(i, i);
    a.get('y');
    a.set('w', 4);
    eq(keysOf(a), ['w', 'y', 'x']);
    big.free();
  }],

  ['number keys agree with a Map through growth, deletes and colliding keys', (LRUCache) => {
    // Integers that share low bits, int32 extremes and neighbours beyond int32, negative
    // numbers, fractions, NaN and -0: every kind of number the index stores.
    const pool = [0, -0, NaN, 0.5, -0.5, Infinity, -Infinity, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1,
      2 ** 53, Number.MIN_VALUE];
    for (let i = 0; i < 1500; i++) pool.push(i, -i - 1, i * 1024, i * 2 ** 20, (i * 0x9e3779b1) | 0);
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

  ['a refused resize keeps the hits and deletes recorded before it', (LRUCache) => {
    const cache = new LRUCache({ max: 5 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) cache.set(k, k);
    cache.get('a');
    cache.delete('b');
    throws(() => { cache.max = 2 ** 32; }, RangeError, 'ERR_LRU_MAX');
    eq(cache.size, 4);
    eq(keysOf(cache), ['a', 'e', 'd', 'c']);
    cache.set('x', 1).set('y', 2);
    eq(keysOf(cache), ['y', 'x', 'a', 'e', 'd'], 'c, the oldest, was evicted');
  }],

  ['callbacks that use the cache during set leave it consistent', (LRUCache) => {
    // sizeOf deleting or setting the key being written
    let during = null;
    const cache = new LRUCache({ max: 5, maxSize: 100, sizeOf: (v) => (during?.(), v) });
    cache.set('a', 1).set('b', 2);
    during = () => { during = null; cache.delete('a'); };
    cache.set('a', 3);
    eq(cache.dump(), [['a', 3], ['b', 2]]);
    eq(cache.totalSize, 5);
    during = () => { during = null; cache.set('c', 4); };
    cache.set('c', 5);
    eq(cache.dump(), [['c', 5], ['a', 3], ['b', 2]]);
    eq([cache.size, cache.totalSize], [3, 10]);
    // a clock that throws or clears the cache, while a full cache reuses its oldest slot
    let tick = () => 0;
    const evicted = [];
    const timed = new LRUCache({ max: 2, ttl: 1000, now: () => tick(), onEvict: (v, k, r) => evicted.push([k, r]) });
    timed.set('a', 1).set('b', 2).set('c', 3); // full: victims are queued
    tick = () => { throw new Error('clock'); };
    throws(() => timed.set('d', 4), Error);
    tick = () => 0;
    eq(timed.dump(), [['c', 3], ['b', 2]], 'a throwing clock changed nothing');
    eq(evicted, [['a', 'evict']]);
    tick = () => { tick = () => 0; timed.clear(); return 0; };
    timed.set('e', 5);
    eq(timed.dump(), [['e', 5]]);
    eq(timed.size, 1);
  }],

  ['a getMany with a bad key changes nothing', (LRUCache) => {
    const cache = new LRUCache({ max: 3 });
    cache.set('a', 1).set('b', 2);
    throws(() => cache.getMany(['a', {}, 'b']), TypeError, 'ERR_LRU_KEY_TYPE');
    eq(keysOf(cache), ['b', 'a']);
    eq(cache.stats.hits, 0);
  }],

  ['expiry: pop reports expired entries, set expires a stale entry, a NaN clock is consistent', (LRUCache) => {
    let now = 0;
    const log = [];
    const cache = new LRUCache({ max: 5, ttl: 10, now: () => now, onEvict: (v, k, r) => log.push([k, r]) });
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

  ['a set, delete or clear during a fetch wins over the loaded value', async (LRUCache) => {
    const cache = new LRUCache({ max: 5 });
    /** @type {(value: string) => void} */
    let release = () => {};
    const loader = () => new Promise((resolve) => { release = resolve; });
    /** @type {[string, () => unknown, string | undefined][]} */
    const disturbances = [
      ['set', () => cache.set('k', 'fresh'), 'fresh'],
      ['delete', () => cache.delete('k'), undefined],
      ['clear', () => cache.clear(), undefined],
    ];
    for (const [what, act, expected] of disturbances) {
      cache.delete('k');
      const pending = cache.fetch('k', loader);
      act();
      release('stale');
      eq(await pending, 'stale', `${what}: the fetch still resolves with what it loaded`);
      eq(cache.peek('k'), expected, `${what}: the loaded value was not stored`);
    }
    // A set wins even when the key has left again (pop, eviction) before the load ends.
    const small = new LRUCache({ max: 2 });
    /** @type {[string, () => unknown][]} */
    const departures = [
      ['pop', () => small.pop()],
      ['eviction', () => small.set('x', 1).set('y', 2)],
    ];
    for (const [what, leave] of departures) {
      small.clear();
      const pending = small.fetch('k', loader);
      small.set('k', 'fresh');
      leave();
      release('stale');
      eq(await pending, 'stale');
      eq(small.peek('k'), undefined, `set, then ${what}: the loaded value was not stored`);
    }
    const stored = cache.fetch('k2', loader);
    release('loaded');
    await stored;
    eq(cache.peek('k2'), 'loaded', 'an undisturbed fetch stores its value');
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
    for (let i = 2000; i < 6000; i++) eq(cache.get(keys[i]), (i - 2000) % 3 === 0 ? undefined : i, `key ${i} after deletes`);
    eq([...cache.keys()][0], keys[5998], "the last key read is the newest");
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
    eq(cache.dump(), [['b', 'loaded']]);
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
      onEvict: (value, key, reason) => log.push([key, reason]),
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
    const sized = new LRUCache({ max: 4, maxSize: 100, sizeOf: (value, key) => (measured.push(key), 1) });
    for (const key of [{}, null, undefined, true, Symbol('s'), 1n]) throws(() => sized.set(/** @type {any} */ (key), 1), TypeError, 'ERR_LRU_KEY_TYPE');
    eq(measured, []);
  }],

  ['pop with a clock that throws changes nothing', (LRUCache) => {
    /** @type {() => number} */
    let clock = () => 0;
    const log = [];
    const cache = new LRUCache({ max: 5, ttl: 1000, now: () => clock(), onEvict: (v, k, r) => log.push([k, r]) });
    cache.set('a', 1).set('b', 2);
    clock = () => {
      throw new Error('clock down');
    };
    eq(throws(() => cache.pop(), Error, undefined).message, 'clock down');
    clock = () => 0;
    eq(cache.dump(), [['b', 2], ['a', 1]]);
    eq([log, cache.stats.deletes], [[], 0]);
    eq(cache.pop(), ['a', 1]);
  }],

  ['load keeps going when onEvict throws as loaded entries evict each other', (LRUCache) => {
    const big = new LRUCache({ max: 5 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) big.set(key, key.toUpperCase());
    const seen = [];
    const small = new LRUCache({
      max: 2,
      onEvict: (value, key, reason) => {
        seen.push([key, reason]);
        throw new Error(`onEvict ${key}`);
      },
    });
    eq(throws(() => small.load(big.dump()), Error, undefined).message, 'onEvict a', 'the first error');
    eq(small.dump(), [['e', 'E'], ['d', 'D']], 'the newest two, as without a throwing onEvict');
    eq(seen, [['a', 'evict'], ['b', 'evict'], ['c', 'evict']]);
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
