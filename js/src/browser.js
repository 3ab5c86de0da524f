// Entry for browsers: compiles the inlined module off the main thread (browsers refuse
// to compile large modules synchronously there), so the import itself awaits it.

import inline from './wasm/inline.js';
import { decode, instantiate } from './instance.js';

instantiate(await WebAssembly.compile(decode(inline)));

export { LRUCache } from './lru.js';
export { PermissionCache, OPERATIONS } from './permissions.js';
export { wasmMemorySize } from './memory.js';
