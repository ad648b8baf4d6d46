#!/usr/bin/env bash
# `make test`: the whole suite, as CI runs it.
#
# Uses PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379) when they
# answer; the integration tests start their own Celery worker. With CI=true both services
# are required and the run fails with a clear message if they are missing. Without them
# (a laptop with nothing running) the suite runs on SQLite and skips the integration tier.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/ensure_chromium.sh
PY=.venv/bin/python

export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/attune}
export REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

services_ok=$($PY scripts/check_services.py && echo yes || echo no)
if [ "$services_ok" != yes ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but PostgreSQL or Redis is unreachable (see above): refusing to skip." >&2
    exit 1
  fi
  echo "==> PostgreSQL/Redis not reachable: running on SQLite, integration tests skipped."
  unset DATABASE_URL REDIS_URL
  export ATTUNE_SKIP_INTEGRATION=1
fi

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> mypy"
.venv/bin/mypy
bash scripts/security.sh
echo "==> manage.py check"
DJANGO_SETTINGS_MODULE=helpdesk.settings_test $PY manage.py check --fail-level WARNING
$PY manage.py makemigrations --check --dry-run --settings=helpdesk.settings_test >/dev/null \
  || { echo "Model changes without a migration: run makemigrations." >&2; exit 1; }
echo "==> pytest"
$PY -m pytest "$@"
