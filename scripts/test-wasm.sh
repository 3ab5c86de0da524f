#!/usr/bin/env bash
# The wasm-bindgen-test suites in Node (20 and 24) and headless Chromium, Firefox and WebKit:
# js/scripts/test-wasm.mjs.
#
#   scripts/test-wasm.sh                 all suites
#   scripts/test-wasm.sh node|browser    Node, or every browser engine
#   scripts/test-wasm.sh firefox         one engine (chromium, firefox, webkit)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec npm --prefix js run test:wasm -- "$@"
