// Entry of `edge-lru/permissions` for Node (ESM and, bundled, CommonJS) and Deno: the whole
// API of `edge-lru` and PermissionCache, on the wasm module that holds both engines.
//
// The build puts the subpath's modules in a tree of their own (dist/permissions/), beside
// that module's glue and bytes, so './index.js' there instantiates the full module; its
// LRUCache is a class of its own, distinct from the one `edge-lru` exports.

export * from './index.js';
export * from './permissions-exports.js';
