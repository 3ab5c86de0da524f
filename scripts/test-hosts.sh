#!/usr/bin/env bash
# Runs the npm package's tests on every JS host, then the packaging test:
#
#   node      js/test/*.test.{mjs,cjs} with node:test, on the machine's Node and Node 24
#   deno      js/test/hosts/deno.test.js, with no permissions at all
#   workerd   js/test/hosts/workerd.mjs (Miniflare; the .wasm as a CompiledWasm module)
#   chromium  js/test/hosts/chromium.mjs (playwright-core, /usr/bin/chromium, loopback only)
#   package   js/test/hosts/package.mjs (npm pack, install into fresh projects, use from
#             Node ESM/CJS, Deno, workerd and TypeScript)
#
# Every suite ends with a line `N passed, M failed`; a suite fails on any failure or
# when nothing ran, and the script fails when any suite does. js/dist is built
# (`node js/scripts/build.mjs`) only when it is missing: scripts/test.sh builds first.
#
#   scripts/test-hosts.sh                 all suites
#   scripts/test-hosts.sh deno chromium   some of them
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1 npm_config_update_notifier=false
bin="$root/js/node_modules/.bin"
node24="$bin/node"

suites=("$@")
[ "${#suites[@]}" -gt 0 ] || suites=(node deno workerd chromium package)
for suite in "${suites[@]}"; do
  case "$suite" in node | deno | workerd | chromium | package) ;; *)
    echo "unknown suite '$suite' (node, deno, workerd, chromium, package)" >&2
    exit 2
    ;;
  esac
done

missing=()
for tool in node deno esbuild tsc miniflare; do
  [ -x "$bin/$tool" ] || missing+=("js/node_modules/.bin/$tool")
done
[ -d js/node_modules/playwright-core ] || missing+=(js/node_modules/playwright-core)
command -v npm >/dev/null || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "missing: ${missing[*]}; run scripts/setup.sh first" >&2
  exit 1
fi

dist_ready() {
  local f
  for f in index.mjs index.cjs browser.mjs workerd.mjs edge_lru_bg.wasm index.d.ts; do
    [ -f "js/dist/$f" ] || return 1
  done
}
if ! dist_ready; then
  printf '\n==> js/dist is missing: node js/scripts/build.mjs\n'
  node js/scripts/build.mjs
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
summary=()
status=0

# record LABEL RC LOG: reads the closing `N passed, M failed` line from LOG and
# records the suite's verdict.
record() {
  local label="$1" rc="$2" log="$3" line passed=0 failed=0 verdict=ok
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)"
  if [ -n "$line" ]; then
    passed="${line%% passed*}"
    failed="${line#*passed, }"
    failed="${failed%% failed}"
  fi
  if [ -z "$line" ]; then
    verdict="FAILED (no 'N passed, M failed' line)"
  elif [ "$rc" -ne 0 ]; then
    verdict="FAILED (exit $rc)"
  elif [ "$passed" -eq 0 ]; then
    verdict="FAILED (0 tests ran)"
  elif [ "$failed" -ne 0 ]; then
    verdict=FAILED
  fi
  [ "$verdict" = ok ] || status=1
  summary+=("$(printf '%-24s %s passed, %s failed: %s' "$label" "$passed" "$failed" "$verdict")")
}

# run_runner LABEL COMMAND...: a runner that prints its own closing line.
run_runner() {
  local label="$1" log="$logs/$1.log" rc=0
  shift
  printf '\n==> %s: %s\n' "$label" "$*"
  "$@" 2>&1 | tee "$log" || rc=$?
  record "$label" "$rc" "$log"
}

# run_node_tests LABEL NODE: node:test suites; counts from the TAP reporter's summary.
run_node_tests() {
  local label="$1" node="$2" log="$logs/$1.log" tap="$logs/$1.tap" rc=0 pass fail
  printf '\n==> %s: %s --test --expose-gc js/test/*.test.mjs js/test/*.test.cjs\n' "$label" "$node"
  (
    cd js
    "$node" --test --expose-gc --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap" test/*.test.mjs test/*.test.cjs
  ) 2>&1 | tee "$log" || rc=$?
  pass="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$tap" 2>/dev/null | tail -1)"
  fail="$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$tap" 2>/dev/null | tail -1)"
  [ -z "$pass" ] || echo "${pass} passed, ${fail:-0} failed" | tee -a "$log"
  record "$label" "$rc" "$log"
}

# run_deno LABEL: Deno's own test runner, with no permission flags.
run_deno() {
  local label="$1" log="$logs/$1.log" rc=0 line
  printf '\n==> %s: deno test --no-prompt js/test/hosts/deno.test.js (no permissions)\n' "$label"
  "$bin/deno" test --no-prompt js/test/hosts/deno.test.js 2>&1 | tee "$log" || rc=$?
  # Deno ends with `ok | 27 passed | 0 failed (...)` or `FAILED | 26 passed | 1 failed (...)`.
  line="$(sed -nE 's/^(ok|FAILED) \| ([0-9]+) passed.* \| ([0-9]+) failed.*$/\2 passed, \3 failed/p' "$log" | tail -1)"
  [ -z "$line" ] || echo "$line" | tee -a "$log"
  record "$label" "$rc" "$log"
}

for suite in "${suites[@]}"; do
  case "$suite" in
    node)
      run_node_tests "node $(node --version)" node
      run_node_tests "node $("$node24" --version)" "$node24"
      ;;
    deno) run_deno "deno $("$bin/deno" --version | awk 'NR == 1 { print $2 }')" ;;
    workerd) run_runner workerd "$node24" js/test/hosts/workerd.mjs ;;
    chromium) run_runner chromium "$node24" js/test/hosts/chromium.mjs ;;
    package) run_runner package "$node24" js/test/hosts/package.mjs ;;
  esac
done

printf '\n==> host test summary\n'
printf '%s\n' "${summary[@]}"
exit "$status"
