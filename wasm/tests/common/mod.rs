//! Tests shared by the wasm-bindgen-test suites (`tests/node.rs`, `tests/browser.rs`):
//! the core compiled to wasm32 (32-bit `usize`, `u64` weights), the `Engine` boundary
//! the JS `LRUCache` drives and the `PermissionEngine` behind `PermissionCache`, called
//! here the way the wrapper calls them.
//!
//! The engine publishes evicted slots through an I/O block in wasm memory and replays
//! hits the wrapper writes into a ring there; both are read and written through a
//! `Uint32Array` over `wasm_bindgen::memory()`, as the wrapper does.

use edge_lru::{CapacityError, LruCache, Order, WeightError, MAX_CAPACITY};
use edge_lru_wasm::Engine;
#[cfg(feature = "permissions")]
use edge_lru_wasm::PermissionEngine;
#[cfg(feature = "permissions")]
use js_sys::TypeError;
use js_sys::{RangeError, Reflect, Uint32Array, WebAssembly};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// "No slot", as the engine returns it.
const NIL: u32 = u32::MAX;

/// A fresh view of all of wasm memory (an older one detaches when memory grows).
fn memory() -> Uint32Array {
    let memory: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    Uint32Array::new(&memory.buffer())
}

/// The slots the last evicting call (or `snapshot`) published, in order.
fn published(engine: &Engine) -> Vec<u32> {
    let io = engine.io_ptr() / 4;
    let len = memory().get_index(io);
    // Allocate before taking the view: growing wasm memory detaches the views of the old one.
    let mut slots = Vec::with_capacity(len as usize);
    let mem = memory();
    let at = mem.get_index(io + 1) / 4;
    slots.extend((0..len).map(|i| mem.get_index(at + i)));
    slots
}

/// Every live slot, newest first.
fn order_of(engine: &mut Engine) -> Vec<u32> {
    let n = engine.snapshot(0);
    let slots = published(engine);
    assert_eq!(slots.len(), n as usize);
    slots
}

/// Writes `hits` into the ring and returns how many are pending.
/// Marks a ring entry as the removal of a slot (as the JS wrapper writes it).
const REMOVAL: u32 = 1 << 31;

fn record_hits(engine: &Engine, hits: &[u32]) -> u32 {
    assert!(hits.len() <= engine.ring_size() as usize);
    let mem = memory();
    let ring = engine.ring_ptr() / 4;
    for (i, &slot) in hits.iter().enumerate() {
        mem.set_index(ring + i as u32, slot);
    }
    hits.len() as u32
}

/// Asserts `error` is a JS `RangeError` with a non-empty message and `code`.
fn assert_range_error(error: &JsValue, code: &str) {
    assert!(error.is_instance_of::<RangeError>(), "expected a RangeError, got {error:?}");
    let got = Reflect::get(error, &JsValue::from_str("code")).unwrap();
    assert_eq!(got.as_string().as_deref(), Some(code), "code of {error:?}");
    let message = Reflect::get(error, &JsValue::from_str("message")).unwrap().as_string().unwrap();
    assert!(!message.is_empty());
}

/// Asserts `error` is a JS `TypeError` with `code`.
#[cfg(feature = "permissions")]
fn assert_type_error(error: &JsValue, code: &str) {
    assert!(error.is_instance_of::<TypeError>(), "expected a TypeError, got {error:?}");
    let got = Reflect::get(error, &JsValue::from_str("code")).unwrap();
    assert_eq!(got.as_string().as_deref(), Some(code), "code of {error:?}");
}

/// The error a constructor call gives (`Engine` has no `Debug`, so no `unwrap_err`).
fn construct_error(max: f64, max_weight: f64) -> JsValue {
    match Engine::new(max, max_weight) {
        Ok(_) => panic!("Engine::new({max}, {max_weight}) should fail"),
        Err(error) => error,
    }
}

/// A JS array of numbers, for `Reflect::apply` and `Reflect::construct`.
fn numbers(values: &[f64]) -> js_sys::Array {
    values.iter().map(|&v| JsValue::from_f64(v)).collect()
}

fn engine(max: f64, max_weight: f64) -> Engine {
    Engine::new(max, max_weight).unwrap_or_else(|e| panic!("Engine::new({max}, {max_weight}): {e:?}"))
}

// ---------------------------------------------------------------------------------
// The core on wasm32

#[wasm_bindgen_test]
fn lru_get_promotes_and_put_evicts_the_least_recent() {
    let mut cache = LruCache::new(3).unwrap();
    for (k, v) in [("a", 1), ("b", 2), ("c", 3)] {
        assert_eq!(cache.put(k, v), None);
    }
    assert_eq!(cache.get("a"), Some(&1));
    assert_eq!(cache.peek("b"), Some(&2), "peek does not promote");
    assert_eq!(cache.push("d", 4), Some(("b", 2)));
    assert_eq!(cache.keys().copied().collect::<Vec<_>>(), ["d", "a", "c"]);
    assert_eq!(cache.put("a", 10), Some(1));
    assert_eq!(cache.pop_lru(), Some(("c", 3)));
    assert_eq!(cache.remove("d"), Some(4));
    assert_eq!(cache.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), [("a", 10)]);
    cache.assert_invariants();
}

#[wasm_bindgen_test]
fn lru_weight_bound_and_refusals() {
    let mut cache = LruCache::with_max_weight(10, 10).unwrap();
    cache.put_weighted("a".to_string(), 1, 4).unwrap();
    cache.put_weighted("b".to_string(), 2, 4).unwrap();
    let evicted = cache.push_weighted("c".to_string(), 3, 5).unwrap();
    assert_eq!(evicted, [("a".to_string(), 1)]);
    assert_eq!(cache.weight(), 9);
    let refused = cache.put_weighted("big".to_string(), 4, 11).unwrap_err();
    assert_eq!(refused.error, WeightError::TooHeavy { weight: 11, max_weight: 10 });
    assert_eq!((refused.key.as_str(), refused.value), ("big", 4));
    assert_eq!(cache.put_weighted("zero".to_string(), 5, 0).unwrap_err().error, WeightError::Zero);
    assert_eq!(cache.len(), 2, "refusals change nothing");
    cache.set_max_weight(Some(5)).unwrap();
    assert_eq!(cache.keys().cloned().collect::<Vec<_>>(), ["c"]);
    assert_eq!(cache.set_max_weight(Some(0)), Err(CapacityError::ZeroMaxWeight));
    cache.assert_invariants();
}

#[wasm_bindgen_test]
fn lru_capacity_limits_with_a_32_bit_usize() {
    assert_eq!(usize::BITS, 32);
    assert_eq!(LruCache::<u32, u32>::new(0).unwrap_err(), CapacityError::ZeroCapacity);
    assert_eq!(
        LruCache::<u32, u32>::new(MAX_CAPACITY + 1).unwrap_err(),
        CapacityError::TooLarge { requested: MAX_CAPACITY + 1 }
    );
    let mut cache = LruCache::new(MAX_CAPACITY).unwrap();
    cache.put(1u32, ());
    assert_eq!(cache.cap(), MAX_CAPACITY);
    assert_eq!(cache.resize(0), Err(CapacityError::ZeroCapacity));
    assert_eq!(cache.len(), 1);
}

#[wasm_bindgen_test]
fn lru_churn_keeps_the_bounds_and_the_invariants() {
    let mut cache = LruCache::with_max_weight(1000, 50_000).unwrap();
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..20_000u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let key = x % 3000;
        match x % 4 {
            0 => {
                cache.remove(&key);
            }
            1 => {
                cache.get(&key);
            }
            _ => {
                cache.put_weighted(key, i, 1 + x % 100).unwrap();
            }
        }
        assert!(cache.len() <= 1000 && cache.weight() <= 50_000);
    }
    cache.assert_invariants();
    cache.resize(10).unwrap();
    assert_eq!(cache.len(), 10);
    cache.assert_invariants();
}

#[wasm_bindgen_test]
fn order_reuses_evicted_slots_and_handles_u64_weights() {
    let mut order = Order::new(2, None).unwrap();
    assert_eq!(order.max_weight(), u64::MAX);
    let a = order.insert(1, |_| {}).unwrap();
    let b = order.insert(1, |_| {}).unwrap();
    order.touch(a);
    let mut evicted = Vec::new();
    let c = order.insert(1, |slot| evicted.push(slot)).unwrap();
    assert_eq!((evicted.as_slice(), c), ([b].as_slice(), b), "the evicted slot is reused");
    assert_eq!(order.iter().collect::<Vec<_>>(), [c, a]);
    assert_eq!(order.iter().rev().collect::<Vec<_>>(), [a, c]);

    // Weights beyond 32 bits: one entry may weigh all of u64 when there is no budget.
    let heavy = order.insert(u64::MAX, |_| {}).unwrap();
    assert_eq!((order.len(), order.weight()), (1, u64::MAX));
    assert_eq!(order.weight_of(heavy), Some(u64::MAX));
    let mut evicted = Vec::new();
    order.insert(1, |slot| evicted.push(slot)).unwrap();
    assert_eq!((evicted, order.weight()), (vec![heavy], 1));
    order.assert_invariants();
}

// ---------------------------------------------------------------------------------
// The Engine boundary

#[wasm_bindgen_test]
fn engine_constructor_errors_are_range_errors_with_a_code() {
    for max in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, MAX_CAPACITY as f64 + 1.0] {
        assert_range_error(&construct_error(max, 0.0), "ERR_LRU_MAX");
    }
    assert_range_error(&construct_error(4.0, 0.5), "ERR_LRU_MAX_SIZE");
    let ok = engine(4.0, 0.0);
    assert_eq!((ok.cap(), ok.count(), ok.weight()), (4, 0, 0.0));
    assert_eq!(engine(MAX_CAPACITY as f64, 0.0).cap(), MAX_CAPACITY as u32);
}

#[wasm_bindgen_test]
fn engine_insert_evicts_the_oldest_and_publishes_it() {
    let mut e = engine(2.0, 0.0);
    let a = e.insert(1.0, 0);
    let b = e.insert(1.0, 0);
    assert_eq!((a, b), (0, 1));
    assert!(published(&e).is_empty());
    let c = e.insert(1.0, 0);
    assert_eq!(published(&e), [a]);
    assert_eq!(c, a, "the evicted slot is reused");
    assert_eq!(order_of(&mut e), [c, b]);
    assert_eq!(e.count(), 2);
}

#[wasm_bindgen_test]
fn engine_weights_update_and_check_weight() {
    let mut e = engine(10.0, 10.0);
    let a = e.insert(5.0, 0);
    let b = e.insert(5.0, 0);
    assert_eq!(e.weight(), 10.0);
    assert_eq!(e.update(b, 8.0, 0), b);
    assert_eq!(published(&e), [a]);
    assert_eq!((e.count(), e.weight()), (1, 8.0));

    // Too heavy: refused, nothing changes, and check_weight explains why.
    assert_eq!(e.update(b, 11.0, 0), NIL);
    assert_eq!(e.insert(11.0, 0), NIL);
    assert_eq!((e.count(), e.weight()), (1, 8.0));
    let error = e.check_weight(11.0).unwrap_err();
    assert_range_error(&error, "ERR_LRU_ENTRY_SIZE");
    let message = Reflect::get(&error, &"message".into()).unwrap().as_string().unwrap();
    assert!(message.contains("11") && message.contains("10"), "{message}");
    assert_range_error(&e.check_weight(0.0).unwrap_err(), "ERR_LRU_ENTRY_SIZE");
    assert!(e.check_weight(10.0).is_ok());
    assert!(engine(4.0, 0.0).check_weight(1e15).is_ok(), "no budget: any weight of at least 1");
}

#[wasm_bindgen_test]
fn engine_remove_pop_oldest_and_clear() {
    let mut e = engine(4.0, 0.0);
    let slots: Vec<u32> = (0..4).map(|_| e.insert(1.0, 0)).collect();
    assert_eq!(*order_of(&mut e).last().unwrap(), slots[0]);
    let pending = record_hits(&e, &[slots[1] | REMOVAL]);
    e.flush(pending);
    assert_eq!(order_of(&mut e), [slots[3], slots[2], slots[0]]);
    assert_eq!(e.pop(0), slots[0]);
    assert_eq!(e.pop(0), slots[2]);
    assert_eq!(e.pop(0), slots[3]);
    assert_eq!((e.pop(0), e.count(), e.snapshot(0)), (NIL, 0, 0));
    e.insert(1.0, 0);
    e.clear();
    assert_eq!((e.count(), e.weight(), e.snapshot(0)), (0, 0.0, 0));
    assert_eq!(e.insert(1.0, 0), 0, "slot numbers start over after clear");
}

#[wasm_bindgen_test]
fn engine_resize() {
    let mut e = engine(4.0, 0.0);
    let slots: Vec<u32> = (0..4).map(|_| e.insert(3.0, 0)).collect();
    e.resize(2.0, 0).unwrap();
    assert_eq!(published(&e), [slots[0], slots[1]], "oldest first");
    assert_eq!((e.cap(), e.count()), (2, 2));
    for bad in [0.0, 2.5, -3.0, f64::NAN] {
        assert_range_error(&e.resize(bad, 0).unwrap_err(), "ERR_LRU_MAX");
    }
    assert_eq!((e.cap(), e.count()), (2, 2), "a refused resize changes nothing");
    e.resize(3.0, 0).unwrap();
    assert!(published(&e).is_empty(), "growing evicts nothing");
    assert_eq!(order_of(&mut e), [slots[3], slots[2]]);
}

#[wasm_bindgen_test]
fn engine_replays_ring_hits_in_order() {
    let mut e = engine(3.0, 0.0);
    assert_eq!(e.ring_size(), 512);
    let [a, b, c] = [e.insert(1.0, 0), e.insert(1.0, 0), e.insert(1.0, 0)];
    assert_eq!(order_of(&mut e), [c, b, a]);

    // a then b were read: b is the newest, c the oldest and next to go.
    let pending = record_hits(&e, &[a, b]);
    assert_eq!(e.victims(1, pending), 1);
    assert_eq!(published(&e), [c]);
    assert_eq!(order_of(&mut e), [b, a, c]);

    // Hits are applied before an insert decides what to evict.
    let pending = record_hits(&e, &[c, a]);
    let d = e.insert(1.0, pending);
    assert_eq!(published(&e), [b]);
    assert_eq!(order_of(&mut e), [d, a, c]);

    // A full ring of repeated hits.
    let hits: Vec<u32> = (0..512).map(|i| [a, c, d][i % 3]).collect();
    let pending = record_hits(&e, &hits);
    e.flush(pending);
    assert_eq!(order_of(&mut e), [hits[511], hits[510], hits[509]]);
}

#[wasm_bindgen_test]
fn engine_replays_removals_in_the_ring_in_order_with_hits() {
    let mut e = engine(3.0, 0.0);
    let [a, b, c] = [e.insert(1.0, 0), e.insert(1.0, 0), e.insert(1.0, 0)];

    // b is removed, then a is read: c is the oldest, and b's slot is free for the next
    // insert, which then evicts nothing.
    let pending = record_hits(&e, &[b | REMOVAL, a]);
    let d = e.insert(1.0, pending);
    assert_eq!(d, b, "the removed slot is reused");
    assert!(published(&e).is_empty(), "nothing was evicted");
    assert_eq!(order_of(&mut e), [d, a, c]);
    assert_eq!(e.count(), 3);

    // A removal after a hit of the same slot wins; the count drops when replayed.
    let pending = record_hits(&e, &[c, c | REMOVAL]);
    e.flush(pending);
    assert_eq!(order_of(&mut e), [d, a]);
    assert_eq!(e.count(), 2);
}

#[wasm_bindgen_test]
fn engine_reuses_slots_that_leave_last_first() {
    let mut e = engine(4.0, 0.0);
    let slots: Vec<u32> = (0..4).map(|_| e.insert(1.0, 0)).collect();
    assert_eq!(slots, [0, 1, 2, 3], "slot numbers are dense");
    let pending = record_hits(&e, &[slots[1] | REMOVAL]);
    assert_eq!(e.pop(pending), slots[0]);
    assert_eq!(e.insert(1.0, 0), slots[0], "the last slot to leave is reused first");
    assert_eq!(e.insert(1.0, 0), slots[1]);
    assert_eq!(order_of(&mut e), [slots[1], slots[0], slots[3], slots[2]]);

    // An update that evicts keeps its own slot and frees the others.
    let mut e = engine(4.0, 10.0);
    let [a, b, c] = [e.insert(3.0, 0), e.insert(3.0, 0), e.insert(3.0, 0)];
    assert_eq!(e.update(a, 8.0, 0), a);
    assert_eq!(published(&e), [b, c], "oldest first");
    assert_eq!((e.count(), e.weight()), (1, 8.0));
    assert_eq!(e.insert(2.0, 0), c);
    assert_eq!(order_of(&mut e), [c, a]);
}

#[wasm_bindgen_test]
fn engine_many_entries_grow_memory_and_stay_consistent() {
    let mut e = engine(100_000.0, 0.0);
    let mut last = NIL;
    for i in 0..150_000 {
        last = e.insert(1.0, 0);
        assert_ne!(last, NIL);
        let evicted = memory().get_index(e.io_ptr() / 4);
        assert_eq!(evicted, u32::from(i >= 100_000), "insert {i}");
    }
    assert_eq!((e.count(), e.weight()), (100_000, 100_000.0));
    // The snapshot needs 400 KB more: the view is taken after memory grew.
    assert_eq!(e.snapshot(0), 100_000);
    let slots = published(&e);
    assert_eq!(slots[0], last);
    let mut sorted = slots.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..100_000).collect::<Vec<u32>>(), "every slot once");
}

#[wasm_bindgen_test]
fn engine_js_face_has_what_the_wrapper_uses() {
    // The JS object wasm-bindgen makes of an Engine: the names js/src/lru.js calls.
    let object = JsValue::from(engine(3.0, 0.0));
    let get = |name: &str| Reflect::get(&object, &JsValue::from_str(name)).unwrap();
    for name in ["ringPtr", "ringSize", "ioPtr", "len", "weight", "cap"] {
        assert!(get(name).as_f64().is_some(), "getter {name}");
    }
    assert_eq!(get("ringSize").as_f64(), Some(512.0));
    assert_eq!(get("cap").as_f64(), Some(3.0));
    let methods =
        ["insert", "update", "victims", "pop", "flush", "resize", "checkWeight", "clear", "snapshot", "free"];
    for name in methods {
        assert!(get(name).is_function(), "method {name}");
    }
    let call = |name: &str, args: &[f64]| -> Result<JsValue, JsValue> {
        let method: js_sys::Function = get(name).unchecked_into();
        Reflect::apply(&method, &object, &numbers(args))
    };
    assert_eq!(call("insert", &[1.0, 0.0]).unwrap().as_f64(), Some(0.0));
    assert_eq!(get("len").as_f64(), Some(1.0));

    // Errors cross as thrown RangeErrors with a code, from methods and the constructor.
    assert_range_error(&call("checkWeight", &[0.0]).unwrap_err(), "ERR_LRU_ENTRY_SIZE");
    assert_range_error(&call("resize", &[0.5, 0.0]).unwrap_err(), "ERR_LRU_MAX");
    let class: js_sys::Function = get("constructor").unchecked_into();
    assert_range_error(&Reflect::construct(&class, &numbers(&[0.0, 0.0])).unwrap_err(), "ERR_LRU_MAX");
    let other = Reflect::construct(&class, &numbers(&[2.0, 0.0])).unwrap();
    assert_eq!(Reflect::get(&other, &"cap".into()).unwrap().as_f64(), Some(2.0));
    call("free", &[]).unwrap();
}

// ---------------------------------------------------------------------------------
// The PermissionEngine boundary

/// The users' slots, most recently used first, as `snapshot` publishes them.
#[cfg(feature = "permissions")]
fn users_of(engine: &mut PermissionEngine) -> Vec<u32> {
    let n = engine.snapshot();
    let mem = memory();
    let io = engine.io_ptr() / 4;
    let (len, at) = (mem.get_index(io), mem.get_index(io + 1) / 4);
    assert_eq!(len, n);
    (0..len).map(|i| mem.get_index(at + i)).collect()
}

#[cfg(feature = "permissions")]
#[wasm_bindgen_test]
fn permission_engine_checks_and_rules_below() {
    let mut e = PermissionEngine::new(4.0, 0.0).unwrap();
    // Packed rules: ops bits, path, NUL (see RuleSet::compile_packed).
    let alice = e.store(NIL, b"\x01/\0\x3f/home/alice\0\x00/home/alice/.ssh\0").unwrap();
    let bob = e.store(NIL, b"\x03/home/bob\0").unwrap();
    assert_eq!(users_of(&mut e), [bob, alice]);
    // Op numbers are positions in Op::ALL: 0 list, 2 write.
    assert!(e.check(alice, "/home/alice/x", 2).unwrap());
    assert!(!e.check(alice, "/home/alice/.ssh/id", 0).unwrap());
    assert_eq!(users_of(&mut e), [alice, bob], "a check marks the user as recently used");

    assert!(e.has_rules_below(bob, "/").unwrap());
    assert!(!e.has_rules_below(bob, "//home/bob/").unwrap(), "its own rule is not below it");
    assert!(e.has_rules_below(alice, "/home/alice").unwrap(), "the deny rule counts");
    assert!(!e.has_rules_below(alice, "/home/alice/.ssh").unwrap());
    assert!(!e.has_rules_below(alice, "/home/al").unwrap(), "whole segments");
    assert_eq!(users_of(&mut e), [alice, bob]);

    // A refused path is a TypeError with a code, and changes nothing.
    assert!(e.has_rules_below(bob, "/home").unwrap());
    for bad in ["", "home", "/a/../b", "/a\\b", "/a\0b"] {
        assert_type_error(&e.has_rules_below(alice, bad).unwrap_err(), "ERR_PERM_PATH");
        assert_type_error(&e.check(alice, bad, 0).unwrap_err(), "ERR_PERM_PATH");
    }
    assert_eq!(users_of(&mut e), [bob, alice]);
    assert_type_error(&e.check(alice, "/", 6).unwrap_err(), "ERR_PERM_OP");
}
