// Type tests of LRUCache's public types, as an ESM consumer sees them (dist/index.d.ts).
import {
  type ErrorCode,
  type EvictionReason,
  type Key,
  LRUCache,
  type LRUCacheDumpEntry,
  type LRUCacheFetchOptions,
  type LRUCacheInfo,
  type LRUCacheLoader,
  type LRUCacheOptions,
  type LRUCacheStats,
  wasmMemorySize,
} from 'edge-lru';

type User = { id: number };
const reasons: EvictionReason[] = [];
const options: LRUCacheOptions<string, User> = {
  max: 2,
  sizeOf: (value, key) => value.id + key.length,
  onEvict: (value, key, reason) => {
    const id: number = value.id;
    const name: string = key;
    const known: 'evict' | 'set' | 'delete' | 'clear' | 'expire' | 'resize' | 'oversized' = reason;
    reasons.push(known);
    void id, name;
  },
  fetchMethod: async (key, { signal, staleValue, context }) => {
    const aborted: boolean = signal.aborted;
    const stale: User | undefined = staleValue;
    void aborted, stale, context;
    return { id: key.length };
  },
  ttl: 1000,
  updateAgeOnGet: true,
  updateAgeOnHas: false,
  staleIfError: 500,
  maxEntrySize: 100,
  oversized: 'drop',
};
const cache = new LRUCache<string, User>(options);
const chained: LRUCache<string, User> = cache.set('alice', { id: 1 }).set('bob', { id: 2 });
const found: User | undefined = cache.get('alice');
const peeked: User | undefined = cache.peek('alice');
const many: (User | undefined)[] = cache.getMany(['alice', 'bob']);
const popped: [string, User] | undefined = cache.pop();
const loaded: Promise<User> = cache.fetch('dave', async (key) => ({ id: key.length }));
const byDefault: Promise<User> = cache.fetch('erin');
const loader: LRUCacheLoader<string, User> = (key) => ({ id: key.length });
const fetchOptions: LRUCacheFetchOptions<string, User> = {
  loader,
  ttl: 0,
  size: 3,
  allowStale: true,
  forceRefresh: false,
  context: { from: 'test' },
};
const refreshed: Promise<User> = cache.fetch('erin', fetchOptions);
cache.set('frank', { id: 6 }, { ttl: 0, size: 2 });
const stalePeek: User | undefined = cache.peek('frank', { allowStale: true });
const remaining: number = cache.getRemainingTTL('frank');
const info: LRUCacheInfo<User> | undefined = cache.info('frank');
const firstOdd: User | undefined = cache.find((value, key) => value.id % 2 === 1 && key.length > 0);
cache.rforEach((value, key) => void (value.id + key.length));
const bySize = new LRUCache<string, User>({ maxSize: 1000 });
const entries: [string, User][] = [...cache];
const keys: string[] = [...cache.keys(), ...cache.rkeys()];
const values: User[] = [...cache.values(), ...cache.rvalues()];
const pairs: [string, User][] = [...cache.entries(), ...cache.rentries()];
cache.forEach(function (value, key, self) {
  const same: LRUCache<string, User> = self;
  void value.id, key.length, same;
}, null);
const stats: LRUCacheStats = cache.stats;
const counts: number[] = [cache.size, cache.max, cache.maxSize, cache.totalSize, cache.purgeStale(), stats.hitRate];
cache.max = 10;
const bytes: number = wasmMemorySize();

// dump() gives lru-cache's entry format; load takes it and plain pairs.
const dumped: LRUCacheDumpEntry<string, User>[] = cache.dump();
const [first] = dumped;
if (first !== undefined) {
  const [key, { value, ttl, start, size }] = first;
  const typed: [string, User, number | undefined, number | undefined, number | undefined] = [
    key,
    value,
    ttl,
    start,
    size,
  ];
  void typed;
}
cache.load(dumped);
cache.load([['carol', { id: 3 }]]);
cache.load([['carol', { value: { id: 3 }, ttl: 10, start: Date.now() }]]);

// Keys default to Key and values to unknown.
const loose = new LRUCache({ max: 1 });
const anyKey: Key = 1;
loose.set(anyKey, 'x').set('y', 2);
const unknownValue: unknown = loose.get('y');

const byNumber = new LRUCache<number, string>({ max: 1 });
byNumber.set(1, 'one');

const codes: ErrorCode[] = [
  'ERR_LRU_KEY_TYPE',
  'ERR_LRU_FREED',
  'ERR_PERM_PATH',
  'ERR_PERM_NAMES',
  'ERR_PERM_TOO_LARGE',
];

/** Never called: each line must fail to type-check. */
function typeErrors(reason: EvictionReason) {
  // @ts-expect-error the value type is { id: number }
  cache.set('carol', { id: 'three' });
  // @ts-expect-error keys are strings in this cache
  cache.set(4, { id: 4 });
  // @ts-expect-error get may miss
  const sure: User = cache.get('alice');
  // @ts-expect-error fetch resolves to the value type
  const wrong: Promise<string> = cache.fetch('erin', () => ({ id: 5 }));
  // @ts-expect-error the loader gets the key type
  cache.fetch('erin', (key: number) => ({ id: key }));
  // @ts-expect-error EvictionReason has no 'expired'
  const typo: EvictionReason = 'expired';
  // @ts-expect-error the reason is a union of known strings, not any one of them
  const evictOnly: 'evict' = reason;
  // @ts-expect-error keys are strings or numbers
  new LRUCache<boolean, string>({ max: 1 });
  // @ts-expect-error max, maxSize or both are required
  new LRUCache<string, User>({});
  // @ts-expect-error oversized is 'throw' or 'drop'
  new LRUCache<string, User>({ max: 1, oversized: 'ignore' });
  // @ts-expect-error a per-entry ttl is a number
  cache.set('x', { id: 1 }, { ttl: '5' });
  // @ts-expect-error the loader resolves to the value type
  cache.fetch('x', { loader: () => 'nope' });
  // @ts-expect-error sizeOf returns a number
  new LRUCache<string, User>({ max: 1, sizeOf: () => 'big' });
  // @ts-expect-error size is read-only
  cache.size = 3;
  // @ts-expect-error stats is read-only
  cache.stats = stats;
  // @ts-expect-error ErrorCode lists the codes edge-lru throws
  const unknownCode: ErrorCode = 'ERR_PERM_NOPE';
  // @ts-expect-error load takes pairs of the cache's key and value types
  cache.load([[1, { id: 1 }]]);
  // @ts-expect-error internals are private
  cache.engine;
  void sure, wrong, typo, evictOnly, unknownCode;
}

/** `using` disposes the cache. */
export function scoped(): number {
  using scopedCache = new LRUCache<number, string>({ max: 2 });
  scopedCache[Symbol.dispose]();
  return scopedCache.size;
}

export const used = [
  chained,
  found,
  peeked,
  many,
  popped,
  loaded,
  byDefault,
  refreshed,
  stalePeek,
  remaining,
  info,
  firstOdd,
  bySize,
  entries,
  keys,
  values,
  pairs,
  counts,
  bytes,
  unknownValue,
  codes,
  reasons,
  typeErrors,
];
