"""Round-trip the JSON-lines CLI in a subprocess, without Django settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(stdin: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "empathy.analyzer"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def test_it_scores_each_line_and_keeps_the_id() -> None:
    lines = [
        {"id": 1, "reply": "That sounds really frustrating.", "customer_message": "I'm fed up!!"},
        {"id": "b", "reply": "We open at 9."},
    ]
    proc = _run("".join(json.dumps(x) + "\n" for x in lines))
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b"]
    for o in out:
        assert {"overall", "version", "spans", "suggestions"} <= set(o)
        for name in ("listening", "validation", "reflection", "tone"):
            assert set(o[name]) == {"level", "confidence"}
    assert out[0]["validation"]["level"] == 2


def test_it_reports_bad_lines_and_carries_on_with_a_failing_exit_code() -> None:
    stdin = '{"id": 1, "reply": 5}\nnot json\n{"id": 3, "reply": "Thanks!"}\n'
    proc = _run(stdin)
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["id"] == 1
    assert "error" in out[0]
    assert "error" in out[1]
    assert out[2]["id"] == 3
    assert "overall" in out[2]
