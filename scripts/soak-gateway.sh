#!/usr/bin/env bash
# The gateway soak run (gateway/bench/soak.ts): a private MariaDB behind a TCP proxy, one gateway
# with two cluster workers under steady load while faults recur (a worker killed with SIGKILL, the
# store cut off, the store slower than the query timeout), then the integrity check of every
# upload. Fails on a 5xx other than 503, a lost acknowledged upload, a fault not recovered from,
# or an RSS that grew past the margin. Writes gateway/bench-results/soak.{md,json}.
#
#   bash scripts/soak-gateway.sh               10 minutes of load (outside CI)
#   bash scripts/soak-gateway.sh --minutes 2   a shorter run
#   bash scripts/soak-gateway.sh --smoke       about 30 s: each fault once, the same assertions
#   bash scripts/soak-gateway.sh --help        lists the options
# Needs scripts/setup.sh (Node 24, mariadb-server, gateway/node_modules) and the built package.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/js/node_modules/.bin:$PATH"
cd "$root/gateway"
exec node bench/soak.ts "$@"
