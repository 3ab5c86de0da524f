#!/usr/bin/env bash
# Runs every test of edge-lru, installing what it needs first (scripts/setup.sh).
# Fails on the first failing step; each suite prints the count of tests it ran.
#
#   bash scripts/test.sh           everything (what CI runs)
#   bash scripts/test.sh --quick   lint and native Rust tests only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n==> %s\n' "$*"; "$@"; }

bash scripts/setup.sh
step cargo fmt --all -- --check
step cargo clippy --workspace --all-targets --locked -- -D warnings
step cargo clippy -p edge-lru-wasm --lib --test node --test browser --locked --target wasm32-unknown-unknown -- -D warnings
step cargo test --workspace --locked
[ "${1:-}" = --quick ] && exit 0

step npm --prefix js run build
step npm --prefix js run typecheck
step npm --prefix js run lint
step npm --prefix js run fmt:check
step node js/scripts/error-table.mjs --check
step node js/scripts/sizes.mjs --check
step bash scripts/test-wasm.sh
step bash scripts/test-hosts.sh
step bash scripts/test-www.sh
step bash scripts/bench.sh --smoke
step npm --prefix js run bench:permissions -- --smoke
step bash scripts/test-gateway.sh
step bash scripts/bench-gateway.sh --smoke
step bash scripts/bench-gateway.sh --smoke --mix names
step bash scripts/soak-gateway.sh --smoke
step bash scripts/fuzz.sh 20
