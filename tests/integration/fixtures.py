"""A real Celery worker against the test database and Redis, for the integration tier."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _integration_available() -> str | None:
    if os.environ.get("ATTUNE_SKIP_INTEGRATION"):
        return "ATTUNE_SKIP_INTEGRATION is set (no PostgreSQL/Redis)"
    if connection.vendor != "postgresql":
        return "integration tests need PostgreSQL (DATABASE_URL)"
    if not settings.REDIS_URL:
        return "integration tests need Redis (REDIS_URL)"
    return None


def wait_until(
    predicate: Callable[[], bool], *, timeout: float = 30, interval: float = 0.1
) -> None:
    """Poll `predicate` until true; fail with a clear message on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


class Worker:
    def __init__(self, db_name: str) -> None:
        self.db_name = db_name
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ROOT / "var" / "test-worker.log"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        db_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{self.db_name}"
        env.update(
            DJANGO_SETTINGS_MODULE="helpdesk.settings_test",
            DATABASE_URL=db_url,
            REDIS_URL=settings.REDIS_URL,
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> None:
        self.log.parent.mkdir(exist_ok=True)
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "helpdesk", "worker",
                "-Q", "default,mail,scoring,surveys", "--concurrency=2",
                "--pool=prefork", "--loglevel=INFO", "--without-heartbeat",
                "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT, env=self.env(), stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
        from helpdesk.celery import app

        def ready() -> bool:
            replies = app.control.ping(timeout=0.5)
            return any(f"test-{os.getpid()}@" in name for reply in replies for name in reply)

        try:
            wait_until(ready, timeout=60, interval=0.5)
        except AssertionError:
            self.stop()
            raise AssertionError(f"Celery worker did not start; see {self.log}") from None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


QUEUES = ("default", "mail", "scoring", "surveys")


def worker_idle() -> bool:
    """Nothing queued for the worker, and nothing reserved or running in it."""
    import redis

    from helpdesk.celery import app

    inspect = app.control.inspect(timeout=1.0)
    active, reserved = inspect.active(), inspect.reserved()
    if active is None or reserved is None:  # no answer: busy, or restarting its pool
        return False
    if any([*active.values(), *reserved.values()]):
        return False
    broker = redis.Redis.from_url(settings.REDIS_URL)
    return not any(broker.llen(queue) for queue in QUEUES)


@pytest.fixture
def celery_worker(_celery_worker_process: Worker) -> Iterator[Worker]:
    yield _celery_worker_process
    # The test's database is truncated next. A task still running for this test (a
    # handler of its last reply, a re-score continuation) locks the tables in the other
    # order, PostgreSQL aborts the flush with a deadlock, and the next test starts on an
    # unflushed database. So the worker must be idle first.
    wait_until(worker_idle, timeout=60, interval=0.2)


# Per module, not per session: a worker left running after the integration modules would
# consume the tasks that later transactional tests publish for real (their on_commit
# hooks), run handlers against their rows, and deadlock the flush that ends those tests.
@pytest.fixture(scope="module")
def _celery_worker_process(django_db_setup: None, django_db_blocker: object) -> Iterator[Worker]:
    reason = _integration_available()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the integration tier cannot run: {reason}")
        pytest.skip(reason)
    from helpdesk.celery import app

    app.control.purge()
    worker = Worker(connection.settings_dict["NAME"])
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture(scope="module")
def reliability_services(django_db_setup: None, django_db_blocker: object) -> Iterator[object]:
    """bench/reliability.py's stack on the test database: a private redis-server on a spare
    port (stopped and frozen by the tests, so never the shared 6379), a worker, gunicorn.
    Stopped again, Redis thawed and terminated, however the tests end."""
    reason = _integration_available()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the integration tier cannot run: {reason}")
        pytest.skip(reason)
    from bench.reliability import running_stack

    with running_stack(connection.settings_dict["NAME"], name="test-reliability") as stack:
        yield stack
