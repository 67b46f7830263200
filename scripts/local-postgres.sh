#!/usr/bin/env bash
# Starts (or stops) a throw-away PostgreSQL cluster from the machine's own binaries,
# for the quick start, the test suite and CI. No Docker needed.
#
#   scripts/local-postgres.sh start [DIR] [PORT]   prints a connection string on stdout
#   scripts/local-postgres.sh stop  [DIR] [MODE]      MODE: fast (default) or immediate (a crash, for fault tests)
#
# DIR defaults to $TMPDIR/commentservice-pg, PORT to a free port on 127.0.0.1.
# As root the cluster runs as the 'postgres' user (initdb refuses root).
# COMMENTS_PG_FAST=1 trades durability for speed (fsync off): for tests and CI only.
# COMMENTS_PG_OPTS adds server settings ("-c name=value ...") when the cluster starts.
set -euo pipefail

cmd=${1:-start}
dir=${2:-${TMPDIR:-/tmp}/commentservice-pg}
port=${3:-}

find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local candidate
  for candidate in /usr/lib/postgresql/*/bin/"$name"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  return 1
}

ensure_binaries() {
  if find_bin initdb >/dev/null; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "PostgreSQL server binaries not found; installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  find_bin initdb >/dev/null || { echo "PostgreSQL server binaries (initdb, pg_ctl) not found; install PostgreSQL" >&2; exit 1; }
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$cmd" in
  start)
    ensure_binaries
    initdb=$(find_bin initdb); pg_ctl=$(find_bin pg_ctl)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
        || as_owner "$initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
    fi
    if as_owner "$pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      port=$(sed -n 4p "$dir/postmaster.pid" | tr -d ' ')
    else
      port=${port:-$(free_port)}
      opts="-h 127.0.0.1 -p $port -k $dir -c max_connections=300"
      if [ "${COMMENTS_PG_FAST:-0}" = 1 ]; then opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
      # Extra server settings, e.g. bench/run.sh's memory sizes: COMMENTS_PG_OPTS="-c shared_buffers=1GB".
      opts="$opts ${COMMENTS_PG_OPTS:-}"
      as_owner "$pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    pg_ctl=$(find_bin pg_ctl) || exit 0
    mode=${3:-fast}
    case "$mode" in fast|immediate|smart) ;; *) echo "stop mode is fast, immediate or smart" >&2; exit 2 ;; esac
    [ -d "$dir" ] && as_owner "$pg_ctl" -D "$dir" -m "$mode" -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start [DIR] [PORT] | stop [DIR] [fast|immediate]" >&2; exit 2 ;;
esac
