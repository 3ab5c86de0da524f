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
// Integers beyond int32 up to 2^53 go to a second such table over a Float64Array (see
// WideIndex). Every other number (fractions, larger values, NaN, infinities) goes to a Map,
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
  /** The most keys the index holds at once (the cache's count bound; see `limit`). */
  #limit = Infinity;
  /** integers beyond int32 (u32 ids, millisecond timestamps, 53-bit ids) -> slot */
  #wide = new WideIndex();
  /** other numbers -> slot */
  #other = new Map<number, number>();

  constructor() {
    this.#alloc(MIN_BITS);
  }

  /** The number of keys. */
  get size(): number {
    return this.#count + this.#wide.size + this.#other.size;
  }

  /**
   * Sets the most keys the index will hold at once. A table that can hold as many as the
   * other tables leave room for at a load of at most 2/5 grows no further: grown at 3/8,
   * a full cache's table could be twice as large (for 100,000 keys, 2^19 buckets, 42
   * bytes a key, against 2^18 and 21). Up to 2/5 the probes stay as short as at 3/8;
   * letting a full table reach 1/2 made inserts that evict 25-55% slower (1,000 entries
   * in 2^11 buckets, a load of 0.49).
   */
  set limit(limit: number) {
    this.#limit = limit;
  }

  /** How many times a long probe sequence made the table rehash with a new multiplier. */
  get reseeds(): number {
    return this.#reseeds + this.#wide.reseeds;
  }

  /** The buckets of the int32 table and of the wide table (for tests). */
  get buckets(): [number, number] {
    return [this.#mask + 1, this.#wide.buckets];
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
    if ((key | 0) !== key) return isWide(key) ? this.#wide.get(key) : this.#other.get(key);
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
      if (isWide(key)) this.#wide.add(key, slot, this.#limit - this.#count - this.#other.size);
      else this.#other.set(key, slot);
      return;
    }
    if (
      8 * (this.#count + 1) > 3 * (this.#mask + 1) &&
      mayGrow(this.#mask + 1, this.#limit - this.#wide.size - this.#other.size)
    ) {
      this.#grow();
    }
    this.#count++;
    if (this.#place(key | 0, slot) > LONG_PROBE) this.#rehash(randomMultiplier());
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: number): boolean {
    if ((key | 0) !== key) return isWide(key) ? this.#wide.delete(key) : this.#other.delete(key);
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
    this.#wide.clear();
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

/**
 * Whether a table of `buckets` past a load of 3/8 may double: not when it can already hold
 * `room` keys, the most it will hold (see NumberIndex's limit), at a load of at most 2/5.
 */
function mayGrow(buckets: number, room: number): boolean {
  return 5 * room > 2 * buckets;
}

/** Whether a number that is not an int32 is an integer of at most 53 bits (a WideIndex key). */
function isWide(key: number): boolean {
  return Math.floor(key) === key && Math.abs(key) <= Number.MAX_SAFE_INTEGER;
}

/**
 * Integers beyond int32 up to 2^53 (unsigned 32-bit ids, millisecond timestamps, 53-bit
 * ids): the same open addressing as NumberIndex (load at most 3/8, backward-shift
 * deletion, a random multiplier after a long probe), with each key in a Float64Array
 * and its slot in an Int32Array; the bucket is a multiply-shift hash of the key's low
 * 32 bits mixed with its high bits.
 */
class WideIndex {
  #keys!: Float64Array;
  /** bucket -> slot, EMPTY in an empty bucket */
  #slots!: Int32Array;
  #mask!: number;
  #shift!: number;
  #multiplier = FIBONACCI;
  #reseeds = 0;
  #count = 0;

  constructor() {
    this.#alloc(MIN_BITS);
  }

  get size(): number {
    return this.#count;
  }

  get reseeds(): number {
    return this.#reseeds;
  }

  get buckets(): number {
    return this.#mask + 1;
  }

  get(key: number): number | undefined {
    const slots = this.#slots;
    const i = this.#find(key);
    return slots[i] === EMPTY ? undefined : slots[i];
  }

  /** Maps `key`, which must be absent, to `slot`; `room`: the most keys this table will hold (see NumberIndex's limit). */
  add(key: number, slot: number, room: number): void {
    if (8 * (this.#count + 1) > 3 * (this.#mask + 1) && mayGrow(this.#mask + 1, room)) this.#rebuild(33 - this.#shift);
    this.#count++;
    if (this.#place(key, slot) > LONG_PROBE) {
      this.#multiplier = randomMultiplier();
      this.#reseeds++;
      this.#rebuild(32 - this.#shift);
    }
  }

  delete(key: number): boolean {
    const keys = this.#keys;
    const slots = this.#slots;
    const mask = this.#mask;
    let hole = this.#find(key);
    if (slots[hole] === EMPTY) return false;
    for (let j = (hole + 1) & mask; slots[j] !== EMPTY; j = (j + 1) & mask) {
      if (((j - this.#bucket(keys[j])) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j];
        slots[hole] = slots[j];
        hole = j;
      }
    }
    slots[hole] = EMPTY;
    this.#count--;
    return true;
  }

  clear(): void {
    this.#alloc(MIN_BITS);
    this.#count = 0;
  }

  #bucket(key: number): number {
    const low = key >>> 0;
    const high = (key - low) / 4294967296;
    return Math.imul(low ^ Math.imul(high | 0, 0x85ebca6b), this.#multiplier) >>> this.#shift;
  }

  /** The bucket holding `key`, or the empty bucket where its probe ends. */
  #find(key: number): number {
    const keys = this.#keys;
    const slots = this.#slots;
    const mask = this.#mask;
    let i = this.#bucket(key);
    while (slots[i] !== EMPTY && keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  #place(key: number, slot: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = this.#bucket(key);
    let probes = 0;
    while (slots[i] !== EMPTY) {
      i = (i + 1) & mask;
      probes++;
    }
    this.#keys[i] = key;
    slots[i] = slot;
    return probes;
  }

  #alloc(bits: number): void {
    this.#keys = new Float64Array(1 << bits);
    this.#slots = new Int32Array(1 << bits).fill(EMPTY);
    this.#mask = (1 << bits) - 1;
    this.#shift = 32 - bits;
  }

  #rebuild(bits: number): void {
    const keys = this.#keys;
    const slots = this.#slots;
    this.#alloc(bits);
    for (let i = 0; i < slots.length; i++) if (slots[i] !== EMPTY) this.#place(keys[i], slots[i]);
  }
}
