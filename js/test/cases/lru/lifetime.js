// LRUCache: `free`, `Symbol.dispose` and wasm memory. Written once and run in every host (see ../behaviour.js).

import { eq, throws } from '../assert.js';

const keysOf = (cache) => [...cache.keys()];

export const lifetime = [
  ['free releases the cache; later use throws ERR_LRU_FREED', (LRUCache) => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1).set(2, 2);
    cache.free();
    cache.free();
    for (
      const use of [
        () => cache.get('a'),
        () => cache.get(2),
        () => cache.set('a', 1),
        () => cache.has('a'),
        () => cache.peek(2),
        () => cache.delete('a'),
        () => cache.clear(),
        () => cache.pop(),
        () => cache.size,
        () => [...cache.keys()],
        () => {
          cache.max = 3;
        },
        () => cache.maxSize,
        () => cache.totalSize,
        () => cache.stats,
        () => cache.resetStats(),
        () => cache.getMany([]),
        () => cache.purgeStale(),
        () => cache.dump(),
        () => cache.load([]),
        () => cache.forEach(() => {}),
      ]
    ) {
      throws(use, TypeError, 'ERR_LRU_FREED');
    }
    const disposable = new LRUCache({ max: 1 });
    const dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');
    disposable[dispose]();
    throws(() => disposable.get('x'), TypeError, 'ERR_LRU_FREED');
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
];
