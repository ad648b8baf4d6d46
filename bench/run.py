"""Measure Attune against a database built by bench/generate.py.

Run: ``python bench/run.py [--db attune_bench] [--runs 30]``; ``make bench`` does it all.

In-process (Django test Client, DEBUG off, bench.settings): each page is requested after a
warm-up ``--runs`` times; we report the median and p95, the SQL query count of every run
(CaptureQueriesContext), and the median time of the page's main query (its slowest SQL,
re-run as captured through a cursor) with the page / raw-SQL ratio and its EXPLAIN ANALYZE.
Over HTTP on 127.0.0.1 (gunicorn subprocess, load from a second process): live-coaching
latency and API ticket intake. With a real Celery worker on Redis: survey dispatch.
Results are printed and written to bench/results/<timestamp>-<tickets>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PG = "postgres://postgres@127.0.0.1:5432"
BENCH_REDIS = "redis://127.0.0.1:6379/12"
HOST = "127.0.0.1"  # loopback only, always

SECTIONS = {"pages", "analyzer", "http", "intake", "surveys", "search"}
TARGETS = {
    "max_queries": 10,
    "page_over_sql": 5.0,
    "analyzer_per_core": 5_000,
    "coach_p95_ms": 15.0,
    "intake_per_s": 200,
    "surveys_s": 60.0,
}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


# --- client processes (no Django) -------------------------------------------------------------


def _request(port: int, method: str, path: str, body: bytes, headers: dict[str, str]) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def client_coach(spec: dict[str, Any]) -> dict[str, Any]:
    """Sequential POSTs of drafts: the latency an agent typing sees."""
    headers = spec["headers"]
    encode = (
        (lambda p: urlencode(p).encode()) if spec["form"] else (lambda p: json.dumps(p).encode())
    )
    bodies = [encode(p) for p in spec["payloads"]]
    timings, errors = [], 0
    for i in range(spec["warmup"] + spec["n"]):
        started = time.perf_counter()
        status = _request(spec["port"], "POST", spec["path"], bodies[i % len(bodies)], headers)
        elapsed = time.perf_counter() - started
        if status != 200:
            errors += 1
        if i >= spec["warmup"]:
            timings.append(elapsed * 1000)
    return {"n": len(timings), "errors": errors, "timings_ms": timings}


def client_intake(spec: dict[str, Any]) -> dict[str, Any]:
    """Ticket POSTs from a thread pool, bounded by a count and a duration."""
    headers = {"Authorization": f"Bearer {spec['token']}", "Content-Type": "application/json"}
    payloads = [json.dumps(p).encode() for p in spec["payloads"]]
    deadline = time.monotonic() + spec["seconds"]
    lock = threading.Lock()
    state = {"next": 0, "ok": 0, "errors": 0, "statuses": {}}
    timings: list[float] = []

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                index = state["next"]
                if index >= len(payloads):
                    return
                state["next"] += 1
            started = time.perf_counter()
            try:
                status = _request(spec["port"], "POST", spec["path"], payloads[index], headers)
            except OSError as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed * 1000)
                if status == 201:
                    state["ok"] += 1
                else:
                    state["errors"] += 1
                    key = str(status)
                    state["statuses"][key] = state["statuses"].get(key, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(spec["threads"]) as pool:
        for _ in range(spec["threads"]):
            pool.submit(worker)
    wall = time.perf_counter() - started
    return {
        "requests": state["ok"] + state["errors"],
        "created": state["ok"],
        "errors": state["errors"],
        "error_statuses": state["statuses"],
        "seconds": round(wall, 2),
        "per_s": round(state["ok"] / wall, 1),
        "latency_ms_p50": round(pct(timings, 0.5), 1) if timings else None,
        "latency_ms_p95": round(pct(timings, 0.95), 1) if timings else None,
        "threads": spec["threads"],
    }


def run_client(kind: str, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run a load client in a second Python process; it talks to gunicorn over loopback."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--client", kind, "--spec", handle.name],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    finally:
        os.unlink(handle.name)
    return json.loads(out.stdout)


# --- the in-process benchmark -----------------------------------------------------------------


def setup_django(db: str) -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("REDIS_URL", BENCH_REDIS)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def meta() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT key, value FROM bench_meta")
        return {k: json.loads(v) if isinstance(v, str) else v for k, v in cur.fetchall()}


def raw_sql_ms(sql: str, runs: int) -> tuple[float, str]:
    """Median time of one SQL statement through a cursor, and its EXPLAIN ANALYZE."""
    from django.db import connection

    timings = []
    with connection.cursor() as cur:
        for _ in range(3):
            cur.execute(sql)
            cur.fetchall()
        for _ in range(runs):
            started = time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cur.fetchall())
    return statistics.median(timings), plan


def measure_page(
    name: str, client: Any, path: str, runs: int, warmup: int, note: str = ""
) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
    timings, counts, cpu = [], [], []
    slowest: dict[str, Any] = {}
    captured_ms = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (name, response.status_code)
        timings.append(elapsed)
        counts.append(len(ctx.captured_queries))
        captured_ms.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        top = max(ctx.captured_queries, key=lambda q: float(q["time"]))
        slowest[top["sql"]] = slowest.get(top["sql"], 0) + 1
    main_sql = max(slowest, key=lambda sql: slowest[sql])
    sql_ms, plan = raw_sql_ms(main_sql, runs)
    median = statistics.median(timings)
    return {
        "name": name,
        "path": path,
        "runs": runs,
        "median_ms": round(median, 2),
        "p95_ms": round(pct(timings, 0.95), 2),
        # CPU time of this process (Python, Django, templates; not PostgreSQL): robust to
        # other load on the machine, unlike the wall-clock figures.
        "python_cpu_ms": round(statistics.median(cpu), 2),
        "queries_min": min(counts),
        "queries_max": max(counts),
        "sql_total_ms": round(statistics.median(captured_ms), 2),
        "main_sql_ms": round(sql_ms, 3),
        "page_over_sql": round(median / sql_ms, 1) if sql_ms else None,
        "main_sql": main_sql,
        "explain": plan,
        "bytes": len(response.content),
        "note": note,
    }


def in_process(info: dict[str, Any], runs: int, warmup: int) -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from tickets.models import Queue, Ticket
    from tickets.selectors import queue_page, queue_tickets

    agent = User.objects.get(pk=info["agent_id"])
    manager = User.objects.get(pk=info["manager_id"])
    big = Ticket.objects.get(pk=info["big_ticket_id"])
    big_agent = Queue.objects.get(pk=big.queue_id).agents.order_by("pk").first()

    def client_for(user: Any) -> Any:
        client = Client()
        client.force_login(user)
        return client

    agent_client, manager_client = client_for(agent), client_for(manager)
    big_client = client_for(big_agent)

    # The deep page: follow the keyset cursor 20 pages into the manager's "all" view.
    cursor, depth = None, 0
    tickets = queue_tickets(user=manager, view="all")
    for _ in range(20):
        _, following = queue_page(tickets, after=cursor)
        if following is None:
            break
        cursor, depth = following, depth + 1
    deep = f"/tickets/?view=all&after={quote(cursor.encode())}" if cursor else "/tickets/?view=all"
    pages = [
        ("queue: agent, mine, first page", agent_client, "/tickets/", ""),
        ("queue: manager, all, first page", manager_client, "/tickets/?view=all", ""),
        (
            f"queue: manager, all, page {depth + 1}",
            manager_client,
            deep,
            f"keyset cursor after {depth} pages of 50"
            + ("" if depth == 20 else " (no deeper page at this size)"),
        ),
        (f"ticket view: {big.messages.count()} messages", big_client, f"/tickets/{big.pk}/", ""),
        (
            "search: API q=refund (full text)",
            agent_client,
            "/api/v1/tickets/?q=refund",
            "the API's q is tickets.search.tickets_matching, the search page's match",
        ),
        ("empathy dashboard: manager, 8 weeks", manager_client, "/empathy/dashboard/", ""),
        ("API ticket list: agent, first page", agent_client, "/api/v1/tickets/", ""),
    ]
    try:
        search_path = reverse("workspace:search")
    except NoReverseMatch:
        search_path = ""
    if search_path:
        pages.insert(
            4,
            (
                "search: workspace full-text, q=refund",
                agent_client,
                f"{search_path}?q=refund",
                "PostgreSQL full-text search over subjects and messages (tickets.search)",
            ),
        )
    results = []
    for name, client, path, note in pages:
        print(f"  measuring {name} ...", flush=True)
        try:
            results.append(measure_page(name, client, path, runs, warmup, note))
        except Exception as exc:  # one broken page must not lose the other figures
            print(f"    FAILED: {exc!r}", flush=True)
            results.append({"name": name, "path": path, "error": repr(exc)})
    return results


def analyzer() -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_analyzer.py"), "--n", "20000"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        cwd=ROOT,
    ).stdout
    cpu = re.search(r"throughput \(CPU\):\s+([\d,]+) replies/s", out)
    wall = re.search(r"throughput \(wall\):\s+([\d,]+) replies/s", out)
    return {
        "replies_per_s_cpu": int(cpu.group(1).replace(",", "")) if cpu else None,
        "replies_per_s_wall": int(wall.group(1).replace(",", "")) if wall else None,
        "output": out.strip(),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def service_env(db: str, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=f"{PG}/{db}",
        REDIS_URL=os.environ.get("REDIS_URL", BENCH_REDIS),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PYTHONUNBUFFERED="1",
        **extra,
    )


class Gunicorn:
    def __init__(self, db: str, workers: int) -> None:
        self.port = free_port()
        log = (ROOT / "var" / "bench-gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "helpdesk.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=service_env(db),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _request(self.port, "GET", "/healthz", b"", {}) == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start; see var/bench-gunicorn.log")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the gunicorn workers so far (Linux /proc)."""
        master = self.process.pid
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            return 0.0
        total = 0
        for pid in children:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


DRAFTS = [
    "I'm really sorry the export keeps failing, that must be frustrating. "
    "Could you tell me roughly how many rows the file has?",
    "Just clear the cache and restart the app, it's simple.",
    "I understand. However, that's our policy.",
    "Hi Anna, so if I understand correctly you were charged twice for March. "
    "I've refunded the second charge; it shows within 3-5 business days.",
    "Did you restart the router? Let me know if there is anything else.",
]


def measure_coach(
    server: Gunicorn, token: str, payloads: list[dict[str, Any]], browser: Any = None
) -> dict[str, Any]:
    """500 sequential drafts after 30 warm-ups: over the API, or as the reply editor sends them.

    The warm-ups run first and apart: each worker's first request imports the URLconf and
    the analyzer (about 0.3 s of CPU), which is not a per-request cost.
    """
    if browser is None:
        path, form = "/api/v1/empathy/coach/", False
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    else:
        # The editor's request: session cookie, CSRF token, form-encoded body.
        from django.middleware.csrf import _get_new_csrf_string
        from django.test import Client

        client = Client()
        client.force_login(browser)
        csrf = _get_new_csrf_string()
        path, form = "/empathy/coach/", True
        headers = {
            "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
    spec = {"port": server.port, "path": path, "headers": headers, "form": form,
            "payloads": payloads}  # fmt: skip
    run_client("coach", {**spec, "n": 0, "warmup": 30}, timeout=120)
    load_start = [round(x, 2) for x in os.getloadavg()]
    cpu_before = server.cpu_seconds()
    coach = run_client("coach", {**spec, "n": 500, "warmup": 0}, timeout=300)
    cpu = server.cpu_seconds() - cpu_before
    if browser is not None:
        client.logout()  # leave no session behind in the data set
    timings = coach.pop("timings_ms")
    coach.update(
        path=path,
        server_cpu_ms_per_request=round(cpu * 1000 / coach["n"], 2),
        p50_ms=round(pct(timings, 0.5), 2),
        p95_ms=round(pct(timings, 0.95), 2),
        p99_ms=round(pct(timings, 0.99), 2),
        load_average_start=load_start,
        load_average_end=[round(x, 2) for x in os.getloadavg()],
    )
    return coach


def over_http(db: str, info: dict[str, Any], workers: int, intake_n: int, seconds: int) -> dict:
    from django.db import connection

    from accounts.models import User
    from accounts.services import api_token_create
    from tickets.models import Ticket

    agent = User.objects.get(pk=info["agent_id"])
    _, token = api_token_create(user=agent, name="bench")
    ticket = Ticket.objects.visible_to(agent).order_by("-pk").values_list("pk", flat=True).first()
    payloads = [{"draft": d, "ticket": ticket} for d in DRAFTS]
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM tickets_ticket")
        max_ticket = cur.fetchone()[0]
        cur.execute("SELECT max(id) FROM accounts_user")
        max_user = cur.fetchone()[0]
    server = Gunicorn(db, workers)
    try:
        print(f"  gunicorn: {workers} workers on {HOST}:{server.port}", flush=True)
        coach = measure_coach(server, token, payloads)
        coach["browser"] = measure_coach(server, token, payloads, browser=agent)
        cpu_after = server.cpu_seconds()
        if not intake_n:  # --skip intake: live coaching alone
            return {"coach": coach}
        intake_payloads = [
            {
                "subject": f"Bench intake {i}: cannot export the report",
                "body": "Hi, the export stops at half of the rows. This is really frustrating.",
                "urgency": "normal",
                "requester_email": f"customer{(i % 20_000) + 1:05d}@example.com"
                if i % 5
                else f"bench-intake-{i}-{time.time_ns()}@example.com",
                "requester_name": "Bench Customer",
            }
            for i in range(intake_n)
        ]
        intake_load = [round(x, 2) for x in os.getloadavg()]
        # Where the CPU of a creation goes besides gunicorn: PostgreSQL's backends and the
        # load client (a child process of this one, counted once it has exited).
        pg_before, client_before = postgres_cpu_seconds(db), children_cpu_seconds()
        intake = run_client(
            "intake",
            {"port": server.port, "token": token, "path": "/api/v1/tickets/",
             "payloads": intake_payloads, "threads": 8, "seconds": seconds},
            timeout=seconds + 120,
        )  # fmt: skip
        intake["gunicorn_workers"] = workers
        intake["server_cpu_ms_per_request"] = round(
            (server.cpu_seconds() - cpu_after) * 1000 / max(1, intake["requests"]), 2
        )
        created = max(1, intake["requests"])
        intake["postgres_cpu_ms_per_request"] = round(
            (postgres_cpu_seconds(db) - pg_before) * 1000 / created, 2
        )
        intake["client_cpu_ms_per_request"] = round(
            (children_cpu_seconds() - client_before) * 1000 / created, 2
        )
        intake["load_average_start"] = intake_load
        intake["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        intake.update(creation_queries(token, intake_payloads[1]))
    finally:
        server.stop()
        # Leave the data set as generated: drop what the intake created, and the token.
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = replica")
            for sql in (
                "DELETE FROM tickets_ticketevent WHERE ticket_id > %s",
                "DELETE FROM tickets_message WHERE ticket_id > %s",
                "DELETE FROM tickets_searchdocument WHERE ticket_id > %s",
                "DELETE FROM tickets_ticket WHERE id > %s",
            ):
                cur.execute(sql, [max_ticket])
            cur.execute(
                "DELETE FROM tickets_customer WHERE user_id > %s; "
                "DELETE FROM accounts_user WHERE id > %s",
                [max_user, max_user],
            )
            cur.execute("DELETE FROM accounts_apitoken")
            cur.execute("SET session_replication_role = DEFAULT")
        flush_bench_redis()
    return {"coach": coach, "intake": intake}


def postgres_cpu_seconds(db: str) -> float:
    """User + system CPU so far of the PostgreSQL backends connected to `db` (Linux /proc).

    Persistent connections (CONN_MAX_AGE) keep gunicorn's backends alive through a run;
    anything else connected to the bench database meanwhile is counted too.
    """
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [db],
        )
        pids = [row[0] for row in cur.fetchall()]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def creation_queries(token: str, payload: dict[str, Any]) -> dict[str, int]:
    """SQL statements of one API ticket creation, in this process, once caches are warm.

    The created tickets go with the rest of the intake's in the cleanup.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = json.dumps(payload)
    client.post("/api/v1/tickets/", body, content_type="application/json")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/v1/tickets/", body, content_type="application/json")
    if response.status_code != 201:
        raise RuntimeError(f"creation for the query count failed: {response.status_code}")
    statements = [q["sql"].split(" ", 1)[0].upper() for q in ctx.captured_queries]
    bookkeeping = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"}
    return {
        "queries_per_creation": sum(s not in bookkeeping for s in statements),
        "transaction_statements_per_creation": sum(s in bookkeeping for s in statements),
    }


def flush_bench_redis() -> None:
    """The bench has Redis database 12 to itself: drop queued notifications and the cache."""
    import redis

    url = os.environ.get("REDIS_URL", BENCH_REDIS)
    if not url.rstrip("/").endswith("/12"):
        return  # someone else's database: leave it alone
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


def surveys_make_due(lo: int) -> None:
    """Reset the dispatch backlog (surveys with id >= lo) to due and unsent."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM tickets_ticketevent WHERE kind = 'survey_sent' "
            "AND (data->>'survey')::bigint >= %s",
            [lo],
        )
        cur.execute(
            "UPDATE surveys_survey SET state = 'scheduled', sent_at = NULL, reminded_at = NULL, "
            # A backlog of due surveys with distinct times, as resolutions make them. (All at
            # one instant, the dispatcher's ORDER BY send_after, pk sorts the whole backlog
            # for every survey: see docs/performance.md.)
            "send_after = now() - interval '3 hours' + (id - %s) * interval '1 millisecond' "
            "WHERE id >= %s",
            [lo, lo],
        )
        # 10,000 different customers, so the send-time cooldown check skips none of them
        # (with 20,000 customers, the history alone would have surveyed most of them
        # within the cooldown; the cooldown is also set to 0 for the worker below).
        cur.execute(
            """
            UPDATE surveys_survey s SET customer_id = c.id
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn
                  FROM surveys_survey WHERE id >= %s) x
            JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM tickets_customer) c
              USING (rn)
            WHERE s.id = x.id
            """,
            [lo],
        )
        cur.execute(
            "UPDATE tickets_ticket t SET requester_id = s.customer_id FROM surveys_survey s "
            "WHERE s.ticket_id = t.id AND s.id >= %s AND t.requester_id <> s.customer_id",
            [lo],
        )
        # Every run starts from the state of a freshly scheduled backlog: without this, the
        # index entries of the previous run's sent surveys (dead until autovacuum comes by)
        # are walked by the dispatcher's claims, and one run slows the next.
        cur.execute("VACUUM (ANALYZE) surveys_survey")


def surveys(db: str, info: dict[str, Any], timeout: float, parallel: int) -> dict[str, Any]:
    from django.db import connection

    from helpdesk.celery import app
    from surveys.tasks import surveys_dispatch_due

    lo, n = info["dispatch_min_survey_id"], info["dispatch_surveys"]
    surveys_make_due(lo)
    flush_bench_redis()
    load_start = [round(x, 2) for x in os.getloadavg()]
    name = f"bench-{os.getpid()}"
    log_path = ROOT / "var" / "bench-worker.log"
    log = log_path.open("ab")
    log_start = log.tell()
    # Quiet hours off: customers in every time zone, and all 10,000 must go now.
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "helpdesk", "worker", "-Q", "surveys",
         "--concurrency=2", "--pool=prefork", "--loglevel=WARNING", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "-n", f"{name}@%h"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env=service_env(db, ATTUNE_SURVEY_QUIET_START="0", ATTUNE_SURVEY_QUIET_END="0",
                        ATTUNE_SURVEY_COOLDOWN_DAYS="0"),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5)
            if any(name in key for reply in replies for key in reply):
                break
            if worker.poll() is not None:
                raise RuntimeError("the Celery worker exited; see var/bench-worker.log")
        else:
            raise RuntimeError("the Celery worker did not start; see var/bench-worker.log")

        def sent() -> int:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM surveys_survey WHERE id >= %s AND state = 'sent'", [lo]
                )
                return int(cur.fetchone()[0])

        started = time.perf_counter()
        for _ in range(parallel):
            surveys_dispatch_due.delay()
        done, elapsed, enqueued = 0, 0.0, parallel
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = sent()
            elapsed = time.perf_counter() - started
            if done >= n:
                break
            # As beat does in production: one more dispatch every minute while any is due.
            if elapsed > 60 * (enqueued - parallel + 1):
                surveys_dispatch_due.delay()
                enqueued += 1
            time.sleep(0.1)
        # Let every dispatcher finish (they find nothing left) before counting events.
        time.sleep(3)
        sent_final = sent()
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*), count(DISTINCT data->>'survey') FROM tickets_ticketevent "
                "WHERE kind = 'survey_sent' AND (data->>'survey')::bigint >= %s",
                [lo],
            )
            events, distinct = cur.fetchone()
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        flush_bench_redis()
    with log_path.open("rb") as handle:
        handle.seek(log_start)
        worker_log = handle.read().decode(errors="replace")
    return {
        "surveys": n,
        "sent": done,
        "soft_time_limit_hits": worker_log.count("SoftTimeLimitExceeded()"),
        "seconds": round(elapsed, 2),
        "per_s": round(done / elapsed, 1) if elapsed else None,
        "survey_sent_events": events,
        "distinct_surveys_in_events": distinct,
        "sent_after_settling": sent_final,
        # Every sent survey has exactly one SURVEY_SENT event, and no survey has two.
        "exactly_once": events == distinct == sent_final,
        # Enqueued by the benchmark (as beat would); the dispatchers' own continuations
        # and fan-out helpers are not counted.
        "dispatch_tasks": enqueued,
        "load_average_start": load_start,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "worker": "celery prefork, concurrency 2, queue surveys",
        "timed_out": done < n,
    }


# --- report -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cur.fetchone()[0]
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n")[0].split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    return {
        "nproc": os.cpu_count(),
        "memory": mem,
        "postgresql": pg,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database_size": size,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def verdicts(report: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    out: list[tuple[str, bool | None, str]] = []
    for page in report.get("pages", []):
        if "error" in page:
            out.append((f"{page['name']}", False, f"failed: {page['error'][:120]}"))
            continue
        if page["name"].startswith(("queue", "ticket view", "API ticket list")):
            q = page["queries_max"]
            out.append(
                (
                    f"{page['name']}: <= {TARGETS['max_queries']} queries",
                    q <= TARGETS["max_queries"],
                    f"{q} queries",
                )
            )
        ratio = page["page_over_sql"]
        out.append(
            (
                f"{page['name']}: page within 5x of raw SQL",
                ratio is not None and ratio <= TARGETS["page_over_sql"],
                f"{ratio}x ({page['median_ms']} ms page / {page['main_sql_ms']} ms SQL)",
            )
        )
    if "analyzer" in report:
        rate = report["analyzer"]["replies_per_s_cpu"] or 0
        out.append(("analyzer >= 5,000 replies/s per core", rate >= 5000, f"{rate:,}/s"))
    if "http" in report:
        coach = report["http"]["coach"]
        out.append(
            ("live coaching p95 <= 15 ms", coach["p95_ms"] <= 15, f"p95 {coach['p95_ms']} ms")
        )
        if "browser" in coach:
            b = coach["browser"]
            out.append(
                ("live coaching (editor) p95 <= 15 ms", b["p95_ms"] <= 15, f"p95 {b['p95_ms']} ms")
            )
    if "intake" in report.get("http", {}):
        intake = report["http"]["intake"]
        out.append(
            (
                ">= 200 API creations/s, 0 errors",
                intake["per_s"] >= 200 and intake["errors"] == 0,
                f"{intake['per_s']}/s, {intake['errors']} errors",
            )
        )
    if "surveys" in report:
        s = report["surveys"]
        out.append(
            (
                "10,000 surveys in <= 60 s, exactly once",
                s["seconds"] <= 60 and s["exactly_once"] and s["sent"] >= s["surveys"],
                f"{s['sent']:,} in {s['seconds']} s, {s['survey_sent_events']:,} events",
            )
        )
    return out


def print_report(report: dict[str, Any]) -> None:
    print()
    print(f"Attune benchmark, {report['meta']['tickets']:,} tickets ({report['db']})")
    m = report["machine"]
    print(
        f"{m['nproc']} CPUs, {m['memory']}, PostgreSQL {m['postgresql']}, DB {m['database_size']}"
    )
    header = f"{'page':<44} {'median':>8} {'p95':>8} {'queries':>8} {'SQL':>8} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for p in report.get("pages", []):
        if "error" in p:
            print(f"{p['name'][:44]:<44} FAILED {p['error'][:80]}")
            continue
        q = (
            str(p["queries_max"])
            if p["queries_min"] == p["queries_max"]
            else f"{p['queries_min']}-{p['queries_max']}"
        )
        print(
            f"{p['name'][:44]:<44} {p['median_ms']:>6.1f}ms {p['p95_ms']:>6.1f}ms "
            f"{p['python_cpu_ms']:>6.1f}ms {q:>8} "
            f"{p['main_sql_ms']:>6.2f}ms {p['page_over_sql']:>5.1f}x"
        )
        if p["note"]:
            print(f"    note: {p['note']}")
    if "analyzer" in report:
        a = report["analyzer"]
        print(f"analyzer: {a['replies_per_s_cpu']:,} replies/s on one core (CPU time)")
    if "http" in report:
        c = report["http"]["coach"]
        print(
            f"live coaching (HTTP, {c['n']} requests): p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms,"
            f" p99 {c['p99_ms']} ms, errors {c['errors']}; server CPU "
            f"{c['server_cpu_ms_per_request']} ms/request; load average "
            f"{c['load_average_start']} -> {c['load_average_end']}"
        )
        if "browser" in c:
            b = c["browser"]
            print(
                f"live coaching, reply editor ({b['path']}, session + CSRF): p50 {b['p50_ms']} ms,"
                f" p95 {b['p95_ms']} ms, p99 {b['p99_ms']} ms, errors {b['errors']}; server CPU "
                f"{b['server_cpu_ms_per_request']} ms/request; load average "
                f"{b['load_average_start']} -> {b['load_average_end']}"
            )
    if "intake" in report.get("http", {}):
        i = report["http"]["intake"]
        print(
            f"API intake ({i['threads']} client threads, {i['gunicorn_workers']} gunicorn "
            f"workers): {i['created']:,} created in {i['seconds']} s = {i['per_s']}/s, "
            f"errors {i['errors']} {i['error_statuses'] or ''}; server CPU "
            f"{i['server_cpu_ms_per_request']} ms/request (PostgreSQL "
            f"{i.get('postgres_cpu_ms_per_request')} ms, load client "
            f"{i.get('client_cpu_ms_per_request')} ms); "
            f"{i.get('queries_per_creation')} queries per creation "
            f"(+{i.get('transaction_statements_per_creation')} BEGIN/SAVEPOINT/RELEASE/COMMIT); "
            f"load average {i.get('load_average_start')} -> {i.get('load_average_end')}"
        )
    if "surveys" in report:
        s = report["surveys"]
        print(
            f"survey dispatch: {s['sent']:,}/{s['surveys']:,} sent in {s['seconds']} s "
            f"({s['per_s']}/s); SURVEY_SENT events {s['survey_sent_events']:,}, distinct "
            f"{s['distinct_surveys_in_events']:,}, exactly once: {s['exactly_once']}; "
            f"load average {s['load_average_start'][0]} at start, {s['load_average_end'][0]} at end"
        )
    if "search" in report:
        from bench.search import print_section

        print_section(report["search"])
    print()
    for label, ok, detail in report["verdicts"]:
        mark = "MET " if ok else "MISS"
        print(f"  [{mark}] {label}: {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="attune_bench")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--only",
        default="",
        help="comma list of the sections to run (the others are skipped), e.g. search",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2-4)")
    parser.add_argument("--intake", type=int, default=3000, help="ticket POSTs at most")
    parser.add_argument("--intake-seconds", type=int, default=30, help="intake time bound")
    parser.add_argument("--survey-timeout", type=int, default=300)
    parser.add_argument(
        "--skip",
        default="",
        help="comma list of: pages,analyzer,http,intake,surveys,search to skip (intake is the "
        "API-intake half of http: --only http measures live coaching alone)",
    )
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        spec = json.loads(Path(args.spec).read_text())
        fn: Callable[[dict[str, Any]], dict[str, Any]] = (
            client_coach if args.client == "coach" else client_intake
        )
        print(json.dumps(fn(spec)))
        return
    if not 1 <= args.runs <= 1000 or not 1 <= args.workers <= 8:
        raise SystemExit("--runs must be 1-1000 and --workers 1-8")
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.only:
        skip = SECTIONS - {s.strip() for s in args.only.split(",")}
    # The data set may predate the latest migrations: bring its schema up to date first.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        # Index builds on a large data set outlast the 30 s statement timeout of the app.
        env=service_env(args.db, DJANGO_DB_STATEMENT_TIMEOUT_MS="0"),
        check=True,
        timeout=1800,
    )
    setup_django(args.db)
    info = meta()
    report: dict[str, Any] = {
        "db": args.db,
        "started_at": datetime.now(UTC).isoformat(),
        "meta": {k: v for k, v in info.items() if k != "password"},
        "machine": machine(),
        "args": vars(args),
    }
    print(f"Benchmarking {args.db}: {info['tickets']:,} tickets", flush=True)
    if "pages" not in skip:
        report["pages"] = in_process(info, args.runs, args.warmup)
    if "analyzer" not in skip:
        print("  measuring the analyzer ...", flush=True)
        report["analyzer"] = analyzer()
    if "http" not in skip:
        print("  measuring live coaching and intake over HTTP ...", flush=True)
        intake_n = 0 if "intake" in skip else args.intake
        report["http"] = over_http(args.db, info, args.workers, intake_n, args.intake_seconds)
    if "surveys" not in skip:
        print("  measuring survey dispatch with a Celery worker ...", flush=True)
        report["surveys"] = surveys(args.db, info, args.survey_timeout, parallel=4)
    if "search" not in skip:
        from bench.search import measure as measure_search

        print("  measuring search ...", flush=True)
        report["search"] = measure_search(info, args.runs, args.warmup, measure_page)
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    report["verdicts"] = verdicts(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}-{info['tickets']}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print_report(report)
    print(f"\nwritten: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
