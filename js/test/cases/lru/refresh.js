// LRUCache: `fetch(key, options)`: stale-while-revalidate, the loader's AbortSignal,
// `staleIfError`. Written once and run in every host (see ../behaviour.js).

import { eq, ok, rejects } from '../assert.js';

/** A promise with its resolve and reject. */
function deferred() {
  /** @type {(value: unknown) => void} */
  let resolve = () => {};
  /** @type {(error: unknown) => void} */
  let reject = () => {};
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/** A loader that records its calls and settles when told. */
function controlled() {
  const calls = [];
  const loader = (key, options) => {
    const call = { key, options, ...deferred() };
    calls.push(call);
    return call.promise;
  };
  return { calls, loader };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

export const refresh = [
  [
    'fetch(key, options): the loader gets { signal, staleValue, context }; ttl and size apply to the stored value',
    async (LRUCache) => {
      let now = 0;
      const cache = new LRUCache({ max: 10, maxSize: 100, sizeOf: () => 1, ttl: 100, now: () => now });
      const { calls, loader } = controlled();
      const context = { user: 'alice' };
      const pending = cache.fetch('k', { loader, ttl: 0, size: 7, context });
      eq(calls.length, 1);
      const [{ key, options }] = calls;
      eq(key, 'k');
      eq(options.staleValue, undefined, 'a miss has no stale value');
      ok(options.context === context);
      ok(options.signal instanceof AbortSignal && !options.signal.aborted);
      calls[0].resolve('v');
      eq(await pending, 'v');
      eq(cache.info('k'), { value: 'v', ttl: 0, remaining: Infinity, size: 7 });
      ok(!options.signal.aborted, 'a load that ends normally is not aborted');
      now = 1e9;
      eq(await cache.fetch('k', loader), 'v', 'ttl 0: never stale');
      eq(calls.length, 1);
      // fetchMethod gets the same arguments.
      const seen = [];
      const withMethod = new LRUCache({ max: 2, fetchMethod: (k, o) => (seen.push([k, o.staleValue, o.context]), 1) });
      eq(await withMethod.fetch('x', { context: 5 }), 1);
      eq(seen, [['x', undefined, 5]]);
    },
  ],

  ['refused fetch options reject and change nothing', async (LRUCache) => {
    const cache = new LRUCache({ max: 10, fetchMethod: () => 'loaded' });
    cache.set('hit', 1);
    for (
      const options of [
        { loader: 'x' },
        { allowStale: 1 },
        { forceRefresh: 'yes' },
        { ttl: -1 },
        { size: 0 },
        { signal: {} },
      ]
    ) {
      await rejects(cache.fetch('miss', /** @type {any} */ (options)), (e) => {
        ok(e instanceof TypeError || e instanceof RangeError, JSON.stringify(options));
        ok(typeof e.code === 'string');
      });
      eq([...cache.keys()], ['hit'], JSON.stringify(options));
    }
    eq(cache.stats.misses, 0);
  }],

  ['allowStale: the stale value at once, one background refresh', async (LRUCache) => {
    let now = 0;
    const cache = new LRUCache({ max: 10, ttl: 100, now: () => now });
    const { calls, loader } = controlled();
    cache.set('k', 'old');
    now = 150;
    eq(await cache.fetch('k', { loader, allowStale: true }), 'old');
    eq(await cache.fetch('k', { loader, allowStale: true }), 'old', 'while it refreshes');
    eq(calls.length, 1, 'one refresh');
    eq(calls[0].options.staleValue, 'old');
    const waiting = cache.fetch('k', loader);
    calls[0].resolve('new');
    eq(await waiting, 'new', 'without allowStale a fetch waits for the refresh');
    eq(cache.get('k'), 'new');
    eq(cache.getRemainingTTL('k'), 100, 'the refreshed entry lives a full ttl');
    // Without allowStale, a stale entry is refreshed and the fetch waits.
    now = 300;
    const fresh = cache.fetch('k', loader);
    eq(calls.length, 2);
    eq(calls[1].options.staleValue, 'new');
    calls[1].resolve('newer');
    eq(await fresh, 'newer');
  }],

  ['forceRefresh loads over a fresh entry; with allowStale it resolves with the current value', async (LRUCache) => {
    const cache = new LRUCache({ max: 10 });
    const { calls, loader } = controlled();
    cache.set('k', 1);
    const forced = cache.fetch('k', { loader, forceRefresh: true });
    eq(calls.length, 1);
    eq(calls[0].options.staleValue, 1, 'the fresh value, as the value being refreshed');
    calls[0].resolve(2);
    eq(await forced, 2);
    eq(await cache.fetch('k', { loader, forceRefresh: true, allowStale: true }), 2);
    calls[1].resolve(3);
    await tick();
    eq(cache.get('k'), 3);
  }],

  [
    "the loader's signal aborts when the entry is set, deleted, evicted or cleared during the load",
    async (LRUCache) => {
      let now = 0;
      const cache = new LRUCache({ max: 2, ttl: 100, now: () => now });
      const { calls, loader } = controlled();
      /** @type {[string, () => unknown, string | undefined][]} */
      const disturbances = [
        ['set', () => cache.set('k', 'set'), 'set'],
        ['delete', () => cache.delete('k'), undefined],
        ['clear', () => cache.clear(), undefined],
        ['eviction', () => cache.set('x', 1).set('y', 2), undefined],
      ];
      for (const [what, act, expected] of disturbances) {
        cache.clear();
        now = 0;
        cache.set('k', 'stale');
        now = 200;
        const pending = cache.fetch('k', { loader, allowStale: true });
        const call = calls.at(-1);
        let aborted = 0;
        call.options.signal.addEventListener('abort', () => {
          aborted++;
          eq(cache.peek('k', { allowStale: true }), expected, `${what}: the cache is consistent in an abort listener`);
        });
        eq(await pending, 'stale');
        act();
        eq(aborted, 1, what);
        ok(call.options.signal.aborted, what);
        call.resolve('loaded');
        await tick();
        eq(cache.peek('k', { allowStale: true }), expected, `${what}: the loaded value was not stored`);
      }
      // A miss load is aborted too, by a set, delete or clear of its key.
      const miss = cache.fetch('m', loader);
      const call = calls.at(-1);
      cache.delete('m');
      ok(call.options.signal.aborted);
      call.resolve('late');
      eq(await miss, 'late', 'the fetch still resolves with what the loader gave');
      eq(cache.has('m'), false);
    },
  ],

  ["fetch's signal: aborting rejects the fetch with its reason and cancels the load", async (LRUCache) => {
    const cache = new LRUCache({ max: 10 });
    const { calls, loader } = controlled();
    const controller = new AbortController();
    const pending = cache.fetch('k', { loader, signal: controller.signal });
    const reason = new Error('not needed');
    controller.abort(reason);
    await rejects(pending, (e) => eq(e, reason));
    ok(calls[0].options.signal.aborted);
    eq(calls[0].options.signal.reason, reason);
    calls[0].resolve('late');
    await tick();
    eq(cache.has('k'), false, 'a cancelled load is not stored');
    await rejects(cache.fetch('k', { loader, signal: controller.signal }), (e) => eq(e, reason));
    eq(calls.length, 1, 'an aborted signal: the loader is not called');
    const kept = new AbortController();
    const done = cache.fetch('k', { loader, signal: kept.signal });
    calls[1].resolve('v');
    eq(await done, 'v');
    kept.abort();
    eq(cache.get('k'), 'v', 'aborting after the load ended changes nothing');
  }],

  ['a failed refresh drops the stale entry; staleIfError keeps serving it for that long', async (LRUCache) => {
    let now = 0;
    const failure = new Error('origin down');
    const failing = () => Promise.reject(failure);
    const log = [];
    const strict = new LRUCache({ max: 10, ttl: 100, now: () => now, onEvict: (_v, k, r) => log.push([k, r]) });
    strict.set('k', 'old');
    now = 150;
    await rejects(strict.fetch('k', failing), (e) => eq(e, failure));
    eq(strict.peek('k', { allowStale: true }), undefined, 'dropped');
    eq(log, [['k', 'expire']]);
    strict.set('s', 'old');
    now = 300;
    eq(await strict.fetch('s', { loader: failing, allowStale: true }), 'old', 'the background failure is not seen');
    await tick();
    eq(strict.peek('s', { allowStale: true }), undefined, 'the failed background refresh dropped it');

    now = 0;
    const lenient = new LRUCache({ max: 10, ttl: 100, staleIfError: 1000, now: () => now });
    lenient.set('k', 'old');
    now = 600;
    eq(await lenient.fetch('k', failing), 'old', 'within staleIfError the stale value is the result');
    eq(lenient.peek('k', { allowStale: true }), 'old', 'and it stays');
    eq(await lenient.fetch('k', { loader: failing, allowStale: true }), 'old');
    await tick();
    now = 1100;
    eq(await lenient.fetch('k', failing), 'old', '1000 ms past its expiry');
    now = 1101;
    await rejects(lenient.fetch('k', failing), (e) => eq(e, failure));
    eq(lenient.peek('k', { allowStale: true }), undefined);
    // A failed forceRefresh of a fresh entry rejects and leaves the entry.
    lenient.set('f', 'fresh');
    await rejects(lenient.fetch('f', { loader: failing, forceRefresh: true }), (e) => eq(e, failure));
    eq(lenient.get('f'), 'fresh');
  }],

  ['updateAgeOnGet applies to fetch hits', async (LRUCache) => {
    let now = 0;
    const cache = new LRUCache({ max: 10, ttl: 100, updateAgeOnGet: true, now: () => now });
    let loads = 0;
    const loader = () => ++loads;
    eq(await cache.fetch('k', loader), 1);
    for (now = 90; now <= 450; now += 90) eq(await cache.fetch('k', loader), 1);
    eq(loads, 1);
  }],
];
