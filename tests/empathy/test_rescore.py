"""empathy_rescore: score history with the current analyzer, in batches, resumable."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from empathy.analyzer import VERSION
from empathy.models import DailyRollup, ReplyScore, ScoringFailure
from empathy.services import reply_score
from tickets.models import Message
from tickets.services import ticket_customer_reply, ticket_note_add, ticket_reply

pytestmark = pytest.mark.django_db

COMMAND = "empathy.management.commands.empathy_rescore"


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


def test_it_rescores_history_scored_by_an_older_analyzer(replies):
    for message in replies:
        ReplyScore.objects.create(
            message=message,
            version="2000.1.1",
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

    assert scored_count(rescore()) == 5
    assert ReplyScore.objects.filter(version=VERSION).count() == 5
    assert ReplyScore.objects.filter(version="2000.1.1").count() == 5


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

    monkeypatch.setattr(f"{COMMAND}.reply_score_or_record_failure", interrupted)
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
