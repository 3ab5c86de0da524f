// LRUCache: `fetch` and shared loads. Written once and run in every host (see ../behaviour.js).

import { eq, ok, rejects } from '../assert.js';

export const fetch = [
  ['fetch loads on a miss and shares concurrent loads', async (LRUCache) => {
    let calls = 0;
    const cache = new LRUCache({
      max: 10,
      fetchMethod: async (key) => {
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
    eq(await cache.fetch(7, (k) => k * 2), 14, 'a loader argument overrides fetchMethod');
    await rejects(new LRUCache({ max: 1 }).fetch('x'), (e) => eq(e.code, 'ERR_LRU_NO_LOADER'));
    // A loader of the wrong type is refused, hit or miss, with or without a `fetchMethod` option.
    const withLoad = new LRUCache({ max: 2, fetchMethod: () => 'loaded' });
    withLoad.set('hit', 1);
    for (const cache of [withLoad, new LRUCache({ max: 1 })]) {
      for (const [key, loader] of [['x', 'load'], ['x', null], ['hit', 42]]) {
        await rejects(cache.fetch(key, /** @type {any} */ (loader)), (e) => {
          ok(e instanceof TypeError);
          eq(e.code, 'ERR_LRU_OPTION');
        });
      }
    }
    eq(await withLoad.fetch('y'), 'loaded', 'no loader argument: the fetchMethod option');
    // Every failure of fetch is a rejection, never a synchronous throw.
    let promise = cache.fetch({}, () => 1);
    await rejects(promise, (e) => eq(e.code, 'ERR_LRU_KEY_TYPE'));
    const freed = new LRUCache({ max: 1, fetchMethod: () => 1 });
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
    await rejects(
      cache.fetch('sync', () => {
        throw failure;
      }),
      (e) => eq(e, failure),
    );
    ok(!cache.has('sync'));
  }],

  ['a set, delete or clear during a fetch wins over the loaded value', async (LRUCache) => {
    const cache = new LRUCache({ max: 5 });
    /** @type {(value: string) => void} */
    let release = () => {};
    const loader = () =>
      new Promise((resolve) => {
        release = resolve;
      });
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
];
