#!/usr/bin/env bash
# Load benchmark: gunicorn (gunicorn.conf.py) on 127.0.0.1 with PostgreSQL and Redis, wrk against every
# page in benchmarks/urls.txt, once with the page cache and once without. Writes raw wrk output, the access
# log and worker memory to $BENCH_OUT and prints the Markdown table for docs/benchmarks.md.
#
#   benchmarks/load.sh                        # 64 connections, 30 s per page (the reported run)
#   BENCH_DURATION=5s benchmarks/load.sh      # a quick check of the machinery
#
# Needs: wrk (apt-get install -y wrk), PostgreSQL at $BENCH_DATABASE_URL, Redis at $BENCH_REDIS_URL.
#
# Python: the project's own environment wherever it lives. $PY if set (e.g. PY=/srv/venv/bin/python),
# else the active virtualenv ($VIRTUAL_ENV), else dev.py's ($PORTAL_VENV or ./.venv), else python3 on
# the PATH. gunicorn runs as "$PY -m gunicorn", so it is always the gunicorn of that environment.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PY:-}" ]; then
  for candidate in "${VIRTUAL_ENV:+$VIRTUAL_ENV/bin/python}" "${PORTAL_VENV:-.venv}/bin/python"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then PY=$candidate; break; fi
  done
  PY=${PY:-python3}
fi
$PY -c 'import gunicorn, django' 2>/dev/null || { echo "$PY has no gunicorn/Django: set PY to the project's python" >&2; exit 1; }
DB_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_prod_bench}
REDIS=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/5}
PORT=${BENCH_PORT:-8150}
DURATION=${BENCH_DURATION:-30s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
URLS=${BENCH_URLS:-benchmarks/urls.txt}
# cached: the page cache on; uncached: page cache off, the per-library-version memos on (a cache miss or a
# Redis outage); computed: both off (every request as the first after an editor's save).
MODES=${BENCH_MODES:-cached uncached computed}
OUT=${BENCH_OUT:-benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ)}
BASE="http://127.0.0.1:${PORT}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
mkdir -p "$OUT"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

export DATABASE_URL="$DB_URL" REDIS_URL="$REDIS"
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_TRUST_X_FORWARDED_PROTO=1 DJANGO_BENCH_CEILING=1
export DJANGO_CACHE_PREFIX="bench-$$"
# The API's anonymous rate limit off: 64 connections from one address would otherwise measure how fast
# the API says 429 (BENCH_API_RATE=120/min measures the production limit instead).
export API_ANON_RATE="${BENCH_API_RATE:-}"
export GUNICORN_BIND="127.0.0.1:${PORT}" GUNICORN_FORWARDED_ALLOW_IPS=127.0.0.1
# The production setting, stated so the report can name it: 2 x cores + 1 processes, 4 threads each.
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-$(($(nproc) * 2 + 1))}" GUNICORN_THREADS="${GUNICORN_THREADS:-4}"
# No worker recycling during the run, so "memory after the run" is the memory of workers that served it.
export GUNICORN_MAX_REQUESTS=0

# A database of its own, with the library loaded and static files collected, as in production.
db_name="${DB_URL##*/}"
psql "${DB_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='${db_name}'" | grep -q 1 \
  || psql "${DB_URL%/*}/postgres" -qc "CREATE DATABASE \"${db_name}\""
$PY manage.py migrate --noinput -v0
$PY manage.py load_library -v0
$PY manage.py collectstatic --noinput -v0

worker_memory() {  # "pid rss_kib pss_kib" for every worker of the master $1
  for pid in $(pgrep -P "$1"); do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    echo "$pid $rss $pss"
  done
}

master=""
stop_server() { if [ -n "$master" ]; then kill "$master" 2>/dev/null || true; wait "$master" 2>/dev/null || true; master=""; fi; }
trap stop_server EXIT

for mode in $MODES; do
  if [ "$mode" = cached ]; then export DJANGO_PAGE_CACHE=1; else export DJANGO_PAGE_CACHE=0; fi
  if [ "$mode" = computed ]; then export DJANGO_LIBRARY_MEMO=0; else export DJANGO_LIBRARY_MEMO=1; fi
  load_mode=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "$mode $load_mode" >>"$OUT/loadavg.txt"
  $PY -m gunicorn -c gunicorn.conf.py >"$OUT/$mode.access.jsonl" 2>"$OUT/$mode.gunicorn.log" &
  master=$!
  for _ in $(seq 1 60); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  sleep 2  # let every worker boot
  worker_memory "$master" >"$OUT/$mode.memory-rest.txt"
  # Warm every worker (imports, database connections) so the first page measured is not penalised.
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d5s -H 'X-Forwarded-Proto: https' "$BASE/bench/ceiling" >/dev/null
  while read -r name path; do
    case "$name" in ''|'#'*) continue ;; esac
    # Warm once (fills the page cache in cached mode) and record the status the page answers with.
    status=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "$BASE$path")
    echo "$name $status" >>"$OUT/$mode.status.txt"
    echo "== $mode $name $path ($status)" >&2
    # A 10 s timeout: slow answers count in the latency figures instead of vanishing as "timeouts".
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "${BENCH_WRK_TIMEOUT:-10s}" --latency -H 'X-Forwarded-Proto: https' \
      "$BASE$path" >"$OUT/$mode.$name.wrk.txt"
  done <"$URLS"
  worker_memory "$master" >"$OUT/$mode.memory-after.txt"
  echo "$mode-after $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/loadavg.txt"
  stop_server
done

{
  echo "Command: \`benchmarks/load.sh\` (BENCH_DURATION=$DURATION BENCH_CONNECTIONS=$CONNECTIONS" \
    "GUNICORN_WORKERS=$GUNICORN_WORKERS GUNICORN_THREADS=$GUNICORN_THREADS), $(nproc) cores, $(date -u +%Y-%m-%d)," \
    "load average before the run: $load_before; Python: $PY."
  echo
  $PY benchmarks/load_report.py "$OUT" "$URLS"
} | tee "$OUT/report.md"
