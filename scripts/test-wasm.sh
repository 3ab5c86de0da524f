#!/usr/bin/env bash
# The wasm-bindgen-test suites in Node (20 and 24) and headless Chromium:
# js/scripts/test-wasm.mjs.
#
#   scripts/test-wasm.sh                 all suites
#   scripts/test-wasm.sh node|browser    one of them
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec npm --prefix js run test:wasm -- "$@"
