#!/usr/bin/env bash
# The main job: installs what is missing, builds the package, and starts the gateway on the
# embedded SQLite store with the demo users and tree (seeded on first run, under
# gateway/gateway-data). Prints the URL and the demo credentials.
#
#   bash scripts/start.sh                 http://127.0.0.1:8080/
#   PORT=9000 bash scripts/start.sh       another port; other options pass through:
#   bash scripts/start.sh --workers 2
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh >&2
export PATH="$root/js/node_modules/.bin:$PATH"
[ -f js/dist/index.mjs ] || node js/scripts/build.mjs >&2
cd gateway
exec node src/main.ts serve --demo --data-dir "${GATEWAY_DATA_DIR:-gateway-data}" --port "${PORT:-8080}" "$@"
