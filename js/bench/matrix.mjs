// What gets measured: the libraries, the peers that define "fastest peer", the performance
// targets, and the case lists for each run mode.

/** Every adapter in js/bench/adapters, in table order. */
export const LIBS = [
  'edge-lru',
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
export const KEY_TYPES = ['str', 'path', 'unicode', 'int'];
export const SIZES = [1_000, 10_000, 100_000];

const c = (workload, keys, size, skip) => (skip ? { workload, keys, size, skip } : { workload, keys, size });

// The naive Map LRU degrades badly when it evicts from a large Map (deleted entries stay
// at the front of V8's ordered hash table until it is rebuilt, and keys().next() steps
// over them): 1-5 us per op at cap 10k over 1M keys, 30+ s per measurement. The default
// matrix leaves it out of those two cases; it still runs every other case.
const SLOW_NAIVE = ['naive-map'];

/** The workloads with performance targets (ratio of edge-lru to the fastest peer). */
export const TARGETS = [
  { ...c('get-hit', 'str', 10_000), max: 1.0, label: 'get hit, string keys, 10k entries' },
  { ...c('set-evict', 'str', 1_000), max: 0.9, label: 'set with eviction, string keys, cap 1k, 100k distinct keys' },
  { ...c('zipf', 'str', 10_000), max: 0.9, label: 'Zipf(0.99) 90% get / 10% set, cap 10k, 1M keys' },
  { ...c('get-hit', 'int', 10_000), max: 0.5, label: 'numeric keys: get hit, 10k entries' },
  { ...c('set-evict', 'int', 1_000), max: 0.5, label: 'numeric keys: set with eviction, cap 1k, 100k keys' },
];

/** Default (full run on every host): the targets plus the other axes, 178 runs per host. */
export const DEFAULT = [
  ...TARGETS.map(({ workload, keys, size }) => c(workload, keys, size)),
  c('get-hit', 'str', 1_000),
  c('get-hit', 'str', 100_000),
  c('get-hit', 'path', 10_000),
  c('get-hit', 'unicode', 10_000),
  c('get-miss', 'str', 10_000),
  c('get-miss', 'int', 10_000),
  c('update', 'str', 10_000),
  c('update', 'int', 10_000),
  c('delete', 'str', 10_000),
  c('delete', 'int', 10_000),
  c('set-evict', 'str', 10_000, SLOW_NAIVE),
  c('set-evict', 'path', 1_000),
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
  ...['get-hit', 'set-evict'].flatMap((w) => ['path', 'unicode'].map((k) => c(w, k, 100))),
];

export const MATRICES = { default: DEFAULT, targets: TARGETS.map(({ workload, keys, size }) => c(workload, keys, size)), full: FULL };

export const caseKey = (x) => `${x.workload}/${x.keys}/${x.size}`;

/** The libraries that take part in case `c`: raw Map only where nothing is evicted. */
export function libsFor(c, libs = LIBS) {
  return libs.filter((lib) => (lib !== 'map' || NO_EVICTION.has(c.workload)) && !c.skip?.includes(lib));
}
