// What `edge-lru/permissions` adds to the API of `edge-lru`, re-exported by its host entries.

export { OPERATIONS, PermissionCache } from './permissions.js';
export type {
  Operation,
  PermissionCacheOptions,
  PermissionCacheStats,
  PermissionEvictionReason,
  PermissionRule,
} from './permissions.js';
