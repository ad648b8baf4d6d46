#!/usr/bin/env bash
# Create .venv and install the pinned dependencies (Python and npm) when they changed.
# Idempotent and quick when nothing changed; safe to run on a bare machine with Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Attune needs Python 3.11 (found: $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi

lock_sum=$(sha256sum requirements/dev.lock | cut -c1-16)
if [ "$(cat .venv/.installed 2>/dev/null)" != "$lock_sum" ]; then
  echo "==> installing Python dependencies from requirements/dev.lock"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r requirements/dev.lock 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
  echo "$lock_sum" > .venv/.installed
fi

if command -v npm >/dev/null 2>&1; then
  npm_sum=$(sha256sum package-lock.json | cut -c1-16)
  if [ "$(cat node_modules/.installed 2>/dev/null)" != "$npm_sum" ]; then
    echo "==> installing front-end libraries from package-lock.json (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$npm_sum" > node_modules/.installed
  fi
else
  echo "warning: npm not found; pages will load without htmx (they still work without it)." >&2
fi
