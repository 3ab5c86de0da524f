#!/usr/bin/env bash
# Benchmarks edge-lru against the JS LRU libraries on Node (20 and 24), Deno and
# headless Chromium, Firefox and WebKit: js/bench/run.mjs (options: --help, and BENCHMARKS.md).
#
#   scripts/bench.sh                 every host (~16 min on 2 quiet cores)
#   scripts/bench.sh --smoke         seconds per host; fails on any error, never on timings
#   scripts/bench.sh --host node24 --filter '^get-hit/' --build
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec npm --prefix js run bench -- "$@"
