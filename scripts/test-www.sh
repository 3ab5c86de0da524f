#!/usr/bin/env bash
# End-to-end test of the demo page in headless Chromium (www/test/e2e.mjs).
# Builds the npm package if js/dist is missing (or, with --rebuild, always), copies it
# into www/vendor/, then runs the test. Screenshots land in www/test-results/.
#
#   scripts/test-www.sh             test against the current js/dist
#   scripts/test-www.sh --rebuild   rebuild the package first
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

rebuild=0
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=1 ;;
    *) echo "usage: scripts/test-www.sh [--rebuild]" >&2; exit 2 ;;
  esac
done

if [ ! -d js/node_modules/playwright-core ]; then
  echo "js/node_modules/playwright-core is missing: run scripts/setup.sh" >&2
  exit 1
fi

if [ "$rebuild" = 1 ] || [ ! -f js/dist/browser.mjs ]; then
  echo "==> building the package (node js/scripts/build.mjs)"
  node js/scripts/build.mjs
else
  # Say so when the package is older than its sources, rather than rebuilding
  # js/dist under whoever else is using it.
  newer="$(find src js/src Cargo.toml -newer js/dist/browser.mjs -type f 2>/dev/null | head -3 || true)"
  if [ -n "$newer" ]; then
    echo "note: js/dist is older than its sources (e.g. ${newer//$'\n'/, }); pass --rebuild to rebuild it" >&2
  fi
fi

node www/build.mjs
node www/test/e2e.mjs
