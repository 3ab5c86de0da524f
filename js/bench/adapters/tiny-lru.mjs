// tiny-lru: lru(max). Strict LRU (a linked list over a null-prototype object, so
// `1` and `"1"` are the same key; harmless here: a run uses one key type).
import { lru } from 'tiny-lru';

export const info = { name: 'tiny-lru', pkg: 'tiny-lru', strict: true, note: 'lru(max)' };

export function create(capacity) {
  return lru(capacity);
}
