#!/usr/bin/env bash
# Serves the demo page (www/) on http://127.0.0.1:${PORT:-8080}/.
# Installs what is missing (scripts/setup.sh), builds the npm package if js/dist is
# missing, then copies it into www/vendor/.
#
#   scripts/serve-www.sh
#   PORT=9000 scripts/serve-www.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh >/dev/null
if [ ! -f js/dist/browser.mjs ]; then
  echo "==> js/dist is missing: building the package (node js/scripts/build.mjs)"
  node js/scripts/build.mjs
fi
node www/build.mjs
exec node www/serve.mjs
