#!/usr/bin/env bash
# `make bench`: bootstrap, build the benchmark database if it does not hold the requested
# size yet, then measure. Loopback only (PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379/12).
#
#   make bench                          # 10,000 tickets, database attune_bench
#   BENCH_TICKETS=1000000 make bench    # 1M tickets (generation takes ~10 minutes)
#   BENCH_DB=attune_bench_1m BENCH_RUNS=30 BENCH_ARGS="--skip surveys" make bench
#
# Results: a table on stdout and bench/results/<timestamp>-<tickets>.json (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

TICKETS=${BENCH_TICKETS:-10000}
DB=${BENCH_DB:-attune_bench}
RUNS=${BENCH_RUNS:-30}
case "$DB" in
  attune|postgres|template0|template1|test_*) echo "refusing to use database $DB" >&2; exit 2 ;;
esac

bash scripts/bootstrap.sh
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/12}

have=$(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc \
  "SELECT value FROM bench_meta WHERE key = 'tickets'" 2>/dev/null || true)
if [ "$have" != "$TICKETS" ]; then
  echo "==> generating $TICKETS tickets into $DB (found: ${have:-nothing})"
  .venv/bin/python bench/generate.py --tickets "$TICKETS" --db "$DB"
else
  echo "==> $DB already holds $TICKETS tickets"
fi

echo "==> measuring"
# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
.venv/bin/python bench/run.py --db "$DB" --runs "$RUNS" ${BENCH_ARGS:-}
