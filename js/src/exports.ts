// The public API, re-exported by every host entry (index, browser, workerd).

export { LRUCache } from './lru.js';
export type {
  EvictionReason,
  Key,
  LRUCacheDumpEntry,
  LRUCacheEntryInfo,
  LRUCacheOptions,
  LRUCacheStats,
} from './lru.js';
export { OPERATIONS, PermissionCache } from './permissions.js';
export type {
  Operation,
  PermissionCacheOptions,
  PermissionCacheStats,
  PermissionEvictionReason,
  PermissionRule,
} from './permissions.js';
export { wasmMemorySize } from './memory.js';
export type { ErrorCode } from './errors.js';
