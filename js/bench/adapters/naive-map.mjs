// A naive Map-based LRU, the way many applications hand-roll one: a Map keeps
// insertion order, so get() deletes and re-inserts the key, and set() evicts the first
// key, map.keys().next().value. Strict LRU. (Values are never undefined here, so get()
// can test the result of Map.get instead of calling has() first.)

export const info = {
  name: 'naive-map',
  pkg: null,
  strict: true,
  note: 'Map, delete + re-insert on get, evict map.keys().next().value',
};

class NaiveMapLRU {
  constructor(max) {
    this.max = max;
    this.map = new Map();
  }

  get(key) {
    const map = this.map;
    const value = map.get(key);
    if (value === undefined) return undefined;
    map.delete(key);
    map.set(key, value);
    return value;
  }

  set(key, value) {
    const map = this.map;
    if (map.has(key)) map.delete(key);
    else if (map.size >= this.max) map.delete(map.keys().next().value);
    map.set(key, value);
    return this;
  }

  has(key) {
    return this.map.has(key);
  }

  delete(key) {
    return this.map.delete(key);
  }

  get size() {
    return this.map.size;
  }
}

export function create(capacity) {
  return new NaiveMapLRU(capacity);
}
