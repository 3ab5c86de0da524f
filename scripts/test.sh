#!/usr/bin/env bash
# Runs every test of edge-lru, installing what it needs first (scripts/setup.sh).
# Stops at the first failing step; each suite prints the count of tests it ran.
#
#   bash scripts/test.sh           everything (what CI runs)
#   bash scripts/test.sh --quick   lint and native Rust tests only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n==> %s\n' "$*"; "$@"; }

bash scripts/setup.sh
step cargo fmt --all -- --check
step cargo clippy --all-targets --locked -- -D warnings
step cargo clippy --lib --locked --target wasm32-unknown-unknown -- -D warnings
step cargo test --locked
[ "${1:-}" = --quick ] && exit 0

step cargo build --release --locked --target wasm32-unknown-unknown
step npm --prefix js run build
step js/node_modules/.bin/tsc -p js/jsconfig.json
step bash scripts/test-wasm.sh
step bash scripts/test-hosts.sh
step bash scripts/test-www.sh
step bash scripts/bench.sh --smoke
step npm --prefix js run bench:permissions -- --smoke
