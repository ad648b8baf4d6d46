"""The evaluation command skips cleanly without data and runs on the real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from empathy import evaluate

DATA = evaluate.default_data_path()


def test_it_skips_cleanly_when_the_data_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert evaluate.main(["--data", str(tmp_path / "nowhere")]) == 0
    assert "data not found, skipping" in capsys.readouterr().out


def test_it_computes_binary_and_macro_f1() -> None:
    macro, positive = evaluate.binary_f1([True, True, False, False], [True, False, False, False])
    assert positive == pytest.approx(2 / 3)
    assert macro == pytest.approx((2 / 3 + 0.8) / 2)
    assert evaluate.macro_f1([0, 1, 2], [0, 1, 1], (0, 1, 2)) == pytest.approx((1 + 2 / 3 + 0) / 3)


def test_it_splits_rows_into_a_tuning_and_a_held_out_part_by_seeker_post() -> None:
    posts = [f"seeker post number {i}" for i in range(1000)]
    held = [p for p in posts if evaluate.in_part(p, "held")]
    tune = [p for p in posts if evaluate.in_part(p, "tune")]
    # Every post is on exactly one side, about a fifth held out, the same on every run.
    assert sorted(held + tune) == sorted(posts)
    assert 150 < len(held) < 250
    assert held == [p for p in posts if evaluate.in_part(p, "held")]
    assert all(evaluate.in_part(p, "all") for p in posts)


@pytest.mark.skipif(not (DATA / "epitome").is_dir(), reason="shared data not present")
def test_it_runs_on_the_real_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures.json"
    assert evaluate.main(["--data", str(DATA), "--limit", "150", "--json", str(out)]) == 0
    assert "epitome/explorations" in capsys.readouterr().out
    rows = json.loads(out.read_text())["rows"]
    listening = next(r for r in rows if r["dataset"] == "epitome/explorations")
    assert listening["binary_macro_f1"] > 0.6


@pytest.mark.skipif(not (DATA / "epitome").is_dir(), reason="shared data not present")
def test_it_reports_the_held_out_part_on_its_own(tmp_path: Path) -> None:
    out = tmp_path / "held.json"
    assert evaluate.main(["--data", str(DATA), "--part", "held", "--json", str(out)]) == 0
    payload = json.loads(out.read_text())
    explorations = next(r for r in payload["rows"] if r["dataset"] == "epitome/explorations")
    assert payload["part"] == "held"
    assert 300 < explorations["n"] < 700  # a fifth of the 2,475 rows, grouped by seeker post
