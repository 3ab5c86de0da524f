#!/usr/bin/env bash
# Serves the demo page (www/) on http://127.0.0.1:${PORT:-8080}/, after installing what
# is missing and building the package from the current sources.
#
#   scripts/serve-www.sh
#   PORT=9000 scripts/serve-www.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >/dev/null
exec npm --prefix js run serve
