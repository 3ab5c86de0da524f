// lru.min: createLRU({ max }). Strict LRU.
import { createLRU } from 'lru.min';

export const info = { name: 'lru.min', pkg: 'lru.min', strict: true, note: 'createLRU({ max })' };

export function create(capacity) {
  return createLRU({ max: capacity });
}
