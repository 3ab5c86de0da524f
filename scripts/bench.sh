#!/usr/bin/env bash
# Benchmarks edge-lru against the JS LRU libraries on Node (the machine's and Node 24),
# Deno and headless Chromium. Writes bench-results/<host>.md and .json.
#
#   scripts/bench.sh                      default run, every host (~16 min on 2 quiet cores)
#   scripts/bench.sh --smoke              a few seconds per host: proves every adapter and
#                                         host works (CI; exits 1 on any error or wrong
#                                         result, never on timings)
#   scripts/bench.sh --host node          node = the machine's Node and Node 24; also
#                                         node20, node24, deno, chromium, or a comma list
#   scripts/bench.sh --matrix targets     only the target workloads (see js/bench/matrix.mjs) (or: full,
#                                         every workload x key type x size, > 1 hour)
#   scripts/bench.sh --filter 'get-hit/str' --libs edge-lru,mnemonist
#   scripts/bench.sh --build              rebuild js/dist first (otherwise built only
#                                         when missing)
#
# Other options (--ops, --reps, --warmup, --no-memory, --out) go to js/bench/run.mjs;
# see js/bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

build=0
args=()
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

if [ ! -x js/node_modules/.bin/esbuild ] || [ ! -d js/node_modules/lru-cache ]; then
  echo "bench: js/node_modules is missing; run scripts/setup.sh first" >&2
  exit 1
fi
if [ "$build" = 1 ] || [ ! -f js/dist/index.mjs ] || [ ! -f js/dist/browser.mjs ]; then
  node js/scripts/build.mjs
fi

export DENO_NO_UPDATE_CHECK=1
exec node js/bench/run.mjs "${args[@]}"
