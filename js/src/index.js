// Entry for Node (ESM and, bundled, CommonJS) and Deno: ready on import, no file access.

import inline from './wasm/inline.js';
import { decode, instantiate } from './instance.js';

instantiate(decode(inline));

export { LRUCache } from './lru.js';
export { PermissionCache, OPERATIONS } from './permissions.js';
export { wasmMemorySize } from './memory.js';
