#!/usr/bin/env bash
# Re-pin requirements/*.lock from requirements/*.in with hashes (needs PyPI access).
# Index and find-links options of this machine's pip configuration are not written into
# the lock files: they must install anywhere.
set -euo pipefail
cd "$(dirname "$0")/../requirements"
tools=${LOCK_TOOLS_VENV:-/tmp/attune-lock-tools}
[ -x "$tools/bin/pip-compile" ] || { python3 -m venv "$tools" && "$tools/bin/pip" install -q pip-tools; }
for name in base dev; do
  "$tools/bin/pip-compile" --quiet --generate-hashes --strip-extras --allow-unsafe \
    --no-emit-index-url --no-emit-find-links -o "$name.lock" "$name.in"
done
echo "Locked: $(grep -c '==' base.lock) runtime and $(grep -c '==' dev.lock) development pins."
