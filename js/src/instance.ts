// Instantiates the wasm module once per host entry and hands its memory to the cache.

import { initSync } from './generated/edge_lru.js';
import { attachMemory } from './memory.js';

export function instantiate(module: WebAssembly.Module | BufferSource): void {
  const exports = initSync({ module });
  attachMemory(exports.memory);
}

/** Decodes the inlined base64 module. */
export function decode(base64: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as { fromBase64?: (base64: string) => Uint8Array<ArrayBuffer> }).fromBase64;
  if (typeof native === 'function') return native(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
