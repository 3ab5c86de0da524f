// edge-lru from another build (`--baseline DIR`: a js/dist directory of an earlier commit),
// measured beside the current one to show what a change costs or saves. Node and Deno only.
const dir = globalThis.Deno ? globalThis.Deno.env.get('EDGE_LRU_BASELINE') : process.env.EDGE_LRU_BASELINE;
if (!dir) throw new Error('edge-lru-baseline: EDGE_LRU_BASELINE (the --baseline directory) is not set');
const { LRUCache, wasmMemorySize } = await import(new URL(`file://${dir}/index.mjs`).href);

export const info = {
  name: 'edge-lru-baseline',
  pkg: 'edge-lru',
  strict: true,
  note: `new LRUCache({ max }) from ${dir}`,
};

export function create(capacity) {
  return new LRUCache({ max: capacity });
}

/** Bytes of wasm linear memory in this realm (counted for the build's memory figure). */
export function wasmBytes() {
  return wasmMemorySize();
}
