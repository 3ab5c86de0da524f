#!/usr/bin/env bash
# The gateway's suite: type check, deno fmt/lint, then node:test on Node 24 and
# `deno test` on Deno, each against SQLite and a private MariaDB started here (and stopped
# on exit). Needs scripts/setup.sh (Node 24, Deno, mariadb-server, gateway/node_modules)
# and the built package (node js/scripts/build.mjs).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/gateway"
export PATH="$root/js/node_modules/.bin:$PATH"
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1

db="$(mktemp -d)"
trap 'bash "$root/scripts/mariadb.sh" stop "$db"; rm -rf "$db"' EXIT
GATEWAY_TEST_MYSQL_URL="$(bash "$root/scripts/mariadb.sh" start "$db")"
export GATEWAY_TEST_MYSQL_URL

echo "==> gateway: tsc --noEmit, deno fmt --check, deno lint"
tsc -p tsconfig.json
deno fmt --check
deno lint

# A run that executed no test fails, whatever its exit code.
count() { grep -Eo "$1" "$2" | grep -Eo '[0-9]+' | tail -1; }

echo "==> gateway: node:test on $(node --version)"
node --test --test-concurrency=1 test/*.test.ts 2>&1 | grep -v '^{"time"' | tee "$db/node.log"
n="$(count '^ℹ pass [0-9]+' "$db/node.log")"
[ "${n:-0}" -gt 0 ] || { echo "node: no test ran" >&2; exit 1; }

echo "==> gateway: deno test on $(deno --version | sed -n 1p)"
# The browser test drives Chromium from Node; the rest runs on Deno, its servers on Deno.
deno_tests=(); for f in test/*.test.ts; do [ "$f" = test/browser.test.ts ] || deno_tests+=("$f"); done
deno test -A "${deno_tests[@]}" 2>&1 | grep -v '^{"time"' | tee "$db/deno.log"
d="$(grep -Eo '[0-9]+ passed' "$db/deno.log" | grep -Eo '[0-9]+' | tail -1)"
[ "${d:-0}" -gt 0 ] || { echo "deno: no test ran" >&2; exit 1; }
echo "gateway: $n node tests and $d deno tests passed"
