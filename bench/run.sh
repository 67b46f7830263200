#!/usr/bin/env bash
# The performance benchmark, in one run on one machine (see README, "Performance"):
#   bench/run.sh            1,000,000 comments; BENCH_COMMENTS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_RATE, BENCH_SEED change it
# Starts its own tuned PostgreSQL in /tmp, builds the API in Release, seeds, starts the API on a loopback
# port (rate limits off), measures, writes bench/report/REPORT.md and bench/report/thread-latency.png
# (raw figures in bench/report/raw/), and stops everything it started. Needs wrk (installed with apt when
# run as root and missing) and pgbench (PostgreSQL's own).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

COMMENTS=${BENCH_COMMENTS:-1000000}
SEED=${BENCH_SEED:-20261127}
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
RATE=${BENCH_RATE:-200}
POST_SECONDS=${BENCH_POST_SECONDS:-30}
SIZES_QUERY="?limit=20&maxReplies=4"   # Scripts.PageQuery in bench/CommentService.Bench

out=$root/bench/report
raw=$out/raw
rm -rf "$raw"; mkdir -p "$raw"
work=$(mktemp -d /tmp/commentservice-bench.XXXX)
chmod 755 "$work"
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing wrk (Debian package)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
  else
    echo "wrk is needed: apt-get install wrk" >&2; exit 1
  fi
fi
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | tail -1)
psql_bin=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -1)

api_pid=""
pgdir=$work/pg
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  scripts/local-postgres.sh stop "$pgdir" || true
  rm -rf "$work"
}
trap cleanup EXIT

log "starting PostgreSQL in $pgdir"
pg_settings="shared_buffers=1GB work_mem=16MB maintenance_work_mem=512MB effective_cache_size=4GB random_page_cost=1.1 jit=off max_wal_size=8GB fsync=off"
export COMMENTS_PG_FAST=1
export COMMENTS_PG_OPTS="-c shared_buffers=1GB -c work_mem=16MB -c maintenance_work_mem=512MB -c effective_cache_size=4GB -c random_page_cost=1.1 -c jit=off -c max_wal_size=8GB -c checkpoint_timeout=30min"
admin_cs=$(scripts/local-postgres.sh start "$pgdir")
port=$(echo "$admin_cs" | sed -E 's/.*Port=([0-9]+).*/\1/')
"$psql_bin" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE bench" >/dev/null
cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
psql() { "$psql_bin" -h 127.0.0.1 -p "$port" -U postgres -d bench -X "$@"; }

log "building (Release)"
dotnet build src/CommentService.Api -c Release -v q -nologo >&2
dotnet build bench/CommentService.Bench -c Release -v q -nologo >&2
bench() { dotnet bench/CommentService.Bench/bin/Release/net10.0/CommentService.Bench.dll "$@"; }

api_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
api=http://127.0.0.1:$api_port
log "starting the API on $api (migrations apply at start)"
ASPNETCORE_URLS=$api ConnectionStrings__Comments="$cs" COMMENTS_ADMIN_KEY=bench-operator-key-0123456789 \
  Comments__RateLimits__Enabled=false Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet src/CommentService.Api/bin/Release/net10.0/CommentService.Api.dll >"$work/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 120); do curl -sf "$api/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "$api/health/ready" >/dev/null || { cat "$work/api.log" >&2; exit 1; }

# CPU time, in ms, of the API process and of this PostgreSQL cluster (the postmaster, its live children and
# the reaped ones): taken around each measurement to tell where a request's time goes.
clk=$(getconf CLK_TCK)
api_cpu() { awk -v clk="$clk" '{printf "%.0f", ($14+$15)*1000/clk}' "/proc/$api_pid/stat"; }
pg_cpu() {
  local pm; pm=$(head -1 "$pgdir/postmaster.pid")
  # Processes come and go while this reads /proc: cat's complaint about a vanished one is not a failure.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$pm" -v clk="$clk" \
    '$1==pm {s+=$14+$15+$16+$17} $4==pm {s+=$14+$15} END {printf "%.0f", s*1000/clk}'
}

log "seeding $COMMENTS comments (seed $SEED)"
seed_start=$(date +%s)
bench seed --connection "$cs" --comments "$COMMENTS" --seed "$SEED" --out "$raw/threads.json"
seed_seconds=$(( $(date +%s) - seed_start ))

log "recording the service's statements for pgbench"
bench scripts --connection "$cs" --threads "$raw/threads.json" --out "$work" >"$work/targets.tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

while IFS=$'\t' read -r size site article statements; do
  url="$api/v1/sites/$site/articles/$article/comments$SIZES_QUERY"
  log "thread of $size comments: $statements statements per read"
  curl -sf "$url" -o "$work/$size-page.json" || { curl -s "$url" >&2; tail -30 "$work/api.log" >&2; exit 1; }
  bench page --in "$work/$size-page.json" --statements "$work/$size-statements.txt" --out "$raw/$size-page.json"
  { echo "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)"; cat "$work/$size-service-page.sql"; } | psql -q >"$raw/explain-$size-service.txt"

  wrk -t1 -c"$CONNECTIONS" -d3s "$url" >/dev/null   # warm-up
  a0=$(api_cpu); p0=$(pg_cpu)
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/wrk-report.lua "$url" >"$work/$size-api.txt"
  echo "$(( $(api_cpu) - a0 )) $(( $(pg_cpu) - p0 ))" >"$raw/$size-api-cpu.txt"
  bench wrk-summary --in "$work/$size-api.txt" --out "$raw/$size-api.json"

  etag=$(curl -sf -D - -o /dev/null "$url" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "If-None-Match: $etag" -s bench/wrk-report.lua "$url" >"$work/$size-api304.txt"
  bench wrk-summary --in "$work/$size-api304.txt" --out "$raw/$size-api304.json"

  "$pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -c"$CONNECTIONS" -j1 -T3 -f "$work/$size-service.sql" bench >/dev/null 2>&1
  p0=$(pg_cpu)
  (cd "$work" && "$pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -c"$CONNECTIONS" -j1 -T"$DURATION" -l --log-prefix="$size-sql" -f "$size-service.sql" bench >"$size-sql.out" 2>&1)
  echo "0 $(( $(pg_cpu) - p0 ))" >"$raw/$size-sql-cpu.txt"
  bench pgbench-summary --log-prefix "$work/$size-sql" --stdout "$work/$size-sql.out" --out "$raw/$size-sql.json"
done <"$work/targets.tsv"

cte_options="-c enable_hashjoin=off -c enable_mergejoin=off"
log "recursive CTE design: adding its indexes"
bench cte-indexes | psql -q
while IFS=$'\t' read -r size site article statements; do
  log "recursive CTE, $size comments"
  # The CTE's own sessions walk the parent_id index (nested loops): left to itself the planner hashes every
  # comment of the database on each recursion level, which would flatter the service.
  { echo "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)"; cat "$work/$size-cte.sql"; } | PGOPTIONS="$cte_options" psql -q >"$raw/explain-$size-cte.txt"
  (cd "$work" && PGOPTIONS="$cte_options" "$pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -c"$CONNECTIONS" -j1 -T"$DURATION" -l --log-prefix="$size-cte" -f "$size-cte.sql" bench >"$size-cte.out" 2>&1)
  bench pgbench-summary --log-prefix "$work/$size-cte" --stdout "$work/$size-cte.out" --out "$raw/$size-cte.json"
done <"$work/targets.tsv"
bench cte-indexes --drop | psql -q

log "comment creation: $RATE/s for $POST_SECONDS s, open loop"
a0=$(api_cpu); p0=$(pg_cpu)
bench post --url "$api" --connection "$cs" --rate "$RATE" --seconds "$POST_SECONDS" --warmup 5 --seed "$SEED" --out "$raw/post.json" >&2
echo "$(( $(api_cpu) - a0 )) $(( $(pg_cpu) - p0 )) $(( RATE * (POST_SECONDS + 5) ))" >"$raw/post-cpu.txt"
grep VmHWM "/proc/$api_pid/status" | awk '{print $2}' >"$raw/memory.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""
scripts/local-postgres.sh stop "$pgdir"

log "moderation pipeline: BenchmarkDotNet (short job)"
[ "${BENCH_SKIP_PIPELINE:-0}" = 1 ] || (dotnet run -c Release --project bench/CommentService.Moderation.Benchmarks -- --filter '*' --job short --exporters github \
   --artifacts "$work/bdn" >"$work/bdn.log" 2>&1 && cat "$work"/bdn/results/*-report-github.md >"$raw/pipeline.md") \
  || { log "BenchmarkDotNet failed, see below"; tail -20 "$work/bdn.log" >&2; }

bench env --out "$raw/env.json" --machine "$(uname -m), $(free -g | awk '/Mem:/{print $2}') GB RAM" \
  --cpu "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" --os "$(. /etc/os-release && echo "$PRETTY_NAME")" \
  --postgres "$("$pgbench" --version | awk '{print $3}')" --commit "$(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')" \
  --load-before "$load_before" --load-after "$load_after" --comments "$COMMENTS" --seed "$SEED" --connections "$CONNECTIONS" \
  --seconds "$DURATION" --pg-settings "$pg_settings" --seed-seconds "$seed_seconds"
bench report --raw "$raw" --out "$out"
log "wrote $out/REPORT.md and $out/thread-latency.png"
