#!/usr/bin/env bash
# Serves the demo page (www/) on http://127.0.0.1:${PORT:-8080}/.
# Installs what is missing (scripts/setup.sh), builds the npm package from the current
# sources (seconds when nothing changed), then copies it into www/vendor/.
#
#   scripts/serve-www.sh
#   PORT=9000 scripts/serve-www.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh >/dev/null
echo "==> building the package (node js/scripts/build.mjs)"
node js/scripts/build.mjs
node www/build.mjs
exec node www/serve.mjs
