#!/usr/bin/env bash
# Runs CommentService on http://127.0.0.1:5080 with one command.
#  - With a working Docker engine: Docker Compose (PostgreSQL + the API image from deploy/Dockerfile).
#  - Otherwise: a local PostgreSQL cluster from the system's binaries (apt-installed when missing and
#    running as root), then the API from a Release build.
# Prints the operator (admin) key: generated on first run and kept beside the data, or taken from
# COMMENTS_ADMIN_KEY. Settings: PORT (5080), COMMENTS_PG_DIR (where the local cluster lives).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-5080}
pgdir=${COMMENTS_PG_DIR:-${TMPDIR:-/tmp}/commentservice-pg}
keyfile="$pgdir.admin-key"

new_key() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }

if [ "${USE_DOCKER:-auto}" != no ] && command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  export COMMENTS_ADMIN_KEY=${COMMENTS_ADMIN_KEY:-$(new_key)}
  export PORT=$port
  docker compose up --build -d
  echo "CommentService: http://127.0.0.1:$port  (docker compose logs -f api; docker compose down to stop)"
  echo "Operator key (COMMENTS_ADMIN_KEY): $COMMENTS_ADMIN_KEY"
  exit 0
fi

conn=$(scripts/local-postgres.sh start "$pgdir")
pgport=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$conn")
psql_() { psql -h 127.0.0.1 -p "$pgport" -U postgres -X -q -t "$@"; }
if ! psql_ -c "SELECT 1 FROM pg_database WHERE datname = 'comments'" | grep -q 1; then
  psql_ -c "CREATE DATABASE comments"
fi

if [ -z "${COMMENTS_ADMIN_KEY:-}" ]; then
  [ -s "$keyfile" ] || { new_key >"$keyfile"; chmod 600 "$keyfile"; }
  COMMENTS_ADMIN_KEY=$(cat "$keyfile")
fi
export COMMENTS_ADMIN_KEY
export ConnectionStrings__Comments="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=comments"
export ASPNETCORE_URLS="http://127.0.0.1:$port"

dotnet build src/CommentService.Api -c Release -nologo -v quiet >/dev/null
echo "PostgreSQL: $pgdir on port $pgport (stop it with: scripts/local-postgres.sh stop $pgdir)"
echo "CommentService: http://127.0.0.1:$port   (Ctrl-C stops the API)"
echo "Operator key (COMMENTS_ADMIN_KEY): $COMMENTS_ADMIN_KEY"
exec dotnet src/CommentService.Api/bin/Release/net10.0/CommentService.Api.dll
