// Type tests of PermissionCache's public types, from `edge-lru/permissions`
// (dist/permissions/permissions-index.d.ts), which has all of `edge-lru` too; `edge-lru` has none of them.
import * as lru from 'edge-lru';
import {
  type ErrorCode,
  LRUCache,
  type Operation,
  OPERATIONS,
  PermissionCache,
  type PermissionCacheOptions,
  type PermissionCacheStats,
  type PermissionEvictionReason,
  type PermissionRule,
  wasmMemorySize,
} from 'edge-lru/permissions';

const rules: PermissionRule[] = [{ path: '/home/alice', allow: ['read', 'list'] }, { path: '/tmp', allow: [] }];
const options: PermissionCacheOptions = {
  maxUsers: 10,
  maxBytes: 1 << 20,
  load: async (user) => (user === 'alice' ? rules : []),
  onEvict: (user, reason) => {
    const known: 'evict' | 'logout' | 'clear' | 'failed' = reason;
    void user.length, known;
  },
};
const perms = new PermissionCache(options);
const syncLoad = new PermissionCache({ maxUsers: 1, load: () => rules });
const ops: readonly Operation[] = OPERATIONS;
const login: Promise<void> = perms.login('alice');
const out: boolean = perms.logout('alice');
const cached: boolean | undefined = perms.allowsCached('alice', '/home/alice/a', 'read');
const allowed: Promise<boolean> = perms.allows('alice', '/home/alice/a', 'write');
const listing: string[] | undefined = perms.filterCached('alice', '/home', ['alice', 'bob'], 'list');
const filtered: Promise<string[]> = perms.filter('alice', '/home', ['alice'] as const, 'list');
const bytesOf: number | undefined = perms.bytesOf('alice');
const users: string[] = [...perms.users()];
const stats: PermissionCacheStats = perms.stats;
const numbers: number[] = [perms.size, perms.bytes, stats.loads, stats.loadFailures, wasmMemorySize()];
const beside = new LRUCache<string, number>({ max: 2 });
const hit: number | undefined = beside.set('a', 1).get('a');
const code: ErrorCode = 'ERR_PERM_PATH';

/** Never called: each line must fail to type-check. */
function typeErrors(reason: PermissionEvictionReason) {
  // @ts-expect-error 'chmod' is not an operation
  perms.allowsCached('alice', '/', 'chmod');
  // @ts-expect-error users are strings
  perms.login(7);
  // @ts-expect-error allowsCached may miss
  const sure: boolean = perms.allowsCached('alice', '/', 'read');
  // @ts-expect-error load is required
  new PermissionCache({ maxUsers: 1 });
  // @ts-expect-error rules need allow
  new PermissionCache({ maxUsers: 1, load: () => [{ path: '/' }] });
  // @ts-expect-error OPERATIONS is read-only
  OPERATIONS.push('read');
  // @ts-expect-error no such reason
  const typo: PermissionEvictionReason = 'expire';
  // @ts-expect-error a union, not one of its members
  const only: 'evict' = reason;
  // @ts-expect-error PermissionCache is in `edge-lru/permissions` only
  new lru.PermissionCache({ maxUsers: 1, load: () => [] });
  // @ts-expect-error OPERATIONS too
  void lru.OPERATIONS;
  // @ts-expect-error the permission types too
  const rule: lru.PermissionRule = { path: '/', allow: [] };
  void sure, typo, only, rule;
}

export function scoped(): number {
  using scopedPerms = new PermissionCache({ maxUsers: 1, load: async () => [] });
  return scopedPerms.size;
}

export const used = [
  syncLoad,
  ops,
  login,
  out,
  cached,
  allowed,
  listing,
  filtered,
  bytesOf,
  users,
  numbers,
  hit,
  code,
  typeErrors,
];
