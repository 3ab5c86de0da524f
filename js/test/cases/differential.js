// Differential test: long random operation sequences run against LRUCache and a
// plain strict-LRU reference (an array, newest first, searched linearly), comparing
// every result, the size, the total size and the full key order after each step.

import { eq, throws } from './assert.js';

const sameValueZero = (a, b) => a === b || (a !== a && b !== b);

class ReferenceLRU {
  constructor(max, maxSize) {
    this.max = max;
    this.maxSize = maxSize;
    this.entries = []; // { key, value, size }, newest first
  }
  #at(key) {
    return this.entries.findIndex((e) => sameValueZero(e.key, key));
  }
  get totalSize() {
    return this.entries.reduce((sum, e) => sum + e.size, 0);
  }
  #trim() {
    while (this.entries.length > this.max || this.totalSize > this.maxSize) this.entries.pop();
  }
  get(key) {
    const i = this.#at(key);
    if (i < 0) return undefined;
    const [entry] = this.entries.splice(i, 1);
    this.entries.unshift(entry);
    return entry.value;
  }
  peek(key) {
    const i = this.#at(key);
    return i < 0 ? undefined : this.entries[i].value;
  }
  has(key) {
    return this.#at(key) >= 0;
  }
  set(key, value, size) {
    if (size > this.maxSize) return false;
    const i = this.#at(key);
    if (i >= 0) this.entries.splice(i, 1);
    this.entries.unshift({ key: key === 0 ? 0 : key, value, size });
    this.#trim();
    return true;
  }
  delete(key) {
    const i = this.#at(key);
    if (i >= 0) this.entries.splice(i, 1);
    return i >= 0;
  }
  pop() {
    const entry = this.entries.pop();
    return entry && [entry.key, entry.value];
  }
  resize(max) {
    this.max = max;
    this.#trim();
  }
  clear() {
    this.entries = [];
  }
  keys() {
    return this.entries.map((e) => e.key);
  }
}

function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

const KEYS = [
  ...Array.from({ length: 12 }, (_, i) => `user${i}`),
  ...Array.from({ length: 12 }, (_, i) => i),
  '0',
  '',
  '__proto__',
  NaN,
  -0,
  0.5,
  'ünï',
];

/** Integer keys of every kind the number index keeps apart: int32, u32, timestamps, 53-bit. */
const WIDE_KEYS = Array.from({ length: 3000 }, (_, i) => {
  const x = Math.imul(i + 1, 0x9e3779b1);
  return [x | 0, x >>> 0, 1_767_225_600_000 + (x >>> 0), (x & 0x1fffff) * 4294967296 + i][i % 4];
});

function run(LRUCache, seed, { steps, weighted, keys = KEYS, maxes = 12 }) {
  const KEYS = keys;
  const pick = random(seed);
  let max = 1 + pick(maxes);
  const maxSize = weighted ? 10 + pick(30) : Infinity;
  const options = weighted ? { max, maxSize, sizeOf: (v) => v.size } : { max };
  const cache = new LRUCache(options);
  const model = new ReferenceLRU(max, maxSize);
  let id = 0;
  for (let step = 0; step < steps; step++) {
    const key = KEYS[pick(KEYS.length)];
    const op = pick(100);
    const where = `seed ${seed} step ${step} op ${op} key ${String(key)}`;
    if (op < 35) {
      eq(cache.get(key), model.get(key), `${where}: get`);
    } else if (op < 65) {
      const value = { id: id++, size: weighted ? 1 + pick(12) : 1 };
      if (model.set(key, value, value.size)) {
        eq(cache.set(key, value), cache, where);
      } else {
        throws(() => cache.set(key, value), RangeError, 'ERR_LRU_ENTRY_SIZE');
      }
    } else if (op < 72) {
      eq(cache.peek(key), model.peek(key), `${where}: peek`);
    } else if (op < 78) {
      eq(cache.has(key), model.has(key), `${where}: has`);
    } else if (op < 86) {
      eq(cache.delete(key), model.delete(key), `${where}: delete`);
    } else if (op < 90) {
      eq(cache.pop(), model.pop(), `${where}: pop`);
    } else if (op < 95) {
      const batch = [key, KEYS[pick(KEYS.length)], KEYS[pick(KEYS.length)]];
      eq(cache.getMany(batch), batch.map((k) => model.get(k)), `${where}: getMany`);
    } else if (op < 99) {
      max = 1 + pick(maxes);
      cache.max = max;
      model.resize(max);
    } else {
      cache.clear();
      model.clear();
    }
    eq(cache.size, model.entries.length, `${where}: size`);
    if (weighted) eq(cache.totalSize, model.totalSize, `${where}: totalSize`);
    eq([...cache.keys()], model.keys(), `${where}: key order`);
  }
  cache.free();
}

export const differential = [
  ['differential: count-bounded, random sequences', (LRUCache) => {
    for (let seed = 1; seed <= 20; seed++) run(LRUCache, seed, { steps: 1500, weighted: false });
  }],
  ['differential: size-bounded, random sequences', (LRUCache) => {
    for (let seed = 101; seed <= 120; seed++) run(LRUCache, seed, { steps: 1500, weighted: true });
  }],
  ['differential: integer keys of every width, bounds resized up and down', (LRUCache) => {
    for (let seed = 201; seed <= 204; seed++) {
      run(LRUCache, seed, { steps: 6000, weighted: false, keys: WIDE_KEYS, maxes: 1500 });
    }
  }],
  ['differential: long run past the hit ring', (LRUCache) => {
    run(LRUCache, 9001, { steps: 40_000, weighted: false });
  }],
];
