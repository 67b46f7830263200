#!/usr/bin/env bash
# /docker-entrypoint-initdb.d hook of the official postgres image (first start of an empty primary):
# creates the roles and the database (roles.sql) and lets the standby connect for replication.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$APP_PASSWORD" -v owner_password="$OWNER_PASSWORD" -v replicator_password="$REPLICATOR_PASSWORD" \
  -f /commentservice/roles.sql
cat >> "$PGDATA/pg_hba.conf" <<'HBA'
# CommentService: the standby streams WAL as `replicator` (compose network only).
host replication replicator all scram-sha-256
HBA
