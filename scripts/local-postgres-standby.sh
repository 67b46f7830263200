#!/usr/bin/env bash
# Starts (or stops) a streaming-replication standby of a local PostgreSQL primary (one started by
# scripts/local-postgres.sh), from the machine's own binaries: pg_basebackup -R copies the primary
# and writes the standby's primary_conninfo, then the copy starts in hot-standby mode on its own port.
# For the read-replica tests and for trying Comments:ReadReplica by hand. No Docker needed.
#
#   scripts/local-postgres-standby.sh start PRIMARY_PORT DIR [PORT]   prints a connection string on stdout
#   scripts/local-postgres-standby.sh stop  DIR
#
# The primary needs wal_level=replica (PostgreSQL's default) and a replication entry in pg_hba.conf
# (initdb writes one for 127.0.0.1 with the cluster's auth method). As root the standby runs as the
# 'postgres' user. COMMENTS_PG_FAST=1 trades durability for speed (fsync off): tests and CI only.
set -euo pipefail

cmd=${1:-}

find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local candidate
  for candidate in /usr/lib/postgresql/*/bin/"$name"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$cmd" in
  start)
    primary_port=${2:?usage: $0 start PRIMARY_PORT DIR [PORT]}
    dir=${3:?usage: $0 start PRIMARY_PORT DIR [PORT]}
    port=${4:-}
    basebackup=$(find_bin pg_basebackup) || { echo "pg_basebackup not found; install PostgreSQL" >&2; exit 1; }
    pg_ctl=$(find_bin pg_ctl)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    chmod 700 "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      # -X stream: the WAL written during the copy comes along; -R: standby.signal and primary_conninfo.
      as_owner "$basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir" -X stream -R -c fast >/dev/null
      # The copy carries the primary's postmaster options file and socket settings; the standby gets its own below.
      rm -f "$dir/postmaster.pid" "$dir/postmaster.opts"
    fi
    if as_owner "$pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      port=$(sed -n 4p "$dir/postmaster.pid" | tr -d ' ')
    else
      port=${port:-$(free_port)}
      opts="-h 127.0.0.1 -p $port -k $dir -c max_connections=300 -c hot_standby=on -c hot_standby_feedback=on"
      if [ "${COMMENTS_PG_FAST:-0}" = 1 ]; then opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
      as_owner "$pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    dir=${2:?usage: $0 stop DIR}
    pg_ctl=$(find_bin pg_ctl) || exit 0
    [ -d "$dir" ] && as_owner "$pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start PRIMARY_PORT DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
