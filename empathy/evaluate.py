"""Evaluate the empathy analyzer on the shared research data (never shipped).

Usage::

    python -m empathy.evaluate [--data PATH] [--json out.json] [--limit N] [--part all|tune|held]

PATH defaults to $ATTUNE_EMPATHY_DATA, else ``../shared/data`` next to the repo.
Prints "data not found, skipping" and exits 0 when the folder is absent.

Mappings: validation <-> EPITOME emotional-reactions, reflection <->
interpretations, listening <-> explorations; ESConv "Question" <-> listening,
"Affirmation and Reassurance" <-> validation, "Restatement or Paraphrasing" +
"Reflection of feelings" <-> reflection.

``--part`` guards against overfitting: rules are tuned on ``tune`` (EPITOME rows whose
seeker post hashes, CRC32 mod 5, to 0-3, and ESConv ``train.jsonl``) and checked on
``held`` (the other EPITOME fifth, so a seeker post is never on both sides, and ESConv
``valid.jsonl``). The default ``all`` is every row.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from empathy.analyzer import VERSION, analyze

EPITOME = {
    "validation": "emotional-reactions-reddit.csv",
    "reflection": "interpretations-reddit.csv",
    "listening": "explorations-reddit.csv",
}
ESCONV = {
    "listening": frozenset({"Question"}),
    "validation": frozenset({"Affirmation and Reassurance"}),
    "reflection": frozenset({"Restatement or Paraphrasing", "Reflection of feelings"}),
}
_WORD = re.compile(r"\S+")
PARTS = ("all", "tune", "held")
_ESCONV_FILES = {
    "all": ("train.jsonl", "valid.jsonl"),
    "tune": ("train.jsonl",),
    "held": ("valid.jsonl",),
}


def in_part(seeker_post: str, part: str) -> bool:
    """Whether an EPITOME row belongs to ``part``; grouped by seeker post, fixed by hash."""
    if part == "all":
        return True
    held = zlib.crc32(seeker_post.encode("utf-8")) % 5 == 4
    return held if part == "held" else not held


def default_data_path() -> Path:
    env = os.environ.get("ATTUNE_EMPATHY_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def binary_f1(gold: Sequence[bool], pred: Sequence[bool]) -> tuple[float, float]:
    """(macro-F1 over the two classes, F1 of the positive class)."""
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    tn = len(gold) - tp - fp - fn
    pos = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    neg = 2 * tn / (2 * tn + fn + fp) if tn + fp + fn else 1.0
    return (pos + neg) / 2, pos


def macro_f1(gold: Sequence[int], pred: Sequence[int], labels: Iterable[int]) -> float:
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return sum(scores) / len(scores)


def _token_set(text: str, ranges: Iterable[tuple[int, int]]) -> set[int]:
    ranges = list(ranges)
    out = set()
    for i, m in enumerate(_WORD.finditer(text)):
        if any(m.start() < e and s < m.end() for s, e in ranges):
            out.add(i)
    return out


def _rationale_ranges(text: str, rationales: str) -> list[tuple[int, int]]:
    out = []
    for part in rationales.split("|"):
        part = part.strip()
        if not part:
            continue
        at = text.find(part)
        if at != -1:
            out.append((at, at + len(part)))
    return out


def _token_f1(gold: set[int], pred: set[int]) -> float:
    if not gold and not pred:
        return 1.0
    overlap = len(gold & pred)
    if overlap == 0:
        return 0.0
    precision, recall = overlap / len(pred), overlap / len(gold)
    return 2 * precision * recall / (precision + recall)


def evaluate_epitome(
    folder: Path, limit: int | None = None, part: str = "all"
) -> list[dict[str, Any]]:
    rows_out = []
    for component, filename in EPITOME.items():
        path = folder / filename
        if not path.exists():
            continue
        gold: list[int] = []
        pred: list[int] = []
        span_all: list[float] = []
        span_tp: list[float] = []
        with path.open(newline="", encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if limit is not None and i >= limit:
                    break
                if not in_part(row["seeker_post"], part):
                    continue
                reply = row["response_post"]
                result = analyze(reply, row["seeker_post"])
                level = result.component(component).level  # type: ignore[arg-type]
                gold.append(int(row["level"]))
                pred.append(level)
                if gold[-1] > 0:
                    ours = [
                        (s.start, s.end)
                        for s in result.spans
                        if s.component == component and s.polarity == "+"
                    ]
                    f1 = _token_f1(
                        _token_set(reply, _rationale_ranges(reply, row["rationales"])),
                        _token_set(reply, ours),
                    )
                    span_all.append(f1)
                    if level > 0:
                        span_tp.append(f1)
        binary_macro, binary_pos = binary_f1([g > 0 for g in gold], [p > 0 for p in pred])
        rows_out.append(
            {
                "dataset": "epitome/" + filename.removesuffix("-reddit.csv"),
                "component": component,
                "n": len(gold),
                "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
                "binary_macro_f1": binary_macro,
                "binary_positive_f1": binary_pos,
                "macro_f1_3class": macro_f1(gold, pred, (0, 1, 2)),
                "span_token_f1": sum(span_tp) / len(span_tp) if span_tp else 0.0,
                "span_token_f1_all_gold": sum(span_all) / len(span_all) if span_all else 0.0,
            }
        )
    return rows_out


def _esconv_turns(
    folder: Path, limit: int | None, part: str = "all"
) -> Iterable[tuple[str, str | None, str]]:
    """(reply, preceding customer turns, strategy) for every supporter turn."""
    count = 0
    for name in _ESCONV_FILES[part]:
        path = folder / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                conv = json.loads(line)
                pending: list[str] = []
                for turn in conv["dialog"]:
                    if turn["speaker"] == "usr":
                        pending.append(turn["text"])
                        continue
                    if limit is not None and count >= limit:
                        return
                    count += 1
                    yield turn["text"], (" ".join(pending) or None), turn.get("strategy", "")
                    pending = []


def evaluate_esconv(
    folder: Path, limit: int | None = None, part: str = "all"
) -> list[dict[str, Any]]:
    gold: dict[str, list[bool]] = {c: [] for c in ESCONV}
    pred: dict[str, list[bool]] = {c: [] for c in ESCONV}
    for reply, customer, strategy in _esconv_turns(folder, limit, part):
        result = analyze(reply, customer)
        for component, strategies in ESCONV.items():
            gold[component].append(strategy in strategies)
            pred[component].append(result.component(component).level > 0)  # type: ignore[arg-type]
    rows = []
    for component, strategies in ESCONV.items():
        g, p = gold[component], pred[component]
        if not g:
            continue
        binary_macro, binary_pos = binary_f1(g, p)
        rows.append(
            {
                "dataset": "esconv/" + "+".join(sorted(strategies)),
                "component": component,
                "n": len(g),
                "accuracy": sum(a == b for a, b in zip(g, p, strict=True)) / len(g),
                "binary_macro_f1": binary_macro,
                "binary_positive_f1": binary_pos,
            }
        )
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    cols = [
        ("dataset", 62),
        ("component", 10),
        ("n", 6),
        ("accuracy", 8),
        ("binary_macro_f1", 8),
        ("binary_positive_f1", 8),
        ("macro_f1_3class", 8),
        ("span_token_f1", 8),
        ("span_token_f1_all_gold", 8),
    ]
    heads = ["dataset", "component", "n", "acc", "bin-mF1", "pos-F1", "3c-mF1", "spanF1", "spanF1*"]
    lines = ["  ".join(h.ljust(w) for h, (_, w) in zip(heads, cols, strict=True))]
    for row in rows:
        cells = []
        for key, width in cols:
            value = row.get(key, "")
            cells.append((f"{value:.3f}" if isinstance(value, float) else str(value)).ljust(width))
        lines.append("  ".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m empathy.evaluate", description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="folder with epitome/ and esconv/")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--limit", type=int, default=None, help="rows per set (quick runs)")
    parser.add_argument(
        "--part", choices=PARTS, default="all", help="tune / held-out split (see module doc)"
    )
    args = parser.parse_args(argv)
    folder: Path = args.data or default_data_path()
    if not (folder / "epitome").is_dir() and not (folder / "esconv").is_dir():
        print(f"data not found, skipping ({folder})")
        return 0
    rows = evaluate_epitome(folder / "epitome", args.limit, args.part)
    rows += evaluate_esconv(folder / "esconv", args.limit, args.part)
    print(f"empathy analyzer {VERSION} on {folder}, part: {args.part}")
    print(format_table(rows))
    print("bin-mF1: binary (level>0) macro-F1; pos-F1: F1 of the positive class;")
    print("spanF1: token F1 vs EPITOME rationales on rows both sides call positive;")
    print("spanF1*: same, averaged over every gold-positive row (misses count 0).")
    if args.json is not None:
        payload = {"version": VERSION, "data": str(folder), "part": args.part, "rows": rows}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
