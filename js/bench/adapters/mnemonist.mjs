// mnemonist LRUCache: new LRUCache(capacity). Strict LRU. Keys index a plain object,
// so `1` and `"1"` are the same key (harmless here: a run uses one key type).
// LRUCache has no delete(); the delete workload uses LRUCacheWithDelete, the class
// mnemonist provides for that, and every other workload the plain LRUCache.
import { LRUCache, LRUCacheWithDelete } from 'mnemonist';

export const info = {
  name: 'mnemonist',
  pkg: 'mnemonist',
  strict: true,
  note: 'new LRUCache(capacity); LRUCacheWithDelete for the delete workload',
};

export function create(capacity, { needsDelete = false } = {}) {
  return needsDelete ? new LRUCacheWithDelete(capacity) : new LRUCache(capacity);
}
