// edge-lru: the package under test, imported by its own name (package self-reference;
// Node and Deno get dist/index.mjs, the browser bundle gets dist/browser.mjs).
import { LRUCache, wasmMemorySize } from 'edge-lru';

export const info = {
  name: 'edge-lru',
  pkg: 'edge-lru',
  strict: true,
  note: 'new LRUCache({ max })',
};

export function create(capacity) {
  return new LRUCache({ max: capacity });
}

/** Bytes of wasm linear memory in this realm (counted for edge-lru's memory figure). */
export function wasmBytes() {
  return wasmMemorySize();
}
