#!/usr/bin/env bash
# Runs the wasm-bindgen-test suites of the wasm/ crate: the shared tests in
# wasm/tests/common compiled to wasm32, in Node (wasm/tests/node.rs; on the machine's Node and on Node 24 from
# js/node_modules when present) and in headless Chromium (wasm/tests/browser.rs).
#
# The browser runner silently skips tests not configured for it and still exits 0,
# so every run's output is checked: it must report more than 0 passed and 0 failed.
#
#   scripts/test-wasm.sh            all suites
#   scripts/test-wasm.sh node       Node only
#   scripts/test-wasm.sh browser    Chromium only
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
chromedriver="${CHROMEDRIVER:-/usr/bin/chromedriver}"
which="${1:-all}"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
summary=()
status=0

# run_suite LABEL COMMAND...: runs a wasm-pack test command, shows its output, and
# checks the libtest-style "test result" lines it printed.
run_suite() {
  local label="$1" log="$logs/$1.log" rc=0
  shift
  printf '\n==> %s: %s\n' "$label" "$*"
  "$@" 2>&1 | tee "$log" || rc=$?
  local passed failed results
  results="$(grep -E '^test result: ' "$log" || true)"
  passed="$(printf '%s\n' "$results" | sed -nE 's/.* ([0-9]+) passed;.*/\1/p' | awk '{s += $1} END {print s + 0}')"
  failed="$(printf '%s\n' "$results" | sed -nE 's/.* ([0-9]+) failed;.*/\1/p' | awk '{s += $1} END {print s + 0}')"
  local verdict=ok
  if [ "$rc" -ne 0 ]; then
    verdict="FAILED (exit $rc)"
  elif [ -z "$results" ]; then
    verdict="FAILED (no test result line: did the suite run at all?)"
  elif [ "$passed" -eq 0 ]; then
    verdict="FAILED (0 tests ran)"
  elif [ "$failed" -ne 0 ]; then
    verdict="FAILED"
  fi
  [ "$verdict" = ok ] || status=1
  summary+=("$label: $passed passed, $failed failed: $verdict")
}

if [ "$which" = all ] || [ "$which" = node ]; then
  run_suite "node-$(node --version)" wasm-pack test --node wasm --test node

  # wasm-bindgen-test-runner starts `node` from PATH: put Node 24 first.
  node24="$root/js/node_modules/.bin/node"
  if [ -x "$node24" ]; then
    mkdir -p "$logs/node24-bin"
    ln -s "$(readlink -f "$node24")" "$logs/node24-bin/node"
    PATH="$logs/node24-bin:$PATH" run_suite "node-$("$node24" --version)" \
      wasm-pack test --node wasm --test node
  else
    echo "note: $node24 is missing (scripts/setup.sh installs it); Node 24 run skipped"
  fi
fi

if [ "$which" = all ] || [ "$which" = browser ]; then
  # wasm/webdriver.json, at the wasm crate's root, gives Chromium its headless, no-sandbox flags.
  run_suite chromium wasm-pack test --headless --chrome --chromedriver "$chromedriver" wasm --test browser
fi

if [ "${#summary[@]}" -eq 0 ]; then
  echo "unknown suite '$which' (use node, browser or all)" >&2
  exit 2
fi
printf '\n==> wasm-bindgen-test summary\n'
printf '%s\n' "${summary[@]}"
exit "$status"
