"""Re-scoring history with the current analyzer: the `empathy_rescore` command (batches,
progress bar, resumable) and the `rescore_stale` beat task (unattended after an upgrade,
one run at a time, nearly free when there is nothing to do, continued in slices)."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from io import StringIO
from unittest import mock

import pytest
from celery.schedules import crontab
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from empathy.analyzer import VERSION
from empathy.models import DailyRollup, ReplyScore, ScoringFailure
from empathy.rescore import rescore_lock, rescore_progress
from empathy.services import reply_score, scoring_failure_record
from empathy.tasks import rescore_stale
from helpdesk.celery import BEAT_SCHEDULE, app
from tickets.models import Message
from tickets.services import ticket_customer_reply, ticket_note_add, ticket_reply

pytestmark = pytest.mark.django_db

RESCORE = "empathy.rescore"


def rescore(*args: str) -> str:
    out = StringIO()
    call_command("empathy_rescore", "--no-progress", *args, stdout=out)
    return out.getvalue()


def scored_count(output: str) -> int:
    match = re.search(r"Scored (\d+) replies", output)
    assert match, output
    return int(match.group(1))


@pytest.fixture
def replies(ticket, agent, customer) -> list[Message]:
    """Five public replies, plus a note and a customer message that are never scored."""
    made = [
        ticket_reply(ticket=ticket, author=agent, body=f"Reply number {i}: we are on it.")
        for i in range(5)
    ]
    ticket_note_add(ticket=ticket, author=agent, body="Internal only.")
    ticket_customer_reply(ticket=ticket, customer=customer, body="Any news?", channel="web")
    return made


def test_it_scores_every_reply_without_a_score_and_prints_the_count(replies):
    output = rescore()

    assert scored_count(output) == 5
    assert VERSION in output
    assert set(ReplyScore.objects.values_list("message_id", flat=True)) == {m.pk for m in replies}
    assert sum(DailyRollup.objects.values_list("replies", flat=True)) == 5


def test_it_skips_replies_already_scored_for_this_version(replies):
    reply_score(message=replies[0])
    reply_score(message=replies[3])

    assert scored_count(rescore()) == 3
    assert ReplyScore.objects.count() == 5
    assert sum(DailyRollup.objects.values_list("replies", flat=True)) == 5


OLD_VERSION = "2000.1.1"


def score_with_old_version(messages: list[Message]) -> None:
    """History as an earlier analyzer left it: a score and a rollup under OLD_VERSION."""
    for message in messages:
        ReplyScore.objects.create(
            message=message,
            version=OLD_VERSION,
            agent_id=message.author_id,
            ticket_id=message.ticket_id,
            replied_at=message.created_at,
            overall=0,
            listening=0,
            validation=0,
            reflection=0,
            tone=0,
            opportunity="normal",
        )
        DailyRollup.objects.update_or_create(
            agent_id=message.author_id,
            day=message.created_at.date(),
            version=OLD_VERSION,
            defaults={"replies": len(messages)},
        )


def test_it_rescores_history_scored_by_an_older_analyzer(replies):
    score_with_old_version(replies)

    assert scored_count(rescore()) == 5
    assert ReplyScore.objects.filter(version=VERSION).count() == 5
    assert ReplyScore.objects.filter(version=OLD_VERSION).count() == 5


def test_it_scores_nothing_on_a_second_run(replies):
    rescore()

    assert scored_count(rescore()) == 0
    assert ReplyScore.objects.count() == 5
    assert sum(DailyRollup.objects.values_list("replies", flat=True)) == 5


def test_it_resumes_where_an_interrupted_run_stopped(monkeypatch, replies):
    calls = []

    def interrupted(*, message):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(message.pk)
        return reply_score(message=message)

    monkeypatch.setattr(f"{RESCORE}.reply_score_or_record_failure", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rescore("--batch", "2")
    assert ReplyScore.objects.count() == 3
    monkeypatch.undo()

    assert scored_count(rescore("--batch", "2")) == 2
    assert ReplyScore.objects.count() == 5
    assert ReplyScore.objects.values("message_id").distinct().count() == 5


def test_it_reads_history_in_batches(replies):
    with CaptureQueriesContext(connection) as ctx:
        output = rescore("--batch", "2")

    assert scored_count(output) == 5
    pages = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "tickets_message"' in q["sql"] and q["sql"].rstrip().endswith("LIMIT 2")
    ]
    assert len(pages) == 4  # 2 + 2 + 1, then an empty page
    assert ReplyScore.objects.count() == 5


def test_it_shows_a_progress_bar(capsys, replies):
    call_command("empathy_rescore", "--batch", "2", stdout=StringIO())

    assert "5/5" in capsys.readouterr().err


def test_it_records_a_reply_that_fails_to_score_and_goes_on(monkeypatch, replies):
    from empathy import services

    real = services.analyze

    def flaky(reply, customer_message=None):
        if reply.startswith("Reply number 2"):
            raise ValueError("cannot read this text")
        return real(reply, customer_message)

    monkeypatch.setattr("empathy.services.analyze", flaky)

    assert scored_count(rescore("--batch", "2")) == 4
    failure = ScoringFailure.objects.get()
    assert failure.message_id == replies[2].pk
    assert "cannot read this text" in failure.error
    assert ReplyScore.objects.count() == 4


@pytest.mark.parametrize("size", ["0", "-3"])
def test_it_refuses_a_batch_size_below_one(replies, size):
    with pytest.raises(CommandError):
        rescore("--batch", size)
    assert not ReplyScore.objects.exists()


def test_the_command_refuses_to_run_beside_another_rescore(replies, rescore_elsewhere):
    with rescore_elsewhere(), pytest.raises(CommandError, match="already running"):
        rescore()

    assert not ReplyScore.objects.exists()


# The beat task ------------------------------------------------------------------------------


@pytest.fixture
def no_live_scoring_waiting(monkeypatch):
    """The broker's scoring queue is empty (the unit tests do not run a worker)."""
    monkeypatch.setattr("empathy.tasks.live_scoring_waiting", lambda: False)


@pytest.fixture
def rescore_elsewhere():
    """Hold the re-score lock from another database session, as a second worker would.

    A thread, because PostgreSQL advisory locks are re-entrant within one session."""

    @contextlib.contextmanager
    def hold() -> Iterator[None]:
        held, release = threading.Event(), threading.Event()

        def run() -> None:
            try:
                with rescore_lock() as acquired:
                    assert acquired
                    held.set()
                    release.wait(10)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        try:
            assert held.wait(10)
            yield
        finally:
            release.set()
            thread.join(10)

    return hold


def writes(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]


@pytest.mark.usefixtures("no_live_scoring_waiting")
def test_the_task_gives_history_a_current_version_score_exactly_once(replies, agent):
    score_with_old_version(replies)

    assert rescore_stale() == 5
    assert rescore_stale() == 0

    current = ReplyScore.objects.filter(version=VERSION)
    assert sorted(current.values_list("message_id", flat=True)) == sorted(m.pk for m in replies)
    assert current.values("message_id").distinct().count() == 5
    # Folded into the current version's rollup by the live path's own function; the old
    # version's figures are left as they were.
    assert DailyRollup.objects.get(agent=agent, version=VERSION).replies == 5
    assert DailyRollup.objects.get(agent=agent, version=OLD_VERSION).replies == 5


@pytest.mark.usefixtures("no_live_scoring_waiting")
def test_the_task_uses_the_live_scoring_function(monkeypatch, replies):
    seen = []
    monkeypatch.setattr(
        f"{RESCORE}.reply_score_or_record_failure",
        lambda *, message: seen.append(message.pk),
    )

    rescore_stale()

    assert seen == [m.pk for m in replies]


@pytest.mark.usefixtures("no_live_scoring_waiting")
def test_the_task_does_nothing_while_another_rescore_runs(replies, rescore_elsewhere):
    with rescore_elsewhere(), mock.patch("empathy.tasks.rescore_stale.delay") as delay:
        assert rescore_stale() == 0

    assert not ReplyScore.objects.exists()
    delay.assert_not_called()
    assert rescore_stale() == 5  # and runs once the other has finished


@pytest.mark.usefixtures("no_live_scoring_waiting")
def test_the_task_costs_four_reads_and_no_write_when_there_is_nothing_to_do(
    replies, django_assert_num_queries
):
    rescore_stale()

    # The advisory lock, the newest message's pk, the stale replies after the cursor, unlock.
    with django_assert_num_queries(4) as ctx:
        assert rescore_stale() == 0
    assert writes(ctx) == []


@pytest.mark.usefixtures("no_live_scoring_waiting")
def test_after_a_run_the_check_reads_only_messages_written_since(replies, ticket, agent):
    rescore_stale()
    newest = Message.objects.latest("pk").pk

    with CaptureQueriesContext(connection) as ctx:
        rescore_stale()
    stale_check = next(
        q["sql"] for q in ctx.captured_queries if "empathy_scoringfailure" in q["sql"]
    )
    assert f'"tickets_message"."id" > {newest}' in stale_check

    later = ticket_reply(ticket=ticket, author=agent, body="One more thing: it is fixed now.")
    assert rescore_stale() == 1
    assert ReplyScore.objects.filter(message=later, version=VERSION).exists()


@pytest.mark.usefixtures("no_live_scoring_waiting")
def test_the_task_does_not_retry_a_reply_the_analyzer_failed_on(monkeypatch, replies):
    def broken(reply, customer_message=None):
        raise ValueError("cannot read this text")

    monkeypatch.setattr("empathy.services.analyze", broken)
    assert rescore_stale() == 0
    assert ScoringFailure.objects.count() == 5
    cache.clear()  # forget the cursor: a full pass must skip them too
    monkeypatch.undo()

    assert rescore_stale() == 0
    assert not ReplyScore.objects.exists()


@pytest.mark.usefixtures("no_live_scoring_waiting")
def test_the_task_continues_itself_when_its_budget_is_spent(replies):
    with (
        mock.patch("empathy.tasks._budget", return_value=0.0),
        mock.patch("empathy.tasks.rescore_stale.delay") as delay,
    ):
        assert rescore_stale(batch_size=2) == 2
    delay.assert_called_once_with(batch_size=2)

    # The continuation resumes after the cursor; with time to spare it finishes. (Only the
    # budget is restored: the fixture's empty scoring queue must hold for this run too, or
    # tasks other tests left in the test broker make it step aside.)
    with mock.patch("empathy.tasks.rescore_stale.delay") as delay:
        assert rescore_stale(batch_size=2) == 3
    delay.assert_not_called()
    assert ReplyScore.objects.filter(version=VERSION).count() == 5


def test_the_task_steps_aside_when_live_scoring_is_waiting(monkeypatch, replies):
    monkeypatch.setattr("empathy.tasks.live_scoring_waiting", lambda: True)

    with mock.patch("empathy.tasks.rescore_stale.delay") as delay:
        assert rescore_stale(batch_size=2) == 2
    delay.assert_called_once_with(batch_size=2)


def test_the_task_keeps_going_when_the_broker_cannot_say_what_waits(monkeypatch, replies):
    def unreachable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr("empathy.tasks.current_app.connection_for_read", unreachable)

    with mock.patch("empathy.tasks.rescore_stale.delay") as delay:
        assert rescore_stale(batch_size=2) == 5
    delay.assert_not_called()


def test_beat_starts_the_task_every_five_minutes():
    entry = next(e for e in BEAT_SCHEDULE.values() if e["task"] == "empathy.tasks.rescore_stale")

    assert entry["schedule"] == crontab(minute="*/5")
    assert app.amqp.router.route({}, "empathy.tasks.rescore_stale")["queue"].name == "scoring"


def test_progress_counts_replies_handled_by_the_current_version(replies):
    assert rescore_progress() == (0, 5)
    reply_score(message=replies[0])
    scoring_failure_record(message_id=replies[1].pk, error="ValueError")

    assert rescore_progress() == (2, 5)
