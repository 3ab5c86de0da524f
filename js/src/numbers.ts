// NumberIndex: number key -> slot.
//
// A JS `Map` hashes a number through a runtime call and walks a chain of entries. Most
// number keys are int32 values (ids, counters, hashes), and those this index keeps in
// an open-addressing table over one Int32Array, key and slot side by side: one
// multiplication picks the bucket, and a lookup usually reads a single cache line, with
// no allocation per entry and nothing for the garbage collector to trace. Linear probing
// at a load factor of at most 3/8 (at 1/2, mispredicted branches in the longer clusters
// made an insert with eviction 45% slower; at 1/4, a table of 10k keys outgrew the L2
// cache), deletion by backward shift (no tombstones, so probe sequences never degrade).
// Every other number (fractions, integers beyond int32, NaN, infinities) goes to a Map,
// which compares keys as SameValueZero; -0 is an int32 here and is stored as 0, as a Map
// would.
//
// Hash flooding: the multiplier starts as the Fibonacci constant, so anyone who knows it
// can choose keys that share a bucket (k = j * A^-1 mod 2^32 for small j), and every
// insert would walk one ever longer cluster. An insert that probes more than LONG_PROBE
// buckets therefore draws a random odd multiplier and rehashes the table. Keys that were
// not chosen against the multiplier stay far from that bound (among 2 million random
// keys at a load of 3/8, no key was more than 12 buckets from home), and multiply-shift
// hashing with a random odd multiplier is nearly universal (Dietzfelbinger et al.): keys
// chosen without knowing the multiplier collide about as rarely as random ones.

const MIN_BITS = 3;
/** The slot of an empty bucket. */
const EMPTY = -1;
/** 2^32 / golden ratio, odd: consecutive keys land far apart. */
const FIBONACCI = 0x9e3779b1 | 0;
/** An insert probing more buckets than this rehashes with a random multiplier. */
export const LONG_PROBE = 128;

/**
 * A random odd 32-bit multiplier. Never throws: workerd refuses `getRandomValues` outside
 * a request, and a throw here would leave an insert half done.
 */
function randomMultiplier(): number {
  const word = new Uint32Array(1);
  try {
    crypto.getRandomValues(word);
  } catch {
    word[0] = Math.random() * 2 ** 32;
  }
  return word[0] | 1;
}

export class NumberIndex {
  /**
   * bucket i -> key at [2i], slot at [2i + 1], EMPTY in an empty bucket. Slots fit in
   * an int32: 32-bit wasm memory cannot hold 2^31 entries.
   */
  #table!: Int32Array;
  /** buckets - 1 */
  #mask!: number;
  /** 32 - log2(buckets) */
  #shift!: number;
  /** the odd multiplier of the hash: FIBONACCI until a long probe rehashes */
  #multiplier = FIBONACCI;
  /** how many times a long probe made the table rehash */
  #reseeds = 0;
  /** int32 keys in the table */
  #count = 0;
  /** other numbers -> slot */
  #other = new Map<number, number>();

  constructor() {
    this.#alloc(MIN_BITS);
  }

  /** The number of keys. */
  get size(): number {
    return this.#count + this.#other.size;
  }

  /** How many times a long probe sequence made the table rehash with a new multiplier. */
  get reseeds(): number {
    return this.#reseeds;
  }

  /** The most buckets any stored int32 key is from its home bucket (for tests). */
  longestProbe(): number {
    let longest = 0;
    for (let i = 0; i <= this.#mask; i++) {
      if (this.#table[2 * i + 1] === EMPTY) continue;
      longest = Math.max(longest, (i - this.#bucket(this.#table[2 * i])) & this.#mask);
    }
    return longest;
  }

  /** The slot of `key`, or undefined. `key` must be a number. */
  get(key: number): number | undefined {
    if ((key | 0) !== key) return this.#other.get(key);
    const table = this.#table;
    const mask = this.#mask;
    let i = Math.imul(key, this.#multiplier) >>> this.#shift;
    for (;;) {
      const slot = table[2 * i + 1];
      if (slot === EMPTY) return undefined;
      if (table[2 * i] === key) return slot;
      i = (i + 1) & mask;
    }
  }

  /** Maps `key`, which must be absent, to `slot`. */
  add(key: number, slot: number): void {
    if ((key | 0) !== key) {
      this.#other.set(key, slot);
      return;
    }
    if (8 * (this.#count + 1) > 3 * (this.#mask + 1)) this.#grow();
    this.#count++;
    if (this.#place(key | 0, slot) > LONG_PROBE) this.#rehash(randomMultiplier());
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: number): boolean {
    if ((key | 0) !== key) return this.#other.delete(key);
    const table = this.#table;
    const mask = this.#mask;
    const shift = this.#shift;
    const multiplier = this.#multiplier;
    let hole = Math.imul(key, multiplier) >>> shift;
    for (;;) {
      if (table[2 * hole + 1] === EMPTY) return false;
      if (table[2 * hole] === key) break;
      hole = (hole + 1) & mask;
    }
    // Backward shift: move each later member of the cluster into the hole unless its
    // home bucket lies (cyclically) after the hole.
    for (let j = (hole + 1) & mask; table[2 * j + 1] !== EMPTY; j = (j + 1) & mask) {
      const home = Math.imul(table[2 * j], multiplier) >>> shift;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        table[2 * hole] = table[2 * j];
        table[2 * hole + 1] = table[2 * j + 1];
        hole = j;
      }
    }
    table[2 * hole + 1] = EMPTY;
    this.#count--;
    return true;
  }

  /** Removes every key and returns the table to its smallest size. */
  clear(): void {
    this.#alloc(MIN_BITS);
    this.#count = 0;
    this.#other.clear();
  }

  /** The home bucket of an int32 key. */
  #bucket(key: number): number {
    return Math.imul(key, this.#multiplier) >>> this.#shift;
  }

  /** Stores `key` in the first empty bucket from its home; returns how far that was. */
  #place(key: number, value: number): number {
    const table = this.#table;
    const mask = this.#mask;
    let i = this.#bucket(key);
    let probes = 0;
    while (table[2 * i + 1] !== EMPTY) {
      i = (i + 1) & mask;
      probes++;
    }
    table[2 * i] = key;
    table[2 * i + 1] = value;
    return probes;
  }

  #alloc(bits: number): void {
    this.#table = new Int32Array(2 << bits).fill(EMPTY);
    this.#mask = (1 << bits) - 1;
    this.#shift = 32 - bits;
  }

  #grow(): void {
    this.#rebuild(33 - this.#shift);
  }

  /** Rehashes every key with a new multiplier. */
  #rehash(multiplier: number): void {
    this.#multiplier = multiplier;
    this.#reseeds++;
    this.#rebuild(32 - this.#shift);
  }

  /** Moves every key into a new table of 2^bits buckets. */
  #rebuild(bits: number): void {
    const old = this.#table;
    this.#alloc(bits);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== EMPTY) this.#place(old[i], old[i + 1]);
  }
}
