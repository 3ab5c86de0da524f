// Views of wasm memory, shared by every cache in this realm. Growing memory detaches
// existing views, so every wrapper calls `syncViews()` after a wasm call that may
// allocate (passing a string or bytes allocates too).

/** The part of a `WebAssembly.Memory` used here (declarations need no DOM lib). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

let memory: WasmMemory | null = null;

/** A 32-bit view of all of wasm memory; a live binding, current after `syncViews()`. */
export let U32: Uint32Array = new Uint32Array(0);
/** A byte view of all of wasm memory; a live binding, current after `syncViews()`. */
export let U8: Uint8Array = new Uint8Array(0);

/** Called once by each entry point with the instantiated module's memory. */
export function attachMemory(wasmMemory: WasmMemory): void {
  memory = wasmMemory;
  syncViews();
}

/** Renews the views if memory has grown since they were made. */
export function syncViews(): void {
  if (U32.length === 0 || U8.length === 0) {
    U32 = new Uint32Array(memory!.buffer);
    U8 = new Uint8Array(memory!.buffer);
  }
}

/**
 * Calls `fn`, a wasm call that may throw, and renews the views when it throws too: the
 * error message was allocated in wasm memory, which may have grown.
 */
export function synced<T>(fn: () => T): T {
  try {
    return fn();
  } finally {
    syncViews();
  }
}

/**
 * The slots an engine call just published in its I/O block (`[count, address]` at
 * `io`, a 32-bit index), as a fresh array: the views are renewed first, since the call
 * may have grown memory.
 */
export function publishedSlots(io: number, count: number = U32[io]): number[] {
  syncViews();
  const base = U32[io + 1] >>> 2;
  return Array.from(U32.subarray(base, base + count));
}

/**
 * The size in bytes of edge-lru's WebAssembly memory in this realm, shared by all caches.
 * It grows as caches need room and never shrinks; freed caches' space is reused.
 */
export function wasmMemorySize(): number {
  return memory === null ? 0 : memory.buffer.byteLength;
}
