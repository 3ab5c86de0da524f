#!/usr/bin/env bash
# End-to-end test of the demo page in headless Chromium and Firefox: js/scripts/test-www.mjs.
# Screenshots land in www/test-results/<engine>/.
#
#   scripts/test-www.sh             against the current js/dist
#   scripts/test-www.sh --rebuild   rebuild the package first
#   scripts/test-www.sh firefox     one engine
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec npm --prefix js run test:www -- "$@"
