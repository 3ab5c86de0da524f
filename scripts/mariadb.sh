#!/usr/bin/env bash
# Starts or stops a private MariaDB for the gateway's tests: its own data directory and
# socket, 127.0.0.1 only, a free port. Needs Debian's mariadb-server (scripts/setup.sh).
#
#   bash scripts/mariadb.sh start DIR    prints the connection URL (mysql://root@127.0.0.1:PORT/gateway)
#   bash scripts/mariadb.sh stop DIR
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

case "$cmd" in
start)
  command -v mariadbd >/dev/null || { echo "mariadbd is missing: run bash scripts/setup.sh" >&2; exit 1; }
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db --user="$(id -un)" >"$dir/install.log" 2>&1 ||
      { cat "$dir/install.log" >&2; exit 1; }
  fi
  # A free port: ask the kernel for one, then hand it to the server.
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" \
    --port="$port" --bind-address=127.0.0.1 --user="$(id -un)" --skip-name-resolve \
    --innodb-buffer-pool-size=64M --max-connections=300 --log-error="$dir/error.log" \
    </dev/null >"$dir/server.log" 2>&1 &
  for _ in $(seq 1 100); do
    if mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null ||
    { cat "$dir/error.log" >&2; exit 1; }
  # Root over TCP without a password, for this private, loopback-only instance.
  mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e \
    "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE IF NOT EXISTS gateway;"
  echo "$port" >"$dir/port"
  echo "mysql://root@127.0.0.1:$port/gateway"
  ;;
stop)
  if [ -f "$dir/mysqld.pid" ]; then
    pid="$(cat "$dir/mysqld.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
