// Type tests as a CommonJS consumer sees the package (dist/index.d.cts).
import edge = require('edge-lru');

const cache = new edge.LRUCache<string, number>({ max: 2 });
const value: number | undefined = cache.set('a', 1).get('a');
const code: edge.ErrorCode = 'ERR_LRU_FREED';
const perms = new edge.PermissionCache({ maxUsers: 1, load: () => [] });
const can: boolean | undefined = perms.allowsCached('a', '/', 'read');

// @ts-expect-error the value type is number
cache.set('b', 'two');
// @ts-expect-error ErrorCode lists the codes edge-lru throws
const bad: edge.ErrorCode = 'ERR_NOPE';

export = [value, code, can, bad];
