// Entry of `edge-lru` for Node (ESM and, bundled, CommonJS) and Deno: ready on import, no file access.

import inline from './generated/inline.js';
import { decode, instantiate } from './instance.js';

instantiate(decode(inline));

export * from './exports.js';
