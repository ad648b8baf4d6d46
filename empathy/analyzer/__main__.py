"""JSON-lines CLI: ``python -m empathy.analyzer < in.jsonl > out.jsonl``.

Each input line is ``{"id": ..., "reply": "...", "customer_message": "..."}``
(customer_message optional). Each output line carries the same ``id`` plus
``version``, ``overall``, one ``{"level", "confidence"}`` object per component,
``opportunity``, ``spans`` and ``suggestions``. A bad line yields
``{"id": ..., "error": "..."}``; the run continues and exits 1 at the end.
Blank lines are skipped. Needs no Django settings and no database.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from empathy.analyzer import analyze


def process_line(line: str) -> tuple[dict[str, Any], bool]:
    """Return (output object, ok) for one input line."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON: {exc.msg}"}, False
    if not isinstance(item, dict):
        return {"id": None, "error": "each line must be a JSON object"}, False
    ident = item.get("id")
    reply = item.get("reply")
    customer = item.get("customer_message")
    if not isinstance(reply, str):
        return {"id": ident, "error": "'reply' must be a string"}, False
    if customer is not None and not isinstance(customer, str):
        return {"id": ident, "error": "'customer_message' must be a string or null"}, False
    result = analyze(reply, customer)
    return {"id": ident, **result.to_dict()}, True


def run(stdin: IO[str], stdout: IO[str]) -> int:
    errors = 0
    for line in stdin:
        if not line.strip():
            continue
        out, ok = process_line(line)
        errors += not ok
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 1 if errors else 0


def main() -> int:
    return run(sys.stdin, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
