// mnemonist LRUMap: new LRUMap(capacity). Strict LRU, keys in a Map (Map key semantics).
// LRUMap has no delete(); the delete workload uses LRUMapWithDelete.
import { LRUMap, LRUMapWithDelete } from 'mnemonist';

export const info = {
  name: 'mnemonist-map',
  pkg: 'mnemonist',
  strict: true,
  note: 'new LRUMap(capacity); LRUMapWithDelete for the delete workload',
};

export function create(capacity, { needsDelete = false } = {}) {
  return needsDelete ? new LRUMapWithDelete(capacity) : new LRUMap(capacity);
}
