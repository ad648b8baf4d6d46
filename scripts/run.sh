#!/usr/bin/env bash
# `make run`: set up, migrate, load the demo and serve on http://127.0.0.1:8000.
# No configuration: SQLite and in-process tasks. With DATABASE_URL / REDIS_URL set,
# PostgreSQL and a Redis-backed Celery worker (started here, stopped on exit).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
PY=.venv/bin/python

$PY manage.py migrate --noinput -v0
$PY manage.py demo_data

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  echo "==> REDIS_URL set: starting a Celery worker and beat"
  .venv/bin/celery -A helpdesk worker -B -Q default,mail,scoring,surveys --loglevel=INFO \
    --concurrency=2 > var/worker.log 2>&1 &
  pids+=($!)
  echo "    worker log: var/worker.log"
fi
echo
echo "==> Attune runs on http://127.0.0.1:8000  (Ctrl-C stops it)"
$PY manage.py runserver 127.0.0.1:8000
