"""Scoring on commit with the real worker: one score per reply and analyzer version, also
when the worker is killed in the middle of scoring and started again."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from empathy.analyzer import VERSION
from empathy.models import DailyRollup, ReplyScore
from tests.integration.fixtures import wait_until
from tickets.models import EventDelivery, EventKind, Message
from tickets.outbox import get_handler, pending_deliveries
from tickets.services import ticket_reply
from tickets.tasks import outbox_deliver

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HANDLER = "empathy.score_reply"
BODY = "I understand how frustrating this must be. We are looking into the export now."


def scores_for(messages: list[Message]) -> int:
    return ReplyScore.objects.filter(message__in=messages).count()


def test_a_committed_reply_is_scored_exactly_once_by_the_worker(celery_worker, ticket, agent):
    message = ticket_reply(ticket=ticket, author=agent, body=BODY)

    wait_until(lambda: ReplyScore.objects.filter(message=message).exists())
    # Give a duplicate (redelivery, double enqueue) the chance to show up, then check.
    time.sleep(1.0)

    score = ReplyScore.objects.get(message=message)
    assert score.version == VERSION
    assert score.agent_id == agent.pk
    assert DailyRollup.objects.get(agent=agent, version=VERSION).replies == 1
    assert EventDelivery.objects.filter(event__message=message, handler=HANDLER).count() == 1


def test_a_reply_rolled_back_with_its_transaction_is_never_scored(
    celery_worker, ticket, make_ticket, agent
):
    class Boom(Exception):
        pass

    def reply_then_fail() -> None:
        with transaction.atomic():
            ticket_reply(ticket=ticket, author=agent, body=BODY)
            raise Boom

    with pytest.raises(Boom):
        reply_then_fail()
    barrier = ticket_reply(ticket=make_ticket(subject="Barrier"), author=agent, body=BODY)

    wait_until(lambda: ReplyScore.objects.filter(message=barrier).exists())
    assert ReplyScore.objects.count() == 1


# Killing the worker -----------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):  # the task ended meanwhile
            kids += [int(p) for p in path.read_text().split()]
    return kids


def _process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def _kill_worker(worker) -> None:
    """SIGKILL the prefork parent and its pool children, as an OOM killer or a power cut would."""
    tree = _process_tree(worker.process.pid)
    assert len(tree) >= 3, "expected the prefork parent and its pool processes"
    for pid in tree:  # the parent first, so it cannot replace the children
        os.kill(pid, signal.SIGKILL)
    worker.process.wait(timeout=10)
    wait_until(lambda: all(_gone(pid) for pid in tree), timeout=10)


def _scorings_waiting_for_the_rollup() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE \"empathy_dailyrollup\"%%'"
        )
        return int(cursor.fetchone()[0])


def _seconds_to_midnight() -> float:
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    return (timezone.make_aware(midnight) - now).total_seconds()


def _sweep() -> int:
    """What tickets.tasks.outbox_sweep does, without waiting for events to age."""
    owed = pending_deliveries(older_than=timedelta(0))
    for event_id, name in owed:
        handler = get_handler(name)
        outbox_deliver.apply_async((event_id, name), queue=handler.queue if handler else "default")
    return len(owed)


def test_a_worker_killed_while_scoring_loses_nothing_and_duplicates_nothing(
    celery_worker, ticket, agent
):
    if _seconds_to_midnight() < 90:  # the lock below is on today's rollup row
        time.sleep(_seconds_to_midnight() + 1)
    broker = redis.Redis.from_url(settings.REDIS_URL)
    stranded: list[bytes] = []

    # Part of the history is scored normally.
    replies = [ticket_reply(ticket=ticket, author=agent, body=f"{BODY} ({i})") for i in range(6)]
    wait_until(lambda: scores_for(replies) == 6)
    rollup = DailyRollup.objects.get(agent=agent, version=VERSION)

    # Hold today's rollup row so both pool processes are caught mid-transaction: each has
    # inserted its delivery receipt and its score, and waits to add to the rollup.
    locked, release = threading.Event(), threading.Event()

    def hold_rollup() -> None:
        try:
            with transaction.atomic():
                DailyRollup.objects.select_for_update().get(pk=rollup.pk)
                locked.set()
                release.wait(60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_rollup, daemon=True)
    holder.start()
    try:
        assert locked.wait(10)
        replies += [
            ticket_reply(ticket=ticket, author=agent, body=f"{BODY} ({i})") for i in range(6, 30)
        ]
        # Both pool processes (concurrency 2) are now inside a scoring transaction.
        wait_until(lambda: _scorings_waiting_for_the_rollup() == 2, timeout=30)

        _kill_worker(celery_worker)
        # The tasks the dead worker had taken stay unacknowledged in Redis until the
        # visibility timeout (hours); the outbox sweep is what delivers them again.
        stranded = broker.hkeys("unacked")
    finally:
        release.set()
        holder.join(10)
        if celery_worker.process.poll() is not None:
            celery_worker.start()

    try:
        # The restarted worker scores what was still queued. The two killed transactions
        # rolled back (no score, no receipt) and their tasks are stranded until the sweep.
        wait_until(lambda: scores_for(replies) == 28, timeout=60)
        time.sleep(0.5)
        assert scores_for(replies) == 28
        assert _sweep() >= 2
        wait_until(lambda: scores_for(replies) == 30, timeout=60)
        time.sleep(1.0)  # let any duplicate delivery run

        assert ReplyScore.objects.filter(message__in=replies).count() == 30
        assert (
            ReplyScore.objects.filter(message__in=replies).values("message").distinct().count()
            == 30
        )
        assert DailyRollup.objects.get(pk=rollup.pk).replies == 30
        receipts = EventDelivery.objects.filter(
            handler=HANDLER, event__kind=EventKind.AGENT_REPLIED, event__message__in=replies
        )
        assert receipts.count() == 30
    finally:
        # Do not leave the dead worker's messages for a later session's worker to restore.
        if stranded:
            broker.hdel("unacked", *stranded)
            broker.zrem("unacked_index", *stranded)
