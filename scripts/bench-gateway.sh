#!/usr/bin/env bash
# The gateway load benchmark (gateway/bench/load.ts): a private MariaDB, a seeded user
# population, then edge-lru, lru-cache and no permission cache, each gateway in its own
# process, under autocannon over loopback. Writes gateway/bench-results/load.{md,svg,json}.
#
#   bash scripts/bench-gateway.sh            the full run (200,000 users, 3 repetitions; ~10 minutes)
#   bash scripts/bench-gateway.sh --mix names  the same with names-only listings (NLST): load-names.*
#   bash scripts/bench-gateway.sh --smoke    seconds; fails on any error or non-2xx, never on timings
#   bash scripts/bench-gateway.sh --help     lists the options (see gateway/bench/load.ts)
# Needs scripts/setup.sh (Node 24, mariadb-server, gateway/node_modules) and the built package.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/js/node_modules/.bin:$PATH"
cd "$root/gateway"
exec node bench/load.ts "$@"
