#!/usr/bin/env bash
# Runs every test of edge-lru, installing what it needs first (scripts/setup.sh).
# Fails on the first failing step; each suite prints the count of tests it ran.
#
#   bash scripts/test.sh           everything (what CI runs)
#   bash scripts/test.sh --quick   lint and native Rust tests only
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export DENO_NO_UPDATE_CHECK=1
quick=false
[ "${1:-}" = "--quick" ] && quick=true

step() { printf '\n==> %s\n' "$*"; }

bash scripts/setup.sh

step "rustfmt"
cargo fmt --all -- --check

step "clippy (native and wasm32)"
cargo clippy --all-targets --locked -- -D warnings
cargo clippy --lib --locked --target wasm32-unknown-unknown -- -D warnings

step "native tests (unit, doc, model, drop)"
cargo test --locked

$quick && exit 0

step "wasm32 release build"
cargo build --release --locked --target wasm32-unknown-unknown

step "npm package build"
node js/scripts/build.mjs

step "type check of the JS sources"
js/node_modules/.bin/tsc -p js/jsconfig.json

step "wasm-bindgen tests (Node and headless Chromium)"
bash scripts/test-wasm.sh

step "npm package: node:test on Node 20 and 24, Deno, workerd, Chromium, packaging"
bash scripts/test-hosts.sh

step "demo page end-to-end"
bash scripts/test-www.sh

step "benchmark smoke run"
bash scripts/bench.sh --smoke

step "permission benchmark smoke run"
node js/bench/permissions.mjs --smoke

step "gateway: Node and Deno, SQLite and MariaDB, curl and Chromium"
bash scripts/test-gateway.sh
