// The public API of `edge-lru`, re-exported by every host entry (index, browser, workerd).
// `edge-lru/permissions` adds permissions-exports.ts (see permissions-index.ts).

export { LRUCache } from './lru.js';
export type {
  EvictionReason,
  Key,
  LRUCacheAbortSignal,
  LRUCacheDumpEntry,
  LRUCacheEntryInfo,
  LRUCacheFetchOptions,
  LRUCacheInfo,
  LRUCacheLoader,
  LRUCacheLoaderOptions,
  LRUCacheOptions,
  LRUCachePeekOptions,
  LRUCacheSetOptions,
  LRUCacheSharedOptions,
  LRUCacheStats,
} from './lru.js';
export { wasmMemorySize } from './memory.js';
export type { ErrorCode } from './errors.js';
