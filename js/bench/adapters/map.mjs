// Raw Map: the floor. No recency, no eviction: it is only run on workloads that never
// need to evict (get hit, get miss, update, delete + re-insert), where it does the same
// lookups and stores a cache does and nothing else.

export const info = {
  name: 'map',
  pkg: null,
  strict: true,
  unbounded: true,
  note: 'new Map(); no eviction, only for workloads that never evict',
};

export function create(_capacity) {
  return new Map();
}
