// lru-cache (isaacs): new LRUCache({ max }). Strict LRU.
import { LRUCache } from 'lru-cache';

export const info = { name: 'lru-cache', pkg: 'lru-cache', strict: true, note: 'new LRUCache({ max })' };

export function create(capacity) {
  return new LRUCache({ max: capacity });
}
