#!/usr/bin/env bash
# The npm package's tests on every JS host (node 20 and 24, deno, workerd, chromium,
# firefox, webkit), the packaging test and the scripts' own tests: js/scripts/test-hosts.mjs.
#
#   scripts/test-hosts.sh                 all suites
#   scripts/test-hosts.sh deno firefox    some of them
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec npm --prefix js run test:hosts -- "$@"
