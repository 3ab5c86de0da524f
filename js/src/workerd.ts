// Entry for Cloudflare Workers (workerd): workers may not compile wasm from bytes, so
// the module is imported as a compiled WebAssembly.Module.

import module from './edge_lru_bg.wasm';
import { instantiate } from './instance.js';

instantiate(module);

export * from './exports.js';
