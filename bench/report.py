"""Compare bench/run.py results across data-set sizes as Markdown tables.

Run: ``python bench/report.py bench/results/A.json bench/results/B.json ...`` (any order;
sorted by size). Prints one table of page figures per size and the size-dependent
targets: query counts constant from the smallest to the largest data set.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def load(paths: list[str]) -> list[dict[str, Any]]:
    reports = [json.loads(Path(p).read_text()) for p in paths]
    return sorted(reports, key=lambda r: r["meta"]["tickets"])


def page_key(name: str) -> str:
    # "queue: manager, all, page 21" differs by size: compare deep pages as one row.
    return "queue: manager, all, deep page" if ", all, page " in name else name


def main() -> None:
    reports = load(sys.argv[1:])
    if not reports:
        raise SystemExit("usage: report.py RESULT.json [RESULT.json ...]")
    sizes = [f"{r['meta']['tickets']:,}" for r in reports]
    print("| page | " + " | ".join(f"{s}: median / p95 / Python CPU ms" for s in sizes) + " |")
    print("|---|" + "---|" * len(reports))
    names: list[str] = []
    for r in reports:
        for p in r.get("pages", []):
            if page_key(p["name"]) not in names:
                names.append(page_key(p["name"]))
    by_size = [{page_key(p["name"]): p for p in r.get("pages", [])} for r in reports]
    for name in names:
        cells = []
        for pages in by_size:
            p = pages.get(name)
            if p is None or "error" in p:
                cells.append("n/a")
            else:
                cells.append(f"{p['median_ms']:.1f} / {p['p95_ms']:.1f} / {p['python_cpu_ms']:.1f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print("| page | " + " | ".join(f"{s}: queries; main SQL ms; page/SQL" for s in sizes) + " |")
    print("|---|" + "---|" * len(reports))
    for name in names:
        cells = []
        for pages in by_size:
            p = pages.get(name)
            if p is None or "error" in p:
                cells.append("n/a")
            else:
                q = p["queries_max"]
                q_text = str(q) if p["queries_min"] == q else f"{p['queries_min']}-{q}"
                cells.append(f"{q_text}; {p['main_sql_ms']:.2f}; {p['page_over_sql']}x")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    for name in names:
        counts = {
            pages[name]["queries_max"]
            for pages in by_size
            if name in pages and "error" not in pages[name]
        }
        verdict = "constant" if len(counts) == 1 else f"varies: {sorted(counts)}"
        print(f"- {name}: queries {verdict}")
    print()
    for r in reports:
        size = f"{r['meta']['tickets']:,}"
        extra = []
        if "analyzer" in r:
            extra.append(f"analyzer {r['analyzer']['replies_per_s_cpu']:,}/s per core")
        if "http" in r:
            c, i = r["http"]["coach"], r["http"]["intake"]
            extra.append(f"coaching p50 {c['p50_ms']} / p95 {c['p95_ms']} ms")
            extra.append(f"intake {i['per_s']}/s, {i['errors']} errors")
        if "surveys" in r:
            s = r["surveys"]
            extra.append(f"surveys {s['sent']:,} in {s['seconds']} s")
        load_avg = r["machine"].get("load_average")
        print(f"- {size}: " + "; ".join(extra) + f"; load average at start {load_avg}")


if __name__ == "__main__":
    main()
