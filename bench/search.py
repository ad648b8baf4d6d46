"""The search section of the benchmark: tickets.search on the generated data set.

Run by bench/run.py (``--only search``, or skipped with ``--skip search``). Each query goes
through the agent's search page in-process, as the other pages do (median, p95, SQL query
count, the main SQL re-run through a cursor with its EXPLAIN ANALYZE), plus the API's
``q`` filter. The agent works one queue, so every query also applies the access rule.

The words come from the generator's vocabulary, chosen by how many tickets match:
- rare: an order number from a subject, with that subject's first word (~0.02%);
- medium: a customer's first name (a few % of tickets);
- common: "refund" (a quarter of all tickets) and a two-word query, "password reset";
- a ticket number, and a common word with the queue and open-status filters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

MeasurePage = Callable[..., dict[str, Any]]


def _matching(query: str) -> int:
    from django.db import connection

    # How many tickets the words match, whatever the user may see: the figure that makes
    # a word rare or common.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM tickets_searchdocument "
            "WHERE document @@ websearch_to_tsquery('english', %s)",
            [query],
        )
        return int(cursor.fetchone()[0])


def _rare_query() -> str:
    from tickets.models import Ticket

    # Subjects like "Crash in order #32859": the number, with the subject's first word.
    for subject in Ticket.objects.filter(subject__regex=r"#[0-9]{4,}").values_list(
        "subject", flat=True
    )[:50]:
        number = re.search(r"#(\d{4,})", subject)
        if number:
            return f"{subject.split()[0].lower()} {number.group(1)}"
    return "kubernetes"


def _visible_ticket(agent: Any) -> int:
    from tickets.access import tickets_visible_to

    # A ticket the agent may open, a few hundred from the newest.
    return int(tickets_visible_to(agent).order_by("-pk").values_list("pk", flat=True)[500])


def measure(
    info: dict[str, Any], runs: int, warmup: int, measure_page: MeasurePage
) -> dict[str, Any]:
    from django.test import Client

    from accounts.models import User
    from tickets.access import queues_visible_to
    from tickets.search import CANDIDATES

    agent = User.objects.get(pk=info["agent_id"])
    client = Client()
    client.force_login(agent)
    queue = queues_visible_to(agent).order_by("pk").first()
    queries: list[tuple[str, dict[str, str]]] = [
        ("rare", {"q": _rare_query()}),
        ("medium", {"q": "zoe"}),
        ("common", {"q": "refund"}),
        ("two words", {"q": "password reset"}),
        ("ticket number", {"q": f"#{_visible_ticket(agent)}"}),
        (
            "common, queue and open filters",
            {"q": "refund", "queue": queue.slug if queue else "", "status": "open"},
        ),
    ]
    results = []
    for label, params in queries:
        name = f"search page: {label}, q={params['q']}"
        print(f"  measuring {name} ...", flush=True)
        try:
            result = measure_page(
                name, client, f"/tickets/search/?{urlencode(params)}", runs, warmup
            )
        except Exception as exc:  # one broken query must not lose the other figures
            print(f"    FAILED: {exc!r}", flush=True)
            results.append({"name": name, "error": repr(exc)})
            continue
        result["matching_tickets"] = _matching(params["q"])
        results.append(result)
    name = "search API: q=refund"
    print(f"  measuring {name} ...", flush=True)
    results.append(measure_page(name, client, "/api/v1/tickets/?q=refund", runs, warmup))
    return {"candidates": CANDIDATES, "agent_queue": queue.slug if queue else None, "runs": results}


def print_section(section: dict[str, Any]) -> None:
    print(
        f"\nsearch (agent of queue {section['agent_queue']}; the best of the newest "
        f"{section['candidates']} matches are ranked)"
    )
    for r in section["runs"]:
        if "error" in r:
            print(f"  {r['name']}: FAILED {r['error']}")
            continue
        matching = f", {r['matching_tickets']:,} tickets match" if "matching_tickets" in r else ""
        print(
            f"  {r['name']}: median {r['median_ms']} ms, p95 {r['p95_ms']} ms, "
            f"{r['queries_max']} queries, main SQL {r['main_sql_ms']} ms{matching}"
        )
