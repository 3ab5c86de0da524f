//! The shared wasm tests (`tests/common`) run in Node as an ES module:
//! `wasm-pack test --node wasm --test node` (see scripts/test-wasm.sh).
//!
//! They need a JS host: compiled natively (`cargo test --workspace`) this file is
//! empty, and scripts/test-wasm.sh checks that a wasm run counts more than 0 tests.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_node_experimental);

mod common;

/// Proves the suite ran where it says: Node has `process.versions.node`, no `window`.
#[wasm_bindgen_test]
fn host_is_node() {
    let global = js_sys::global();
    let process = js_sys::Reflect::get(&global, &"process".into()).unwrap();
    let versions = js_sys::Reflect::get(&process, &"versions".into()).unwrap();
    let node = js_sys::Reflect::get(&versions, &"node".into()).unwrap();
    assert!(node.as_string().is_some_and(|v| !v.is_empty()), "no process.versions.node");
    assert!(!js_sys::Reflect::has(&global, &"window".into()).unwrap());
}
