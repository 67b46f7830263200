#!/usr/bin/env bash
# Makes (once) and starts a streaming standby of the CommentService primary.
#
#   PRIMARY_HOST=pg-primary PGPASSWORD=… deploy/postgres/standby.sh /var/lib/postgresql/data [PORT]
#
# An empty data directory is filled by pg_basebackup from the primary: -R writes primary_conninfo and
# standby.signal, -C -S creates the replication slot `standby1` on the primary so it keeps the WAL the
# standby has not received yet. A data directory that is already a standby is just started.
# Environment: PRIMARY_HOST (required), PRIMARY_PORT (5432), REPLICATION_USER (replicator),
# PGPASSWORD (the replication role's password), SLOT (standby1), STANDBY_CONF (standby.conf beside
# this script), FOREGROUND=1 to exec postgres (containers) instead of pg_ctl start.
set -euo pipefail

data=${1:?usage: standby.sh DATA_DIR [PORT]}
port=${2:-5432}
: "${PRIMARY_HOST:?PRIMARY_HOST names the primary}"
primary_port=${PRIMARY_PORT:-5432}
user=${REPLICATION_USER:-replicator}
slot=${SLOT:-standby1}
conf=${STANDBY_CONF:-$(dirname "$0")/standby.conf}

if [ ! -s "$data/PG_VERSION" ]; then
  echo "standby: copying the primary $PRIMARY_HOST:$primary_port into $data (slot $slot)" >&2
  mkdir -p "$data"
  chmod 700 "$data"
  pg_basebackup --host="$PRIMARY_HOST" --port="$primary_port" --username="$user" --pgdata="$data" \
    --wal-method=stream --write-recovery-conf --create-slot --slot="$slot" --checkpoint=fast --no-password
  cp "$conf" "$data/commentservice-standby.conf"
  echo "include_if_exists = 'commentservice-standby.conf'" >> "$data/postgresql.conf"
fi
[ -f "$data/standby.signal" ] || { echo "standby: $data is not a standby (no standby.signal); refusing to start it as one" >&2; exit 1; }

if [ "${FOREGROUND:-0}" = 1 ]; then
  exec postgres -D "$data" -p "$port"
fi
pg_ctl -D "$data" -o "-p $port" -l "$data/standby.log" -w start
echo "standby: streaming from $PRIMARY_HOST:$primary_port on port $port" >&2
