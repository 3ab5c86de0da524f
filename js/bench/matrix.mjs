// What gets measured: the libraries, the peers that define "fastest peer", the performance
// targets, and the case lists for each run mode.

/** Every adapter in js/bench/adapters, in table order. */
export const LIBS = [
  'edge-lru',
  'edge-lru-baseline',
  'lru-cache',
  'lru.min',
  'mnemonist',
  'mnemonist-map',
  'quick-lru',
  'tiny-lru',
  'naive-map',
  'map',
];

/**
 * "Fastest peer" = the best of the five libraries lru-cache, lru.min, mnemonist,
 * quick-lru and tiny-lru. Both of mnemonist's LRU classes (LRUCache, LRUMap) count.
 */
export const PEERS = ['lru-cache', 'lru.min', 'mnemonist', 'mnemonist-map', 'quick-lru', 'tiny-lru'];

/** Workloads that never evict: the only ones raw Map (no eviction) takes part in. */
export const NO_EVICTION = new Set(['get-hit', 'get-miss', 'update', 'delete']);

export const WORKLOAD_ORDER = ['get-hit', 'get-miss', 'update', 'delete', 'set-evict', 'zipf', 'zipf-rt', 'hot-set'];
export const KEY_TYPES = ['str', 'tpl', 'fresh', 'path', 'unicode', 'int', 'u32', 'ms', 'i53'];

/**
 * Key origins (see makeKeys in harness.mjs): how a program makes its string keys (flat and
 * pre-hashed, built by a template literal, decoded fresh for every operation, long paths)
 * and which integers it uses as keys (Smis, unsigned 32-bit ids, millisecond timestamps,
 * 53-bit ids). Every target holds for every origin of its kind.
 */
export const STRING_ORIGINS = ['str', 'tpl', 'fresh', 'path'];
export const INT_ORIGINS = ['int', 'u32', 'ms', 'i53'];
const ORIGIN_NAMES = {
  str: 'flat',
  tpl: 'template-literal',
  fresh: 'fresh per op',
  path: 'path-like',
  int: 'smi',
  u32: 'u32',
  ms: 'timestamp-ms',
  i53: '53-bit',
};
/** Memory per entry is measured for every origin. */
export const MEMORY_KEYS = [...STRING_ORIGINS, ...INT_ORIGINS];
export const SIZES = [1_000, 10_000, 100_000];

const c = (workload, keys, size, skip) => (skip ? { workload, keys, size, skip } : { workload, keys, size });

// The naive Map LRU degrades badly when it evicts from a large Map (deleted entries stay
// at the front of V8's ordered hash table until it is rebuilt, and keys().next() steps
// over them): 1-5 us per op at cap 10k over 1M keys, 30+ s per measurement. The default
// matrix leaves it out of those two cases; it still runs every other case.
const SLOW_NAIVE = ['naive-map'];

/** The workloads with performance targets (ratio of edge-lru to the fastest strict peer), for every origin. */
export const TARGETS = [
  ...STRING_ORIGINS.flatMap((k) => [
    { ...c('get-hit', k, 10_000), max: 1.0, label: `get hit, ${ORIGIN_NAMES[k]} string keys, 10k entries` },
    { ...c('set-evict', k, 1_000), max: 1.0, label: `set with eviction, ${ORIGIN_NAMES[k]} string keys, cap 1k, 100k keys` },
    { ...c('zipf', k, 10_000), max: 1.0, label: `Zipf(0.99) 90% get / 10% set, ${ORIGIN_NAMES[k]} string keys, cap 10k, 1M keys` },
  ]),
  ...INT_ORIGINS.flatMap((k) => [
    { ...c('get-hit', k, 10_000), max: 0.5, label: `${ORIGIN_NAMES[k]} integer keys: get hit, 10k entries` },
    { ...c('set-evict', k, 1_000), max: 0.8, label: `${ORIGIN_NAMES[k]} integer keys: set with eviction, cap 1k, 100k keys` },
  ]),
];

/** Default (full run on every host): the targets plus the other axes. */
export const DEFAULT = [
  ...TARGETS.map(({ workload, keys, size }) => c(workload, keys, size)),
  c('get-hit', 'str', 1_000),
  c('get-hit', 'str', 100_000),
  c('get-hit', 'unicode', 10_000),
  c('get-miss', 'str', 10_000),
  c('get-miss', 'int', 10_000),
  c('update', 'str', 10_000),
  c('update', 'int', 10_000),
  c('delete', 'str', 10_000),
  c('delete', 'int', 10_000),
  c('set-evict', 'str', 10_000, SLOW_NAIVE),
  c('set-evict', 'unicode', 1_000),
  c('zipf', 'int', 10_000),
  c('zipf-rt', 'str', 10_000, SLOW_NAIVE),
  c('hot-set', 'str', 10_000),
];

/** Everything: every workload x key type x size (about 850 runs per host, over an hour). */
export const FULL = WORKLOAD_ORDER.flatMap((w) => KEY_TYPES.flatMap((k) => SIZES.map((s) => c(w, k, s))));

/**
 * Smoke: every workload with string and integer keys (edge-lru has a separate path for
 * each), the other key types on two workloads; tiny, all in one process per library.
 */
export const SMOKE = [
  ...WORKLOAD_ORDER.flatMap((w) => ['str', 'int'].map((k) => c(w, k, 100))),
  ...['get-hit', 'set-evict'].flatMap((w) => KEY_TYPES.filter((k) => k !== 'str' && k !== 'int').map((k) => c(w, k, 100))),
];

export const MATRICES = { default: DEFAULT, targets: TARGETS.map(({ workload, keys, size }) => c(workload, keys, size)), full: FULL };

export const caseKey = (x) => `${x.workload}/${x.keys}/${x.size}`;

/** The libraries that take part in case `c`: raw Map only where nothing is evicted. */
export function libsFor(c, libs = LIBS) {
  return libs.filter((lib) => (lib !== 'map' || NO_EVICTION.has(c.workload)) && !c.skip?.includes(lib));
}
