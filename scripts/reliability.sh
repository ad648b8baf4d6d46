#!/usr/bin/env bash
# `make reliability`: bootstrap, then run the reliability scenarios against real PostgreSQL,
# Redis, Celery and gunicorn (docs/reliability.md). Loopback only. Every run starts its own
# redis-server on a spare port (never the shared 6379: the broker scenario stops and freezes
# it); the database is created and migrated when missing.
#
#   make reliability                                         # short sizes, attune_reliability
#   RELIABILITY_SIZE=full make reliability                   # full sizes, all but the soak
#   RELIABILITY_SIZE=full RELIABILITY_DB=attune_reliability_soak RELIABILITY_LOCK=0 \
#     BENCH_ARGS="--only soak" make reliability              # the 30 minute soak
#
# Timings are taken under `flock /tmp/bench.lock` (one timed run at a time on a shared
# machine); RELIABILITY_LOCK=0 skips the lock, for the soak, which runs at a modest rate.
# Results: a table on stdout and bench/results/reliability-<timestamp>-<size>-<scenarios>.json.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${RELIABILITY_SIZE:-short}
DB=${RELIABILITY_DB:-attune_reliability}
command -v redis-server >/dev/null || { echo "redis-server is required (apt-get install redis-server)" >&2; exit 2; }

bash scripts/bootstrap.sh
# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
cmd=(.venv/bin/python bench/reliability.py --size "$SIZE" --db "$DB" ${BENCH_ARGS:-})
if [ "${RELIABILITY_LOCK:-1}" = "0" ]; then
  "${cmd[@]}"
else
  flock /tmp/bench.lock "${cmd[@]}"
fi
