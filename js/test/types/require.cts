// Type tests as a CommonJS consumer sees the package (dist/index.d.cts and
// dist/permissions/permissions-index.d.cts).
import edge = require('edge-lru');
import permissions = require('edge-lru/permissions');

const cache = new edge.LRUCache<string, number>({ max: 2 });
const value: number | undefined = cache.set('a', 1).get('a');
const code: edge.ErrorCode = 'ERR_LRU_FREED';
const perms = new permissions.PermissionCache({ maxUsers: 1, load: () => [] });
const beside: number | undefined = new permissions.LRUCache<string, number>({ max: 1 }).get('a');
const can: boolean | undefined = perms.allowsCached('a', '/', 'read');

// @ts-expect-error the value type is number
cache.set('b', 'two');
// @ts-expect-error ErrorCode lists the codes edge-lru throws
const bad: edge.ErrorCode = 'ERR_NOPE';
// @ts-expect-error PermissionCache is in `edge-lru/permissions` only
void edge.PermissionCache;

export = [value, code, can, beside, bad];
