//! The shared wasm tests (`tests/common`) run in a headless browser:
//! `wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver wasm --test browser`
//! (see scripts/test-wasm.sh), with the Chromium flags of `webdriver.json` beside
//! this crate's Cargo.toml. Without `run_in_browser` the browser runner would skip
//! every test here and still exit 0, so the script also checks the count that ran.
//! Compiled natively this file is empty, as `node.rs` is.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

/// Proves the suite ran where it says: a page has `window` and `document`, no `process`.
#[wasm_bindgen_test]
fn host_is_a_browser_page() {
    let global = js_sys::global();
    for name in ["window", "document", "navigator"] {
        assert!(js_sys::Reflect::has(&global, &name.into()).unwrap(), "no {name}");
    }
    assert!(!js_sys::Reflect::has(&global, &"process".into()).unwrap());
}
