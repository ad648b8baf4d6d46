"""Reliability runs against real PostgreSQL, Redis, Celery workers and gunicorn.

Run: ``python bench/reliability.py --size full|short [--db attune_reliability] [--only ...]``;
``make reliability`` does the bootstrap (scripts/reliability.sh). What each scenario proves
is in docs/reliability.md. tests/integration/test_reliability.py runs the short sizes through
the same scenario functions.

Every run starts its own redis-server on a spare loopback port (never the machine's 6379,
which other sessions use): the broker scenario stops and freezes it. gunicorn, the Celery
worker and the dispatcher processes all point at it; this process only reads the database
to count what happened. Load comes from a second Python process (bench/reliability_client.py).

Results are printed and written to bench/results/reliability-<timestamp>-<size>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
LOGS = ROOT / "var"
PG = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"  # loopback only, always
CLIENT = ROOT / "bench" / "reliability_client.py"
INBOUND_SECRET = "reliability-inbound-secret"  # noqa: S105 (a loopback-only bench secret)
# Shorter than production's 30 s so that, during an outage of a few seconds, every web
# worker probes Redis again several times: each probe of a frozen Redis is a request that
# waits for the socket timeout, which is what the 3 s bound must survive.
BREAKER_SECONDS = 5

SIZES: dict[str, dict[str, Any]] = {
    "full": {
        "replies": 1000, "kills": 6, "kill_interval": 2.0, "kill_until": 0.9,
        "submissions": 200, "resolved": 500, "dispatchers": 8, "inbound": 20,
        "load_seconds": 120, "soak_seconds": 1800, "soak_rate": 10.0, "soak_sample": 30.0,
    },
    "short": {
        "replies": 100, "kills": 2, "kill_interval": 2.0, "kill_until": 0.0,
        "submissions": 20, "resolved": 50, "dispatchers": 8, "inbound": 3,
        "load_seconds": 10, "soak_seconds": 60, "soak_rate": 10.0, "soak_sample": 10.0,
    },
}  # fmt: skip
SCENARIOS = ("worker_killed", "exactly_once", "broker_down", "load", "soak")
TARGETS = {"recovery_s": 60.0, "submit_s": 3.0, "soak_growth_mb": 50.0, "soak_growth_pct": 10.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# --- the services: a private Redis, a Celery worker, gunicorn ---------------------------------


class PrivateRedis:
    """A throwaway redis-server on its own port: ours to stop, freeze and restart."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.frozen = False

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly",
             "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_for(self._answers, timeout=10, interval=0.1):
            self.stop()
            raise RuntimeError(f"redis-server did not start on port {self.port}")

    def _answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.process is not None and self.frozen:
            self.process.send_signal(signal.SIGCONT)
        self.frozen = False

    def stop(self) -> None:
        """SIGTERM (after SIGCONT: a stopped process cannot act on it); SIGKILL if it lingers."""
        if self.process is None:
            return
        self.thaw()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def database_url(db: str) -> str:
    return os.environ.get("DATABASE_URL", f"{PG}/x").rsplit("/", 1)[0] + f"/{db}"


def service_env(db: str, redis_url: str, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url(db),
        REDIS_URL=redis_url,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        ATTUNE_INBOUND_EMAIL_SECRET=INBOUND_SECRET,
        ATTUNE_PUBLIC_FORM_RATE="1000000",  # every submission comes from 127.0.0.1
        # The bench triggers the sweep itself once Redis is back (as beat does every
        # minute); events need not wait the production minute to count as owed.
        ATTUNE_OUTBOX_SWEEP_AGE_SECONDS="2",
        ATTUNE_REDIS_BREAKER_SECONDS=str(BREAKER_SECONDS),
        ATTUNE_SURVEY_QUIET_START="0",
        ATTUNE_SURVEY_QUIET_END="0",
        PYTHONUNBUFFERED="1",
        **extra,
    )


def children(pid: int) -> list[int]:
    kids: list[int] = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):  # the thread ended meanwhile
            kids += [int(p) for p in path.read_text().split()]
    return kids


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Worker:
    """`celery worker` (prefork, 2 pool processes) on every queue, logging to var/."""

    def __init__(self, db: str, redis_url: str, name: str) -> None:
        self.name = f"{name}-{os.getpid()}"
        self.log = LOGS / f"reliability-worker-{self.name}.log"
        LOGS.mkdir(exist_ok=True)
        self.log.write_bytes(b"")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "helpdesk", "worker",
             "-Q", "default,mail,scoring,surveys", "--concurrency=2", "--pool=prefork",
             "--loglevel=INFO", "--without-heartbeat", "--without-gossip", "--without-mingle",
             "-n", f"{self.name}@%h"],
            cwd=ROOT, env=service_env(db, redis_url),
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        if not wait_for(lambda: b" ready." in self.log.read_bytes(), timeout=90):
            self.stop()
            raise RuntimeError(f"Celery worker did not start; see {self.log}")

    def pool(self) -> list[int]:
        return children(self.process.pid)

    def kill_pool(self) -> int:
        """SIGKILL the pool processes, as an OOM killer would; the parent forks new ones."""
        killed = 0
        for pid in self.pool():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
        return killed

    def rss_mb(self) -> float:
        return rss_mb(self.process.pid) + sum(rss_mb(p) for p in self.pool())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Gunicorn:
    def __init__(self, db: str, redis_url: str, workers: int = 2) -> None:
        self.port = free_port()
        self.log = LOGS / f"reliability-gunicorn-{self.port}.log"
        LOGS.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "helpdesk.wsgi:application",
             "--bind", f"{HOST}:{self.port}", "--workers", str(workers), "--timeout", "60",
             "--access-logfile", "/dev/null", "--log-level", "warning"],
            cwd=ROOT, env=service_env(db, redis_url),
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip

        def up() -> bool:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
            try:
                conn.request("GET", "/healthz")
                return conn.getresponse().status == 200
            except OSError:
                return self.process.poll() is not None
            finally:
                conn.close()

        if not wait_for(up, timeout=90, interval=0.3) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def rss_mb(self) -> float:
        return rss_mb(self.process.pid) + sum(rss_mb(p) for p in children(self.process.pid))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Stack:
    """Redis, a worker and gunicorn on one database; `token` is an agent's API key."""

    db: str
    redis: PrivateRedis
    worker: Worker
    web: Gunicorn
    token: str = ""
    agent_id: int = 0
    redis_back_at: float = 0.0  # monotonic time the last outage ended


@contextlib.contextmanager
def running_stack(db: str, *, name: str = "bench", gunicorn_workers: int = 2) -> Iterator[Stack]:
    """Start the services; whatever happens, stop them all (Redis last, and thawed)."""
    redis = PrivateRedis()
    worker: Worker | None = None
    web: Gunicorn | None = None
    try:
        redis.start()
        worker = Worker(db, redis.url, name)
        web = Gunicorn(db, redis.url, gunicorn_workers)
        yield Stack(db=db, redis=redis, worker=worker, web=web)
    finally:
        for service in (web, worker):
            if service is not None:
                service.stop()
        redis.stop()


def world_setup(stack: Stack) -> None:
    """The agent the clients act as, in the default queue (what the API files into)."""
    from django.conf import settings

    from accounts.models import Role, Team, User
    from accounts.services import api_token_create
    from tickets.models import Queue

    team, _ = Team.objects.get_or_create(slug="reliability", defaults={"name": "Reliability"})
    queue, _ = Queue.objects.get_or_create(
        slug=settings.ATTUNE_DEFAULT_QUEUE, defaults={"name": "General", "team": team}
    )
    agent = User.objects.filter(username="reliability-agent").first()
    if agent is None:
        agent = User.objects.create_user(
            username="reliability-agent",
            email="reliability-agent@example.com",
            first_name="Rel",
            last_name="Agent",
            password=None,
        )
        agent.role = Role.AGENT
        agent.save(update_fields=["role"])
    queue.agents.add(agent)
    team.members.add(agent)
    _, stack.token = api_token_create(user=agent, name="reliability")
    stack.agent_id = agent.pk


def run_tag(name: str) -> str:
    return f"[rel-{name}-{time.time_ns()}]"


# --- what happened in the database --------------------------------------------------------------


def background_work(tag: str) -> dict[str, int]:
    """Every handler owed by the events of the tagged tickets, and how often it ran."""
    from empathy.models import ReplyScore
    from tickets.models import EventDelivery, MessageKind, TicketEvent
    from tickets.outbox import handlers_for

    events = list(
        TicketEvent.objects.filter(ticket__subject__startswith=tag).values_list("pk", "kind")
    )
    owed = {(pk, h.name) for pk, kind in events for h in handlers_for(kind)}
    runs = Counter(
        EventDelivery.objects.filter(event__ticket__subject__startswith=tag).values_list(
            "event_id", "handler"
        )
    )
    scores = ReplyScore.objects.filter(message__ticket__subject__startswith=tag)
    return {
        "events": len(events),
        "owed": len(owed),
        "delivered": len(owed & set(runs)),
        "missing": len(owed - set(runs)),
        "duplicates": sum(n - 1 for n in runs.values() if n > 1),
        "unexpected": len(set(runs) - owed),
        "replies": TicketEvent.objects.filter(
            ticket__subject__startswith=tag, message__kind=MessageKind.REPLY
        ).count(),
        "scores": scores.count(),
        "scored_messages": scores.values("message").distinct().count(),
    }


def sweep(stack: Stack) -> None:
    """What beat does every minute: run tickets.tasks.outbox_sweep on the stack's worker."""
    from helpdesk.celery import app

    with app.connection_for_write(stack.redis.url) as conn:
        app.send_task("tickets.tasks.outbox_sweep", queue="default", connection=conn)


def wait_for_background(stack: Stack, tag: str, *, timeout: float) -> tuple[dict[str, int], int]:
    """Wait until every owed handler ran; sweep when progress stalls. Returns (state, sweeps)."""
    sweeps, last, stalled_since = 0, -1, time.monotonic()
    deadline = time.monotonic() + timeout
    state = background_work(tag)
    while state["missing"] and time.monotonic() < deadline:
        if state["delivered"] != last:
            last, stalled_since = state["delivered"], time.monotonic()
        elif time.monotonic() - stalled_since > 5:
            with contextlib.suppress(Exception):  # Redis may still be restarting
                sweep(stack)
                sweeps += 1
            stalled_since = time.monotonic()
        time.sleep(0.5)
        state = background_work(tag)
    time.sleep(1.0)  # give a duplicate delivery (a redelivered task) the chance to show up
    return background_work(tag), sweeps


# --- the scenarios -----------------------------------------------------------------------------


def scenario_worker_killed(
    stack: Stack, *, replies: int, kills: int, kill_interval: float, kill_until: float = 0.0
) -> dict[str, Any]:
    """Agent replies over HTTP; SIGKILL the worker's pool meanwhile, each kill at least
    `kill_interval` s after the previous one and only once the pool is scoring again.

    At least `kills` kills, and more until `kill_until` of the replies are scored (the
    full size kills throughout the run; the short one just twice, as a loaded machine
    scores little between kills 2 s apart).
    """
    from django.db.models import Max

    from empathy.models import ReplyScore
    from tickets.models import EventDelivery

    tag = run_tag("kill")
    tickets = max(1, replies // 20)
    spec = {"port": stack.web.port, "token": stack.token, "tag": tag, "tickets": tickets,
            "replies": replies, "threads": 2}  # fmt: skip
    client = start_client("replies", spec)
    scored = ReplyScore.objects.filter(message__ticket__subject__startswith=tag)
    done_kills, last_kill = 0, time.time()
    try:
        if not wait_for(lambda: scored.exists(), timeout=120, interval=0.2):
            raise RuntimeError("no reply was scored within 120 s")
        # At the full size, kill throughout the run, not only at its start: the last kill
        # then lands with work in flight near the end, so the recovery figure is not
        # just the time to drain the backlog.
        while True:
            # A kill lands once the (restarted) pool is scoring again and `kill_interval`
            # has passed: so every kill hits work in flight, on a fast idle machine (where
            # a timer alone let 100 replies finish between two kills) as on a loaded one
            # (where kills on a timer starved the pool before it scored anything).
            before, earliest = scored.count(), time.time() + kill_interval

            def resumed(before: int = before, earliest: float = earliest) -> bool:
                now = scored.count()
                return time.time() >= earliest and (now > before or now >= replies)

            if not wait_for(resumed, timeout=120, interval=0.05):
                raise RuntimeError("scoring made no progress within 120 s of a kill")
            now_scored = scored.count()
            if now_scored >= replies or (
                done_kills >= kills and now_scored >= kill_until * replies
            ):
                break
            if stack.worker.kill_pool():
                done_kills, last_kill = done_kills + 1, time.time()
        result = finish_client(client, timeout=600)
        state, sweeps = wait_for_background(stack, tag, timeout=300)
    finally:
        if client.poll() is None:
            client.kill()
    # Recovered when the last owed handler ran: its receipt's timestamp, to the millisecond.
    finished = EventDelivery.objects.filter(event__ticket__subject__startswith=tag).aggregate(
        last=Max("delivered_at")
    )["last"]
    recovery = finished.timestamp() - last_kill if finished else float("inf")
    passed = (
        state["scores"] == replies
        and state["scored_messages"] == replies
        and state["missing"] == 0
        and state["duplicates"] == 0
        and result["errors"] == 0
        and done_kills >= kills
        and recovery <= TARGETS["recovery_s"]
    )
    return {
        "name": "worker_killed",
        "passed": passed,
        "replies_requested": replies,
        "replies_created": result["replies"],
        "client_errors": result["errors"],
        "kills": done_kills,
        "kill_interval_s": kill_interval,
        "killed_until_scored": kill_until,
        "recovery_s": round(recovery, 1),
        "sweeps": sweeps,
        **{f"work_{k}": v for k, v in state.items()},
    }


def scenario_broker_down(stack: Stack, *, mode: str, submissions: int) -> dict[str, Any]:
    """Redis stopped (SIGTERM) or frozen (SIGSTOP) while customers submit tickets."""
    if mode not in ("stopped", "frozen"):
        raise ValueError(mode)
    from tickets.models import Ticket

    # Each web worker skips Redis for a while after a failure: wait until the breakers
    # from an earlier outage have closed, so this one starts with Redis in use.
    time.sleep(max(0.0, stack.redis_back_at + BREAKER_SECONDS + 1 - time.monotonic()))
    tag = run_tag(f"broker-{mode}")
    spec = {"port": stack.web.port, "token": stack.token, "tag": tag, "n": submissions,
            "threads": 2, "reply_every": 4}  # fmt: skip
    if mode == "stopped":
        stack.redis.stop()
    else:
        stack.redis.freeze()
    try:
        result = finish_client(start_client("submit", spec), timeout=submissions * 10 + 60)
    finally:
        if mode == "stopped":
            stack.redis.start()
        else:
            stack.redis.thaw()
    back = stack.redis_back_at = time.monotonic()
    state, sweeps = wait_for_background(stack, tag, timeout=180)
    stored = Ticket.objects.filter(subject__startswith=tag).count()
    passed = (
        result["ok"] == submissions
        and result["server_errors"] == 0
        and result["slow"] == 0
        and stored == submissions
        and state["missing"] == 0
        and state["duplicates"] == 0
        and state["scores"] == state["replies"]
    )
    return {
        "name": f"broker_{mode}",
        "passed": passed,
        "submissions": submissions,
        "accepted": result["ok"],
        "server_errors": result["server_errors"],
        "other_failures": result["failures"],
        "slower_than_3s": result["slow"],
        "max_s": result["max_s"],
        "p95_s": result["p95_s"],
        "tickets_stored": stored,
        "caught_up_s": round(time.monotonic() - back, 1),
        "sweeps": sweeps,
        **{f"work_{k}": v for k, v in state.items()},
    }


def scenario_dispatchers(stack: Stack, *, resolved: int, dispatchers: int) -> dict[str, Any]:
    """`dispatchers` processes call surveys_dispatch_due at once over `resolved` tickets."""
    from datetime import timedelta

    from django.utils import timezone

    from surveys.models import Survey
    from tickets.models import EventKind, TicketEvent

    tag = run_tag("surveys")
    spec = {"port": stack.web.port, "token": stack.token, "tag": tag, "n": resolved, "threads": 2}
    made = finish_client(start_client("resolved", spec), timeout=resolved * 5 + 120)
    ours = Survey.objects.filter(ticket__subject__startswith=tag)
    # The worker schedules each survey from the resolution event (surveys.on_status).
    wait_for(lambda: ours.count() >= made["resolved"], timeout=300)
    # Due now rather than in an hour, so the dispatchers find them.
    ours.update(send_after=timezone.now() - timedelta(minutes=1))
    scheduled = ours.filter(state=Survey.State.SCHEDULED).count()

    with tempfile.TemporaryDirectory() as tmp:
        go = Path(tmp) / "go"
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--dispatcher",
                    "--go",
                    str(go),
                    "--ready",
                    str(Path(tmp) / f"ready-{i}"),
                ],
                cwd=ROOT,
                env=service_env(stack.db, stack.redis.url),
                stdout=subprocess.PIPE,
                stderr=(LOGS / "reliability-dispatcher.log").open("ab"),
            )
            for i in range(dispatchers)
        ]
        wait_for(lambda: len(list(Path(tmp).glob("ready-*"))) == dispatchers, timeout=120)
        started = time.monotonic()
        go.touch()  # all start dispatching at the same moment
        outputs = [json.loads(p.communicate(timeout=600)[0] or "{}") for p in procs]
        seconds = time.monotonic() - started
    ids = set(ours.values_list("pk", flat=True))
    sent_events = Counter(
        e.data.get("survey")
        for e in TicketEvent.objects.filter(
            kind=EventKind.SURVEY_SENT, ticket__subject__startswith=tag
        )
    )
    mailed = Counter(to for out in outputs for to in out.get("to", []))
    customers = set(ours.values_list("customer__user__email", flat=True))
    per_survey = Counter(sent_events.get(pk, 0) for pk in ids)
    passed = (
        made["resolved"] == resolved
        and scheduled == resolved
        and per_survey == Counter({1: resolved})
        and set(mailed) == customers
        and set(mailed.values()) == {1}
        and ours.filter(state=Survey.State.SENT).count() == resolved
    )
    return {
        "name": "exactly_once_surveys",
        "passed": passed,
        "resolved_tickets": made["resolved"],
        "surveys_scheduled": scheduled,
        "dispatchers": dispatchers,
        "dispatcher_runs": [out.get("sent") for out in outputs],
        "surveys_sent": ours.filter(state=Survey.State.SENT).count(),
        "sent_events_per_survey": {str(k): v for k, v in sorted(per_survey.items())},
        "mails": sum(mailed.values()),
        "customers_mailed_twice": sum(1 for n in mailed.values() if n > 1),
        "dispatch_s": round(seconds, 1),
    }


def scenario_inbound_mail(stack: Stack, *, messages: int) -> dict[str, Any]:
    """Each message POSTed 3 times at once to the MTA endpoint; one ticket message each."""
    from tickets.models import InboundEmail, Message

    tag = run_tag("mail")
    ids = [f"rel-{time.time_ns()}-{i}@mail.reliability.example" for i in range(messages)]
    spec = {"port": stack.web.port, "tag": tag, "message_ids": ids, "copies": 3,
            "secret": INBOUND_SECRET}  # fmt: skip
    result = finish_client(start_client("inbound", spec), timeout=messages * 30 + 60)
    stored = InboundEmail.objects.filter(message_id__in=ids)
    wait_for(
        lambda: (
            not stored.filter(state=InboundEmail.State.RECEIVED).exists()
            and stored.count() == messages
        ),
        timeout=120,
    )
    time.sleep(1.0)  # a duplicate processing would show up now
    per_id = Counter(
        Message.objects.filter(email_message_id__in=ids).values_list("email_message_id", flat=True)
    )
    passed = (
        result["errors"] == 0
        and stored.count() == messages
        and per_id == Counter(dict.fromkeys(ids, 1))
    )
    return {
        "name": "exactly_once_inbound_mail",
        "passed": passed,
        "message_ids": messages,
        "deliveries": result["posts"],
        "statuses": result["statuses"],
        "inbound_rows": stored.count(),
        "ticket_messages": sum(per_id.values()),
        "ids_with_more_than_one_message": sum(1 for n in per_id.values() if n > 1),
    }


def scenario_load(stack: Stack, *, seconds: float, threads: int = 4) -> dict[str, Any]:
    """Ticket creation as fast as gunicorn takes it; every 201 must be in the database."""
    from tickets.models import Ticket

    tag = run_tag("load")
    spec = {"port": stack.web.port, "token": stack.token, "tag": tag, "seconds": seconds,
            "threads": threads, "rate": None, "mix": {"create": 1}}  # fmt: skip
    result = finish_client(start_client("traffic", spec), timeout=seconds + 120)
    created = result["created_ids"]
    found = Ticket.objects.filter(pk__in=created).count()
    stored = Ticket.objects.filter(subject__startswith=tag).count()
    passed = result["errors"] == 0 and found == len(created) == stored and stored > 0
    return {
        "name": "load",
        "passed": passed,
        "seconds": result["seconds"],
        "client_threads": threads,
        "created_201": len(created),
        "errors": result["errors"],
        "error_statuses": result["statuses"],
        "found_in_db": found,
        "tagged_in_db": stored,
        "lost_writes": len(created) - found,
        "per_s": round(len(created) / max(result["seconds"], 0.001), 1),
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
    }


def scenario_soak(stack: Stack, *, seconds: float, rate: float, sample: float) -> dict[str, Any]:
    """A modest mixed load for a long time; RSS of gunicorn and the worker sampled."""
    tag = run_tag("soak")
    spec = {"port": stack.web.port, "token": stack.token, "tag": tag, "seconds": seconds,
            "threads": 4, "rate": rate, "mix": {"create": 4, "read": 4, "reply": 2}}  # fmt: skip
    client = start_client("traffic", spec)
    samples: list[dict[str, float]] = []
    started = time.monotonic()
    try:
        while client.poll() is None:
            samples.append(
                {
                    "t": round(time.monotonic() - started),
                    "gunicorn_mb": round(stack.web.rss_mb(), 1),
                    "worker_mb": round(stack.worker.rss_mb(), 1),
                }
            )
            deadline = time.monotonic() + sample
            while client.poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
        result = finish_client(client, timeout=60)
    finally:
        if client.poll() is None:
            client.kill()
    warm = seconds / 5  # the first fifth is warm-up: imports, caches, connection pools
    after = [s for s in samples if s["t"] >= warm] or samples
    base = after[0]["gunicorn_mb"] + after[0]["worker_mb"]
    last = after[-1]["gunicorn_mb"] + after[-1]["worker_mb"]
    growth = last - base
    pct = 100 * growth / base if base else 0.0
    passed = (
        result["errors"] == 0
        and growth <= TARGETS["soak_growth_mb"]
        and pct <= TARGETS["soak_growth_pct"]
    )
    return {
        "name": "soak",
        "passed": passed,
        "seconds": result["seconds"],
        "requests": result["requests"],
        "per_s": round(result["requests"] / max(result["seconds"], 0.001), 1),
        "errors": result["errors"],
        "error_statuses": result["statuses"],
        "ops": result["ops"],
        "warmup_s": round(warm),
        "rss_after_warmup_mb": round(base, 1),
        "rss_end_mb": round(last, 1),
        "rss_growth_mb": round(growth, 1),
        "rss_growth_pct": round(pct, 1),
        "samples": samples,
    }


# --- the load client (bench/reliability_client.py), in a second process --------------------


def start_client(kind: str, spec: dict[str, Any]) -> subprocess.Popen[str]:
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
    with handle:
        json.dump(spec, handle)
    return subprocess.Popen(
        [sys.executable, str(CLIENT), kind, handle.name],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=(LOGS / "reliability-client.log").open("ab"),
        text=True,
    )


def finish_client(process: subprocess.Popen[str], *, timeout: float) -> dict[str, Any]:
    out, _ = process.communicate(timeout=timeout)
    if process.returncode != 0:
        raise RuntimeError(f"load client failed; see {LOGS / 'reliability-client.log'}")
    result: dict[str, Any] = json.loads(out)
    return result


def dispatcher(go: Path, ready: Path) -> None:
    """One of the concurrent dispatchers: the surveys service, with mail captured to count."""
    setup_django()
    from django.conf import settings
    from django.core import mail

    from surveys.services import surveys_dispatch_due

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    from django.db import connection

    connection.ensure_connection()
    ready.touch()
    wait_for(go.exists, timeout=300, interval=0.02)
    sent = surveys_dispatch_due()
    print(json.dumps({"sent": sent, "to": [to for m in mail.outbox for to in m.to]}))


# --- running it ----------------------------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(db: str) -> None:
    if db in (
        "attune",
        "postgres",
        "template0",
        "template1",
        "attune_bench",
        "attune_bench_1m",
    ) or db.startswith("test_"):
        raise SystemExit(f"refusing to use database {db}")
    psql = ["psql", "-h", HOST, "-U", "postgres", "-d", "postgres", "-Atc"]
    exists = subprocess.run(
        [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{db}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run([*psql, f'CREATE DATABASE "{db}"'], check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=service_env(db, "redis://127.0.0.1:1/0"), check=True,
    )  # fmt: skip


def run(db: str, size: str, only: list[str]) -> list[dict[str, Any]]:
    s = SIZES[size]
    results: list[dict[str, Any]] = []

    def record(result: dict[str, Any]) -> None:
        results.append(result)
        print(f"  {result['name']}: {'PASS' if result['passed'] else 'FAIL'}", flush=True)

    with running_stack(db, name=f"rel-{size}") as stack:
        world_setup(stack)
        for name in only:
            print(f"==> {name}", flush=True)
            if name == "worker_killed":
                record(scenario_worker_killed(stack, replies=s["replies"], kills=s["kills"],
                                              kill_interval=s["kill_interval"],
                                              kill_until=s["kill_until"]))  # fmt: skip
            elif name == "exactly_once":
                record(scenario_dispatchers(stack, resolved=s["resolved"],
                                            dispatchers=s["dispatchers"]))  # fmt: skip
                record(scenario_inbound_mail(stack, messages=s["inbound"]))
            elif name == "broker_down":
                for mode in ("stopped", "frozen"):
                    record(scenario_broker_down(stack, mode=mode, submissions=s["submissions"]))
            elif name == "load":
                record(scenario_load(stack, seconds=s["load_seconds"]))
            elif name == "soak":
                record(scenario_soak(stack, seconds=s["soak_seconds"], rate=s["soak_rate"],
                                     sample=s["soak_sample"]))  # fmt: skip
    return results


def print_table(results: list[dict[str, Any]]) -> None:
    print("\nscenario                     verdict  figures")
    for r in results:
        figures = {k: v for k, v in r.items() if k not in ("name", "passed", "samples")}
        text = ", ".join(f"{k}={v}" for k, v in figures.items())
        print(f"{r['name']:<28} {'PASS' if r['passed'] else 'FAIL':<8} {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="short")
    parser.add_argument("--db", default="attune_reliability")
    parser.add_argument("--only", default=",".join(s for s in SCENARIOS if s != "soak"),
                        help=f"comma-separated, from {', '.join(SCENARIOS)}")  # fmt: skip
    parser.add_argument("--dispatcher", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--go", help=argparse.SUPPRESS)
    parser.add_argument("--ready", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dispatcher:
        dispatcher(Path(args.go), Path(args.ready))
        return

    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    ensure_database(args.db)
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    setup_django()
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    print(f"==> reliability ({args.size}) on {args.db}; load average {load_before}", flush=True)
    results = run(args.db, args.size, only)
    report = {
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "size": args.size,
        "database": args.db,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "nproc": os.cpu_count(),
        "results": results,
    }
    print_table(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"reliability-{started:%Y%m%dT%H%M%S}-{args.size}-{'-'.join(only)}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nload average after: {report['load_average_after']}; written to {out}")
    if not all(r["passed"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
