#!/usr/bin/env bash
# Opt-in soak: the database-outage test run longer (default 300 s), with PostgreSQL stopped every six
# seconds, alternately a fast shutdown and a crash (pg_ctl -m immediate), under eight concurrent posters.
# Prints the test's figures (requests, 201s, 503s, 500s, acknowledged comments found).
#
#   scripts/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
export COMMENTS_SOAK_SECONDS=${1:-300} COMMENTS_PG_FAST=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/CommentService.Api.Tests -c Release -v quiet -nologo >/dev/null
exec dotnet test tests/CommentService.Api.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Reliability.DatabaseOutageTests" --logger "console;verbosity=detailed"
