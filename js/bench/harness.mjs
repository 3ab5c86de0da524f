// The host-independent core of the benchmark: deterministic key sets and operation
// streams, the timed loops, the correctness pass and the memory probe. It imports
// nothing, so Node, Deno and a browser page load this same file.
//
// One process (or browser context) runs one library: the timed loops below then see a
// single cache class at each call site, as an application using that library would.

/* ------------------------------------------------------------------ PRNG ---- */

/** sfc32: a small, fast, deterministic PRNG (Math.random is never used). */
export function prng(seed) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    u32: next,
    /** a float in [0, 1) */
    float: () => next() / 4294967296,
    /** an integer in [0, n) */
    below: (n) => Math.floor((next() / 4294967296) * n),
  };
}

/** FNV-1a of a string: seeds derived from names, so every library gets the same data. */
export function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function shuffle(array, rand) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rand.below(i + 1);
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}

function permutation(n, rand) {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffle(p, rand);
}

/* ------------------------------------------------------------------ keys ---- */

const WORDS = [
  'srv', 'www', 'data', 'projects', 'assets', 'static', 'images', 'users', 'home', 'shared',
  'reports', 'archive', '2024', '2025', 'q3', 'build', 'releases', 'docs', 'api', 'v2',
  'tenant-eu', 'tenant-us', 'billing', 'invoices', 'media', 'thumbnails', 'cache', 'tmp',
];
const EXTS = ['txt', 'json', 'png', 'pdf', 'md', 'csv', 'html', 'js'];
const UNICODE = [
  ['Zoë-Ångström-', '@exämple.de'],
  ['李小龍', '@例え.jp'],
  ['Müller-Lüdenscheidt.', '@bücher.de'],
  ['Ñandú', '@correo.es'],
  ['Δημήτρης', '@παράδειγμα.gr'],
  ['Юлия.', '@пример.рф'],
  ['🦀crab', '@emoji.dev'],
  ['محمد', '@مثال.com'],
  ['Łukasz.Żółć', '@poczta.pl'],
  ['김민준', '@예시.kr'],
];

/** Joins parts into a flat (sequential) string, so no key is a V8 cons string. */
const join = (...parts) => parts.join('');

/**
 * `count` distinct keys of one type (and origin), key i for index i:
 * - str: user names like `user12345@example.com`, flat and pre-hashed
 * - tpl: the same names built by a template literal, as a program builds them (V8 makes a
 *   cons string of any concatenation of 13 characters or more), not pre-hashed
 * - fresh: the same names decoded from bytes (as a server reads them from a request);
 *   the timed passes get a new string object for every operation (see freshKeys)
 * - path: slash-separated paths of 30-80 characters
 * - unicode: non-ASCII user names (two-byte strings in V8)
 * - int: distinct small integers scattered over [0, 2^30) (V8 Smis)
 * - u32: distinct unsigned 32-bit integers scattered over [0, 2^32) (half beyond int32)
 * - ms: distinct millisecond timestamps within 50 days of 2026-01-01 (about 1.77e12)
 * - i53: distinct integers scattered over [0, 2^53)
 * The flat string keys are hashed once up front (by a Map lookup), so V8's cached hash
 * is in place the same way for every library.
 */
/** The `str` names as UTF-8 bytes, key i in bytes [ends[i - 1], ends[i]). */
function encodeKeys(count) {
  const encoder = new TextEncoder();
  const parts = makeKeys('str', count).map((k) => encoder.encode(k));
  const ends = new Uint32Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) ends[i] = total += parts[i].length;
  const bytes = new Uint8Array(total);
  for (let i = 0; i < count; i++) bytes.set(parts[i], ends[i] - parts[i].length);
  return { bytes, ends };
}

const decoder = new TextDecoder();
const decodeKey = (bytes, ends, i) => decoder.decode(bytes.subarray(i === 0 ? 0 : ends[i - 1], ends[i]));

/**
 * Key origins whose timed passes see a new string object for every operation: before
 * each pass (untimed), the keys the pass uses are decoded anew, one per operation, and
 * the pass runs over them with the stream renumbered to 0, 1, 2, ...
 */
export const FRESH = new Set(['fresh']);

/** The keys and stream one pass of a `fresh` case runs over (see FRESH). */
function freshKeys(source, plan, ops) {
  const { bytes, ends } = source;
  const mix = plan.kind === 'mix';
  const keys = new Array(ops);
  const stream = new Uint32Array(ops);
  for (let i = 0; i < ops; i++) {
    const x = plan.stream[i];
    keys[i] = decodeKey(bytes, ends, mix ? x >>> 1 : x);
    stream[i] = mix ? (i << 1) | (x & 1) : i;
  }
  return { keys, stream };
}

export function makeKeys(type, count) {
  const rand = prng(seedOf('keys:' + type));
  const keys = new Array(count);
  switch (type) {
    case 'str':
      for (let i = 0; i < count; i++) keys[i] = join('user', 10000 + i, '@example.com');
      break;
    case 'tpl':
      for (let i = 0; i < count; i++) keys[i] = `user${10000 + i}@example.com`;
      return keys;
    case 'fresh': {
      const { bytes, ends } = encodeKeys(count);
      for (let i = 0; i < count; i++) keys[i] = decodeKey(bytes, ends, i);
      return keys;
    }
    case 'path':
      for (let i = 0; i < count; i++) {
        const target = 30 + rand.below(51);
        const tail = join('-', i, '.', EXTS[rand.below(EXTS.length)]);
        const parts = [];
        let length = tail.length + 5; // '/file'
        while (length < target) {
          const w = WORDS[rand.below(WORDS.length)];
          if (length + w.length + 1 > target && parts.length > 0) break;
          parts.push('/', w);
          length += w.length + 1;
        }
        parts.push('/file', tail);
        keys[i] = parts.join('');
      }
      break;
    case 'unicode':
      for (let i = 0; i < count; i++) {
        const [head, tail] = UNICODE[rand.below(UNICODE.length)];
        keys[i] = join(head, i, tail);
      }
      break;
    case 'int':
      // x -> x * odd mod 2^30 is a bijection on [0, 2^30): distinct, Smi-sized, scattered.
      for (let i = 0; i < count; i++) keys[i] = Math.imul(i + 1, 0x9e3779b1) & 0x3fffffff;
      return keys;
    case 'u32':
      for (let i = 0; i < count; i++) keys[i] = Math.imul(i + 1, 0x9e3779b1) >>> 0;
      return keys;
    case 'ms':
      for (let i = 0; i < count; i++) keys[i] = 1_767_225_600_000 + ((Math.imul(i + 1, 0x9e3779b1) >>> 0) % 4_320_000_000);
      return keys;
    case 'i53':
      // The high 21 bits are distinct for i < 2^21 (odd x -> x * odd mod 2^21 is a
      // bijection), the low 32 random.
      for (let i = 0; i < count; i++) keys[i] = (Math.imul(i + 1, 0x9e3779b1) & 0x1fffff) * 4294967296 + rand.u32();
      if (count > 1 << 21) throw new Error('at most 2^21 i53 keys');
      return keys;
    default:
      throw new Error(`unknown key type ${type}`);
  }
  {
    // A lookup in a non-empty Map computes and caches each string's hash.
    const probe = new Map([['', 0]]);
    let found = 0;
    for (let i = 0; i < count; i++) if (probe.has(keys[i])) found++;
    if (found !== 0) throw new Error('empty key');
  }
  return keys;
}

/* ------------------------------------------------------------- workloads ---- */

// Operation streams hold key indices (Uint32Array). Mixed streams pack the operation
// in the low bit: (index << 1) | isSet. Values stored are small integers (the op index
// or the key index), so no workload allocates values.

/** Zipf(s) sampler over ranks [0, n): inverse CDF by binary search. */
export function zipfSampler(n, s, rand) {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += 1 / Math.pow(r + 1, s);
    cdf[r] = total;
  }
  return () => {
    const u = rand.float() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const MAX_UNIVERSE = 1_000_000;

/**
 * Each workload: plan(size, ops, rand) -> { capacity, universe, preload, stream, kind },
 * where kind names the timed loop and the replay semantics.
 */
export const WORKLOADS = {
  'get-hit': {
    title: 'get, hit',
    evicts: false,
    plan(n, ops, rand) {
      const stream = new Uint32Array(ops);
      for (let i = 0; i < ops; i++) stream[i] = rand.below(n);
      return { capacity: n, universe: n, preload: permutation(n, rand), stream, kind: 'get' };
    },
  },
  'get-miss': {
    title: 'get, miss',
    evicts: false,
    plan(n, ops, rand) {
      const stream = new Uint32Array(ops);
      for (let i = 0; i < ops; i++) stream[i] = n + rand.below(n);
      return { capacity: n, universe: 2 * n, preload: permutation(n, rand), stream, kind: 'get' };
    },
  },
  update: {
    title: 'set existing key',
    evicts: false,
    plan(n, ops, rand) {
      const stream = new Uint32Array(ops);
      for (let i = 0; i < ops; i++) stream[i] = rand.below(n);
      return { capacity: n, universe: n, preload: permutation(n, rand), stream, kind: 'set' };
    },
  },
  delete: {
    title: 'delete + re-insert (1 op = both)',
    evicts: false,
    needsDelete: true,
    plan(n, ops, rand) {
      const stream = new Uint32Array(ops);
      for (let i = 0; i < ops; i++) stream[i] = rand.below(n);
      return { capacity: n, universe: n, preload: permutation(n, rand), stream, kind: 'delete' };
    },
  },
  'set-evict': {
    title: 'set new key, cache full (evicts)',
    evicts: true,
    // Universe: 100 x capacity (1k -> 100k distinct keys), at most 1M. The stream walks
    // a random permutation of the universe cyclically, so every set is a new key and
    // evicts one: a key comes back only after `universe` other sets.
    plan(n, ops, rand) {
      const universe = Math.max(2 * n, Math.min(100 * n, MAX_UNIVERSE));
      const perm = permutation(universe, rand);
      const stream = new Uint32Array(ops);
      for (let i = 0; i < ops; i++) stream[i] = perm[i % universe];
      return { capacity: n, universe, preload: perm.slice(universe - n), stream, kind: 'set' };
    },
  },
  zipf: {
    title: 'Zipf(0.99): 90% get, 10% set',
    evicts: true,
    // Universe 100 x capacity (10k -> 1M keys), at most 1M; ranks map to random keys.
    // 90% of operations are get(k), 10% set(k, v) (insert or update), k ~ Zipf(0.99).
    plan(n, ops, rand) {
      const universe = Math.max(2 * n, Math.min(100 * n, MAX_UNIVERSE));
      const perm = permutation(universe, rand);
      const zipf = zipfSampler(universe, 0.99, rand);
      const stream = new Uint32Array(ops);
      for (let i = 0; i < ops; i++) stream[i] = (perm[zipf()] << 1) | (rand.float() < 0.1 ? 1 : 0);
      return { capacity: n, universe, preload: new Uint32Array(0), stream, kind: 'mix' };
    },
  },
  'zipf-rt': {
    title: 'Zipf(0.99) read-through: get, set on miss',
    evicts: true,
    plan(n, ops, rand) {
      const universe = Math.max(2 * n, Math.min(100 * n, MAX_UNIVERSE));
      const perm = permutation(universe, rand);
      const zipf = zipfSampler(universe, 0.99, rand);
      const stream = new Uint32Array(ops);
      for (let i = 0; i < ops; i++) stream[i] = perm[zipf()];
      return { capacity: n, universe, preload: new Uint32Array(0), stream, kind: 'readthrough' };
    },
  },
  'hot-set': {
    title: 'hot set read-through: 90% of gets on capacity/4 hot keys',
    evicts: true,
    // Universe 10 x capacity (at most 1M); hot keys: capacity/4 of them. Each op gets a
    // key (hot with p = 0.9, else uniform over the universe) and sets it on a miss.
    plan(n, ops, rand) {
      const universe = Math.max(2 * n, Math.min(10 * n, MAX_UNIVERSE));
      const perm = permutation(universe, rand);
      const hot = Math.max(1, n >>> 2);
      const stream = new Uint32Array(ops);
      for (let i = 0; i < ops; i++) {
        stream[i] = rand.float() < 0.9 ? perm[rand.below(hot)] : perm[rand.below(universe)];
      }
      return { capacity: n, universe, preload: new Uint32Array(0), stream, kind: 'readthrough' };
    },
  },
};

/* ---------------------------------------------------------- timed loops ---- */

// Each returns [hits, sum]: the count of get hits and a sum of the values they
// returned, consumed (printed and compared) after timing so nothing is dead code.

function loopGet(cache, keys, stream, n) {
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = cache.get(keys[stream[i]]);
    if (v !== undefined) {
      hits++;
      sum = (sum + v) | 0;
    }
  }
  return [hits, sum];
}

function loopSet(cache, keys, stream, n) {
  for (let i = 0; i < n; i++) cache.set(keys[stream[i]], i);
  return [0, 0];
}

function loopDelete(cache, keys, stream, n) {
  for (let i = 0; i < n; i++) {
    const k = keys[stream[i]];
    cache.delete(k);
    cache.set(k, i);
  }
  return [0, 0];
}

function loopMix(cache, keys, stream, n) {
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = stream[i];
    const k = keys[x >>> 1];
    if ((x & 1) === 0) {
      const v = cache.get(k);
      if (v !== undefined) {
        hits++;
        sum = (sum + v) | 0;
      }
    } else {
      cache.set(k, i);
    }
  }
  return [hits, sum];
}

function loopReadThrough(cache, keys, stream, n) {
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[stream[i]];
    const v = cache.get(k);
    if (v === undefined) {
      cache.set(k, i);
    } else {
      hits++;
      sum = (sum + v) | 0;
    }
  }
  return [hits, sum];
}

const LOOPS = {
  get: loopGet,
  set: loopSet,
  delete: loopDelete,
  mix: loopMix,
  readthrough: loopReadThrough,
};

/* ------------------------------------------------------------ reference ---- */

/** The reference strict LRU for the correctness pass: a Map in recency order. */
class ReferenceLRU {
  constructor(max) {
    this.max = max;
    this.map = new Map();
  }
  get(key) {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key);
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }
  set(key, value) {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value);
  }
  delete(key) {
    return this.map.delete(key);
  }
}

/**
 * Replays the stream op by op (not with the timed loops, so their call sites stay
 * monomorphic) and returns the checksum and the latest value set per key.
 */
function replay(cache, plan, keys, n, onGet) {
  const { kind, stream } = plan;
  const latest = new Map();
  let hits = 0;
  let sum = 0;
  const get = (k, i) => {
    const v = cache.get(k);
    if (onGet) onGet(i, k, v, latest);
    if (v !== undefined) {
      hits++;
      sum = (sum + v) | 0;
    }
    return v;
  };
  const set = (k, v) => {
    cache.set(k, v);
    latest.set(k, v);
  };
  for (let j = 0; j < plan.preload.length; j++) set(keys[plan.preload[j]], plan.preload[j]);
  for (let i = 0; i < n; i++) {
    const x = stream[i];
    switch (kind) {
      case 'get':
        get(keys[x], i);
        break;
      case 'set':
        set(keys[x], i);
        break;
      case 'delete':
        cache.delete(keys[x]);
        latest.delete(keys[x]);
        set(keys[x], i);
        break;
      case 'mix':
        if ((x & 1) === 0) get(keys[x >>> 1], i);
        else set(keys[x >>> 1], i);
        break;
      case 'readthrough':
        if (get(keys[x], i) === undefined) set(keys[x], i);
        break;
    }
  }
  return { hits, sum, latest };
}

function preload(cache, plan, keys) {
  const p = plan.preload;
  for (let j = 0; j < p.length; j++) cache.set(keys[p[j]], p[j]);
}

/**
 * The correctness pass, on a short prefix of the real stream from the real starting
 * state:
 *  1. replay the library and the reference strict LRU side by side: a strict library
 *     must return exactly what the reference returns on every get; a non-strict one
 *     (quick-lru) must only ever return the latest value set for the key;
 *  2. run the timed loop itself over the same prefix on a fresh instance: its checksum
 *     must equal the library's replay checksum;
 *  3. compare the final contents with the reference: every key the reference holds
 *     must be there with its value (read oldest first, so order is kept), and a strict
 *     library must hold no other key (sampled) and report the same size;
 *  4. recency order: new keys must then evict the reference's entries, oldest first;
 *  5. delete must remove: has() false and get() undefined after delete().
 */
export function check(adapter, plan, keys, probes, n) {
  const errors = [];
  const fail = (msg) => {
    if (errors.length < 10) errors.push(msg);
  };
  const strict = adapter.info.strict;
  const opts = { needsDelete: plan.kind === 'delete' };

  const ref = new ReferenceLRU(plan.capacity);
  const refOut = new Array(n);
  const expected = replay(ref, plan, keys, n, (i, k, v) => {
    refOut[i] = v;
  });
  let mismatches = 0;
  const lib = adapter.create(plan.capacity, opts);
  const got = replay(lib, plan, keys, n, (i, k, v, latest) => {
    if (strict) {
      if (v !== refOut[i]) {
        mismatches++;
        fail(`op ${i}: get(${String(k)}) returned ${v}, reference ${refOut[i]}`);
      }
    } else if (v !== undefined && v !== latest.get(k)) {
      mismatches++;
      fail(`op ${i}: get(${String(k)}) returned ${v}, latest value set was ${latest.get(k)}`);
    }
  });
  if (strict && (got.hits !== expected.hits || got.sum !== expected.sum)) {
    fail(`replay checksum ${got.hits}/${got.sum}, reference ${expected.hits}/${expected.sum}`);
  }

  // 2. the timed loop on a fresh instance
  const fresh = adapter.create(plan.capacity, opts);
  preload(fresh, plan, keys);
  const [hits, sum] = LOOPS[plan.kind](fresh, keys, plan.stream, n);
  const loopCounts = plan.kind === 'get' || plan.kind === 'mix' || plan.kind === 'readthrough';
  if (loopCounts && (hits !== got.hits || sum !== got.sum)) {
    fail(`timed loop checksum ${hits}/${sum}, replay ${got.hits}/${got.sum}`);
  }

  // 3. final contents of the timed-loop instance against the reference
  const refSize = ref.map.size;
  const size = fresh.size;
  if (strict && size !== refSize) fail(`size ${size}, reference ${refSize}`);
  if (!strict && !(size <= plan.capacity * 2)) fail(`size ${size} above 2 x capacity ${plan.capacity}`);
  let present = 0;
  const refEntries = [...ref.map]; // oldest first
  const sampleOthers = [];
  if (strict) {
    const inRef = ref.map;
    for (let j = 0; j < keys.length && sampleOthers.length < 20000; j += 1 + (keys.length >>> 15)) {
      if (!inRef.has(keys[j])) sampleOthers.push(keys[j]);
    }
    for (const k of sampleOthers) if (fresh.has(k)) fail(`holds ${String(k)}, which the reference evicted`);
  }
  for (const [k, v] of refEntries) {
    const w = fresh.get(k);
    if (w === v) present++;
    else if (strict) fail(`final get(${String(k)}) = ${w}, reference ${v}`);
    else if (w !== undefined && w !== got.latest.get(k)) fail(`final get(${String(k)}) = ${w}, stale`);
  }

  // 4. recency order: a strict LRU must now evict exactly the reference's entries, oldest
  //    first (the reads above, oldest first, kept the order). Catches a cache that skips
  //    the recency update on get or set even where the workload itself never evicts.
  if (strict && !adapter.info.unbounded && errors.length === 0) {
    let p = 0;
    const probe = () => fresh.set(probes[p], -1 - p++);
    while (fresh.size < plan.capacity && p < probes.length) probe();
    for (let j = 0; j < refEntries.length && p < probes.length; j++) {
      probe();
      const gone = refEntries[j][0];
      const next = j + 1 < refEntries.length ? refEntries[j + 1][0] : probes[p - 1];
      if (fresh.has(gone) || !fresh.has(next)) {
        fail(`eviction order: after ${p} new keys, expected ${String(gone)} evicted and ${String(next)} kept`);
        break;
      }
    }
  }

  // 5. delete semantics (on the replay instance; mnemonist's plain classes have none)
  if (refEntries.length > 0 && typeof lib.delete === 'function') {
    const k = refEntries[refEntries.length - 1][0];
    if (lib.has(k)) {
      lib.delete(k);
      if (lib.has(k) || lib.get(k) !== undefined) fail(`delete(${String(k)}) left the key in place`);
    } else if (strict) {
      fail(`has(${String(k)}) false for a key the reference holds`);
    }
  }
  if (typeof lib.free === 'function') lib.free();
  if (typeof fresh.free === 'function') fresh.free();

  return {
    ok: errors.length === 0,
    ops: n,
    strict,
    hits: got.hits,
    refHits: expected.hits,
    getMismatches: mismatches,
    finalSize: size,
    refSize,
    refKeysPresent: present,
    othersSampled: sampleOthers.length,
    errors,
  };
}

/* ------------------------------------------------------------ measuring ---- */

const hr = globalThis.process?.hrtime?.bigint;
/** Milliseconds from the best clock the host has. */
export const now = typeof hr === 'function' ? () => Number(hr()) / 1e6 : () => performance.now();
export const clockName = typeof hr === 'function' ? 'process.hrtime.bigint' : 'performance.now';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >>> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function caseId(c) {
  return `${c.workload}/${c.keys}/${c.size}`;
}

/**
 * Prepares one library on one case: build keys and stream, correctness pass, fresh
 * instance + preload, `warmup` untimed passes over the stream. Returns the result so
 * far and, unless the correctness pass failed, `rep()` (one timed pass of `ops`
 * operations on the same, continuing cache; returns ns/op) and `finish()`.
 *
 * run.mjs keeps one prepared process per library alive and calls rep() on each in
 * turn, so the repetitions of all libraries of a case interleave in time and a burst
 * of load on the machine hits all of them alike.
 */
export function prepare(adapter, spec) {
  const { workload, size, keys: keyType, ops, warmup = 1, checkOps = 100_000 } = spec;
  const w = WORKLOADS[workload];
  if (!w) throw new Error(`unknown workload ${workload}`);
  const t0 = now();
  const rand = prng(seedOf(`${workload}:${size}:${keyType}:${ops}`));
  const plan = w.plan(size, ops, rand);
  // Keys past the universe are never in the stream: the correctness pass probes with them.
  const all = makeKeys(keyType, plan.universe + plan.capacity);
  const keys = all.slice(0, plan.universe);
  const probes = all.slice(plan.universe);
  const setupMs = now() - t0;

  const t1 = now();
  const correctness = check(adapter, plan, keys, probes, Math.min(ops, checkOps));
  const checkMs = now() - t1;
  const result = {
    lib: adapter.info.name,
    workload,
    keys: keyType,
    size,
    capacity: plan.capacity,
    universe: plan.universe,
    ops,
    warmup,
    check: correctness,
    setupMs: Math.round(setupMs),
    checkMs: Math.round(checkMs),
  };
  if (!correctness.ok) {
    result.error = 'correctness check failed; not timed';
    return { result };
  }

  let cache = adapter.create(plan.capacity, { needsDelete: plan.kind === 'delete' });
  preload(cache, plan, keys);
  const loop = LOOPS[plan.kind];
  const stream = plan.stream;
  // Per pass (warm-up and timed): [get hits, sum of returned values]. Every strict
  // library runs the same passes from the same state, so these must agree across them.
  const checksums = [];
  // A fresh-key origin decodes the keys of each pass anew, before the pass is timed.
  const source = FRESH.has(keyType) ? encodeKeys(plan.universe) : null;
  const pass = () => {
    if (source === null) return loop(cache, keys, stream, ops);
    const fresh = freshKeys(source, plan, ops);
    return loop(cache, fresh.keys, fresh.stream, ops);
  };
  const t2 = now();
  for (let r = 0; r < warmup; r++) checksums.push(pass());
  result.warmupMs = Math.round(now() - t2);

  const rep = () => {
    const fresh = source === null ? null : freshKeys(source, plan, ops);
    const a = now();
    const c = fresh === null ? loop(cache, keys, stream, ops) : loop(cache, fresh.keys, fresh.stream, ops);
    const b = now();
    checksums.push(c);
    return Math.round((((b - a) * 1e6) / ops) * 1000) / 1000;
  };
  /** The checksums of every pass and the final size; frees the cache. */
  const finish = () => {
    const out = { checksums, passes: checksums.length, finalSize: cache.size };
    if (typeof cache.free === 'function') cache.free();
    cache = null;
    return out;
  };
  return { result, rep, finish };
}

/** Summarises timed passes: the median (ns/op) and ops/s. */
export function summarize(result, nsPerOp) {
  const ns = median(nsPerOp);
  result.reps = nsPerOp.length;
  result.nsPerOp = nsPerOp;
  result.ns = Math.round(ns * 1000) / 1000;
  result.opsPerSec = Math.round(1e9 / ns);
  return result;
}

/** prepare() and `reps` timed passes back to back, in one process (smoke runs). */
export function measure(adapter, spec) {
  const { result, rep, finish } = prepare(adapter, spec);
  if (!rep) return result;
  const nsPerOp = [];
  for (let r = 0; r < (spec.reps ?? 5); r++) nsPerOp.push(rep());
  return Object.assign(summarize(result, nsPerOp), finish());
}

/**
 * Memory: what loading `count` entries adds to the JS heap, to ArrayBuffer backing
 * stores (typed arrays live outside the heap: lru-cache's and mnemonist's links,
 * edge-lru's integer table) and, for edge-lru, to wasm memory. Keys are created and
 * hashed before the baseline and values are small integers, so the figure is the cache
 * structure's own cost. `hooks` gives gc(), heapUsed() and, where the host can tell,
 * bufferBytes() (absent where it cannot: then typed arrays are not counted).
 */
export function memory(adapter, keyType, count, hooks) {
  const keys = makeKeys(keyType, count);
  const wasm = typeof adapter.wasmBytes === 'function' ? adapter.wasmBytes : () => 0;
  const buffers = hooks.bufferBytes ?? (() => null);
  hooks.gc();
  hooks.gc();
  const heap0 = hooks.heapUsed();
  const buffers0 = buffers();
  const wasm0 = wasm();
  const cache = adapter.create(count);
  for (let i = 0; i < count; i++) cache.set(keys[i], i);
  hooks.gc();
  hooks.gc();
  const heap1 = hooks.heapUsed();
  const buffers1 = buffers();
  const wasm1 = wasm();
  const ok = cache.get(keys[count - 1]) === count - 1 && cache.has(keys[0]);
  const heapBytes = heap1 - heap0;
  const bufferBytes = buffers0 === null ? null : buffers1 - buffers0;
  const wasmBytes = wasm1 - wasm0;
  return {
    lib: adapter.info.name,
    keys: keyType,
    entries: count,
    ok,
    size: cache.size,
    heapBytes,
    bufferBytes,
    wasmBytes,
    wasmTotal: wasm1,
    bytesPerEntry: Math.round(((heapBytes + (bufferBytes ?? 0) + wasmBytes) / count) * 10) / 10,
  };
}
