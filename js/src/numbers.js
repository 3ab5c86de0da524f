// NumberIndex: number key -> slot.
//
// A JS `Map` hashes a number through a runtime call and walks a chain of entries. Most
// number keys are int32 values (ids, counters, hashes), and those this index keeps in
// an open-addressing table over one Int32Array, key and slot side by side: one
// multiplication picks the bucket, and a lookup usually reads a single cache line, with
// no allocation per entry and nothing for the garbage collector to trace. Linear probing
// at a load factor of at most 3/8 (at 1/2, mispredicted branches in the longer clusters
// made an insert with eviction 45% slower; at 1/4, a table of 10k keys outgrew the L2
// cache), deletion by backward shift (no tombstones, so probe sequences never degrade). Every other number (fractions, integers beyond int32, NaN,
// infinities) goes to a Map, which compares keys as SameValueZero; -0 is an int32 here
// and is stored as 0, as a Map would.

const MIN_BITS = 3;
/** The slot of an empty bucket. */
const EMPTY = -1;

/** The bucket of an int32 key in a table of 2^(32 - shift) buckets (Fibonacci hashing). */
const bucket = (key, shift) => Math.imul(key, 0x9e3779b1) >>> shift;

export class NumberIndex {
  /**
   * bucket i -> key at [2i], slot at [2i + 1], EMPTY in an empty bucket. Slots fit in
   * an int32: 32-bit wasm memory cannot hold 2^31 entries.
   */
  #table;
  /** buckets - 1 */
  #mask;
  /** 32 - log2(buckets) */
  #shift;
  /** int32 keys in the table */
  #count = 0;
  /** other numbers -> slot */
  #other = new Map();

  constructor() {
    this.#alloc(MIN_BITS);
  }

  /** The number of keys. */
  get size() {
    return this.#count + this.#other.size;
  }

  /** The slot of `key`, or undefined. `key` must be a number. */
  get(key) {
    if ((key | 0) !== key) return this.#other.get(key);
    const table = this.#table;
    const mask = this.#mask;
    let i = bucket(key, this.#shift);
    for (;;) {
      const slot = table[2 * i + 1];
      if (slot === EMPTY) return undefined;
      if (table[2 * i] === key) return slot;
      i = (i + 1) & mask;
    }
  }

  /** Maps `key`, which must be absent, to `slot`. */
  add(key, slot) {
    if ((key | 0) !== key) {
      this.#other.set(key, slot);
      return;
    }
    if (8 * (this.#count + 1) > 3 * (this.#mask + 1)) this.#grow();
    this.#place(key | 0, slot);
    this.#count++;
  }

  /** Removes `key`; returns whether it was present. */
  delete(key) {
    if ((key | 0) !== key) return this.#other.delete(key);
    const table = this.#table;
    const mask = this.#mask;
    const shift = this.#shift;
    let hole = bucket(key, shift);
    for (;;) {
      if (table[2 * hole + 1] === EMPTY) return false;
      if (table[2 * hole] === key) break;
      hole = (hole + 1) & mask;
    }
    // Backward shift: move each later member of the cluster into the hole unless its
    // home bucket lies (cyclically) after the hole.
    for (let j = (hole + 1) & mask; table[2 * j + 1] !== EMPTY; j = (j + 1) & mask) {
      const home = bucket(table[2 * j], shift);
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
  clear() {
    this.#alloc(MIN_BITS);
    this.#count = 0;
    this.#other.clear();
  }

  #place(key, value) {
    const table = this.#table;
    const mask = this.#mask;
    let i = bucket(key, this.#shift);
    while (table[2 * i + 1] !== EMPTY) i = (i + 1) & mask;
    table[2 * i] = key;
    table[2 * i + 1] = value;
  }

  #alloc(bits) {
    this.#table = new Int32Array(2 << bits).fill(EMPTY);
    this.#mask = (1 << bits) - 1;
    this.#shift = 32 - bits;
  }

  #grow() {
    const old = this.#table;
    this.#alloc(33 - this.#shift);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== EMPTY) this.#place(old[i], old[i + 1]);
  }
}
