//! The WebAssembly boundary of the `edge-lru` npm package: integers in and out,
//! nothing the core could own.
//!
//! The JavaScript wrapper keeps keys and values in its own arrays indexed by slot, and
//! finds keys with JS hash tables: V8 caches a string's hash inside the string, and
//! hashes small integers in a few instructions, so copying a key into wasm would cost
//! more than the whole lookup (the benchmark suite measured wasm-side numeric keys
//! at about three times the cost of a JS `Map` on `set`). This module keeps the rest:
//! the recency [`Order`] with its count and weight bounds.
//!
//! Reads do not cross the boundary at all: the wrapper writes the hit
//! slot into a ring buffer in wasm memory, and every call here that reads or changes
//! the order first replays the `pending` hits in the order they happened, so the
//! recency order is exactly what it would be had each hit been applied at once.
//! Removals travel the same way, as the slot with [`REMOVAL`] set: the wrapper forgets
//! the entry at once and the slot is freed when the ring is next replayed, before any
//! call here could hand it out again.
//!
//! Evicted slots are written to an output buffer whose length and address are
//! published in a small I/O block, so the common call returns one integer.
//!
//! The `permissions` feature (on by default) adds the [`PermissionEngine`] behind the
//! JS `PermissionCache`. Measured on 2026-12-02 (release profile, wasm-bindgen 0.2.130
//! `--target web`, then binaryen's `wasm-opt -O3`, gzip level 9):
//!
//! | module | `.wasm` raw | `.wasm` gzip | JS glue raw / gzip |
//! |---|---:|---:|---:|
//! | default (`Engine` + `PermissionEngine`) | 84,662 B | 37,742 B | 19,300 / 4,412 B |
//! | `--no-default-features` (`Engine` only) | 49,781 B | 22,158 B | 11,440 / 3,035 B |
//!
//! The permission engine is 41% of the module (15.6 KB of 37.7 KB gzipped), which a
//! user of `LRUCache` alone would download and compile for nothing: the npm package's
//! `edge-lru` entry loads the module built without the feature, `edge-lru/permissions`
//! the one built with it (`node js/scripts/sizes.mjs` prints their sizes).

mod errors;
#[cfg(feature = "permissions")]
mod permissions;

#[cfg(feature = "permissions")]
pub use self::permissions::PermissionEngine;

use edge_lru::Order;
use wasm_bindgen::prelude::*;

/// "No slot" across the boundary, and the end of the hit ring.
const NIL: u32 = u32::MAX;

/// Hits the wrapper may record before it must call [`Engine::flush`].
const RING: usize = 512;

/// The largest count bound whose recency links (8 bytes a slot) are reserved when the
/// engine is made: 8 MiB.
const PREALLOCATE: usize = 1 << 20;

/// Set on a ring entry that records the removal of a slot rather than a hit. Slot
/// numbers stay below it: 32-bit wasm memory cannot hold 2^31 slots.
const REMOVAL: u32 = 1 << 31;

/// The recency engine behind one JS `LRUCache`.
#[wasm_bindgen]
pub struct Engine {
    order: Order,
    ring: Box<[u32]>,
    out: Vec<u32>,
    /// `[out.len(), out.as_ptr()]`, read by JS after a call that may evict.
    io: Box<[u32; 2]>,
}

#[wasm_bindgen]
impl Engine {
    /// A new engine bounded by `max` entries and, when `max_weight` is above 0, by
    /// that total weight.
    #[wasm_bindgen(constructor)]
    pub fn new(max: f64, max_weight: f64) -> Result<Engine, JsValue> {
        let max_weight = (max_weight > 0.0).then_some(max_weight as u64);
        let mut order =
            Order::new(errors::whole(max, "ERR_LRU_MAX")?, max_weight).map_err(errors::capacity)?;
        // A cache bounded by a count of at most PREALLOCATE entries reserves its links up
        // front, as lru-cache reserves its arrays: grown by doubling, wasm memory (which
        // never shrinks) would also keep every smaller copy, about 2.8 times the links.
        if order.cap() <= PREALLOCATE {
            order.reserve(order.cap());
        }
        Ok(Engine { order, ring: vec![NIL; RING].into_boxed_slice(), out: Vec::new(), io: Box::new([0, 0]) })
    }

    /// How many hits the ring holds.
    #[wasm_bindgen(getter = ringSize)]
    pub fn ring_size(&self) -> u32 {
        RING as u32
    }

    /// The byte address of the hit ring in wasm memory.
    #[wasm_bindgen(getter = ringPtr)]
    pub fn ring_ptr(&self) -> u32 {
        self.ring.as_ptr() as u32
    }

    /// The byte address of the I/O block: `[evicted count, evicted slots address]`.
    #[wasm_bindgen(getter = ioPtr)]
    pub fn io_ptr(&self) -> u32 {
        self.io.as_ptr() as u32
    }

    /// Applies the first `pending` entries of the ring, hits and removals, oldest first.
    pub fn flush(&mut self, pending: u32) {
        for &entry in &self.ring[..(pending as usize).min(RING)] {
            if entry & REMOVAL == 0 {
                self.order.touch(entry);
            } else {
                self.order.remove(entry & !REMOVAL);
            }
        }
    }

    /// Adds a slot of `weight` as the newest; returns it, or `u32::MAX` when the
    /// weight can never fit (see [`Engine::check_weight`]). Evictions are published.
    pub fn insert(&mut self, weight: f64, pending: u32) -> u32 {
        self.flush(pending);
        self.out.clear();
        let out = &mut self.out;
        let slot = self
            .order
            .insert(weight as u64, |slot| {
                out.push(slot);
            })
            .unwrap_or(NIL);
        self.publish();
        slot
    }

    /// Marks `slot` as the newest and gives it `weight`, evicting others as needed.
    /// Returns `slot`, or `u32::MAX` when the weight can never fit (nothing changes).
    pub fn update(&mut self, slot: u32, weight: f64, pending: u32) -> u32 {
        self.flush(pending);
        self.out.clear();
        let out = &mut self.out;
        let result = self.order.reweigh(slot, weight as u64, |slot| {
            out.push(slot);
        });
        self.publish();
        if result.is_ok() {
            slot
        } else {
            NIL
        }
    }

    /// Removes the oldest slot and returns it; `u32::MAX` when empty.
    pub fn pop(&mut self, pending: u32) -> u32 {
        self.flush(pending);
        self.order.pop_oldest().unwrap_or(NIL)
    }

    /// Sets the entry bound; evictions are published.
    pub fn resize(&mut self, max: f64, pending: u32) -> Result<(), JsValue> {
        let max = errors::whole(max, "ERR_LRU_MAX")?;
        self.flush(pending);
        self.out.clear();
        let out = &mut self.out;
        let result = self.order.resize(max, |slot| {
            out.push(slot);
        });
        self.publish();
        result.map_err(errors::capacity)
    }

    /// Throws the error that explains why `weight` is refused, if it is.
    #[wasm_bindgen(js_name = checkWeight)]
    pub fn check_weight(&self, weight: f64) -> Result<(), JsValue> {
        self.order.check_weight(weight as u64).map_err(errors::weight)
    }

    /// Removes every slot.
    pub fn clear(&mut self) {
        self.order.clear();
    }

    /// Publishes up to `count` of the least recently used slots, oldest first, and
    /// returns how many there are: the entries the next insertions into a full,
    /// count-bounded cache will evict, unless a hit promotes one first. The wrapper
    /// reuses them for new entries and records each reuse as a hit, which moves the
    /// slot to the front exactly as evicting it and inserting anew would.
    pub fn victims(&mut self, count: u32, pending: u32) -> u32 {
        self.flush(pending);
        publish_list(&mut self.io[..], &mut self.out, self.order.iter().rev().take(count as usize))
    }

    /// Publishes every live slot, newest first, and returns how many there are.
    pub fn snapshot(&mut self, pending: u32) -> u32 {
        self.flush(pending);
        publish_list(&mut self.io[..], &mut self.out, self.order.iter())
    }

    /// The number of live slots.
    #[wasm_bindgen(getter = len)]
    pub fn count(&self) -> u32 {
        self.order.len() as u32
    }

    /// The total weight.
    #[wasm_bindgen(getter)]
    pub fn weight(&self) -> f64 {
        self.order.weight() as f64
    }

    /// The entry bound.
    #[wasm_bindgen(getter)]
    pub fn cap(&self) -> u32 {
        self.order.cap() as u32
    }

    fn publish(&mut self) {
        publish(&mut self.io[..], &self.out);
    }
}

/// Writes where the wrapper finds a published slot list after a call: its length in
/// `io[0]` and its byte address in `io[1]`. Returns the length.
fn publish(io: &mut [u32], slots: &[u32]) -> u32 {
    io[0] = slots.len() as u32;
    io[1] = slots.as_ptr() as u32;
    slots.len() as u32
}

/// Replaces `out` with `slots` and publishes it (see [`publish`]); returns its length.
fn publish_list(io: &mut [u32], out: &mut Vec<u32>, slots: impl Iterator<Item = u32>) -> u32 {
    out.clear();
    out.extend(slots);
    publish(io, out)
}
