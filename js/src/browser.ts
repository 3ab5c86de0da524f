// Entry for browsers: compiles the inlined module off the main thread (browsers refuse
// to compile large modules synchronously there), so the import itself awaits it.

import inline from './generated/inline.js';
import { decode, instantiate } from './instance.js';

instantiate(await WebAssembly.compile(decode(inline)));

export * from './exports.js';
