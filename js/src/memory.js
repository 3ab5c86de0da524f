// Views of wasm memory, shared by every cache in this realm. Growing memory detaches
// existing views, so every wrapper calls `syncViews()` after a wasm call that may
// allocate (passing a string or bytes allocates too).

let memory = null;

/** A 32-bit view of all of wasm memory; a live binding, current after `syncViews()`. */
export let U32 = new Uint32Array(0);
/** A byte view of all of wasm memory; a live binding, current after `syncViews()`. */
export let U8 = new Uint8Array(0);

/** Called once by each entry point with the instantiated module's memory. */
export function attachMemory(wasmMemory) {
  memory = wasmMemory;
  syncViews();
}

/** Renews the views if memory has grown since they were made. */
export function syncViews() {
  if (U32.length === 0 || U8.length === 0) {
    U32 = new Uint32Array(memory.buffer);
    U8 = new Uint8Array(memory.buffer);
  }
}

/**
 * Calls `fn`, a wasm call that may throw, and renews the views when it throws too: the
 * error message was allocated in wasm memory, which may have grown.
 */
export function synced(fn) {
  try {
    return fn();
  } finally {
    syncViews();
  }
}

/** The bytes of wasm linear memory, shared by every cache in this realm. */
export function wasmMemorySize() {
  return memory === null ? 0 : memory.buffer.byteLength;
}
