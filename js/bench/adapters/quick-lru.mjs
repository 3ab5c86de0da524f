// quick-lru: new QuickLRU({ maxSize }). NOT a strict LRU: it keeps two generations
// (the "hashlru" algorithm). New and touched entries go to the current Map; when it
// reaches maxSize entries it becomes the old Map and the previous old Map is dropped
// whole. So it holds up to about 2 x maxSize entries, evicts in bulk, and a get that
// hits the old generation moves the entry (and may roll the generations). It can hit
// where a strict LRU of the same maxSize misses; the correctness pass checks values
// and bounds for it, not strict hit-for-hit agreement.
import QuickLRU from 'quick-lru';

export const info = {
  name: 'quick-lru',
  pkg: 'quick-lru',
  strict: false,
  note: 'new QuickLRU({ maxSize }); two-generation, holds up to 2 x maxSize, not strict LRU',
};

export function create(capacity) {
  return new QuickLRU({ maxSize: capacity });
}
