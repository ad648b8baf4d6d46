"""Surveys with the real worker: scheduled through the outbox, sent exactly once even with
several dispatchers running at the same time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connections
from django.utils import timezone

from surveys import services, tasks
from surveys.models import Survey
from tests.integration.fixtures import ROOT, wait_until
from tickets.models import EventKind, Status, TicketEvent
from tickets.outbox import event_deliver
from tickets.services import ticket_change_status, ticket_reply

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SURVEYS = 60
DISPATCHERS = 4


def daytime_zone() -> str:
    """A time zone where it is day now, so the worker's quiet hours (its own settings,
    21:00-08:00 by default) never postpone the surveys in these tests."""
    for name in ("UTC", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata"):
        if 10 <= timezone.now().astimezone(ZoneInfo(name)).hour < 19:
            return name
    raise AssertionError("no candidate time zone is in daytime")


def sent_events_per_survey() -> Counter[int]:
    return Counter(e.data["survey"] for e in TicketEvent.objects.filter(kind=EventKind.SURVEY_SENT))


@pytest.fixture
def make_due_surveys(celery_worker, make_ticket, make_customer, agent):
    """`n` resolved tickets of different customers, their surveys scheduled, then due.

    Setting up does not go through the worker (the first test covers that path): its
    handlers are run here, so the worker only sees the dispatches under test.
    """

    def make(n: int) -> list[int]:
        zone = daytime_zone()
        with mock.patch("tickets.outbox.enqueue_event"):
            for i in range(n):
                customer = make_customer(first_name=f"Cust{i}")
                customer.timezone = zone
                customer.save(update_fields=["timezone"])
                ticket = make_ticket(requester=customer, subject=f"Problem {i}")
                ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
        for event in TicketEvent.objects.filter(kind=EventKind.STATUS_CHANGED):
            assert event_deliver(event.pk, "surveys.on_status")
        assert Survey.objects.filter(state=Survey.State.SCHEDULED).count() == n
        Survey.objects.update(send_after=timezone.now() - timedelta(minutes=1))
        return list(Survey.objects.values_list("pk", flat=True))

    return make


def test_it_schedules_a_survey_through_the_outbox_and_cancels_it_on_reopen(
    celery_worker, ticket, agent
):
    ticket_reply(ticket=ticket, author=agent, body="Fixed, the export completes now.")
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)

    wait_until(lambda: Survey.objects.filter(ticket=ticket).exists())
    survey = Survey.objects.get(ticket=ticket)
    assert survey.state == Survey.State.SCHEDULED
    assert survey.send_after == survey.resolved_at + timedelta(hours=1)  # worker's default
    assert list(survey.credits.values_list("agent_id", flat=True)) == [agent.pk]

    ticket_change_status(ticket=ticket, actor=agent, status=Status.OPEN)

    wait_until(lambda: Survey.objects.get(pk=survey.pk).state == Survey.State.CANCELLED)
    assert Survey.objects.filter(ticket=ticket).count() == 1


def test_it_sends_each_survey_once_with_concurrent_dispatchers(make_due_surveys, settings):
    settings.ATTUNE_SURVEY_QUIET_HOURS = (0, 0)
    due_surveys = make_due_surveys(SURVEYS)
    # Small batches, so the dispatchers' claims interleave over the backlog.
    batch_size = 7
    start = threading.Barrier(DISPATCHERS)
    counts: list[int] = []
    errors: list[BaseException] = []

    def dispatch() -> None:
        try:
            start.wait(timeout=10)
            counts.append(services.surveys_dispatch_due(batch_size=batch_size))
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatch) for _ in range(DISPATCHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(counts) == SURVEYS
    assert sent_events_per_survey() == Counter(dict.fromkeys(due_surveys, 1))
    assert Counter(len(m.to) for m in mail.outbox) == Counter({1: SURVEYS})
    assert len({m.to[0] for m in mail.outbox}) == SURVEYS
    assert set(Survey.objects.values_list("state", flat=True)) == {Survey.State.SENT}


def test_it_sends_each_survey_once_when_the_worker_dispatches_concurrently(make_due_surveys):
    # Fewer surveys (setting up is slow): the worker runs two dispatches at a time.
    due_surveys = make_due_surveys(16)
    for _ in range(DISPATCHERS):
        tasks.surveys_dispatch_due.delay()

    wait_until(lambda: not Survey.objects.filter(state=Survey.State.SCHEDULED).exists())
    # A batch commits its surveys and their events together; give a duplicate the
    # chance to show up before counting.
    time.sleep(1.0)
    assert sent_events_per_survey() == Counter(dict.fromkeys(due_surveys, 1))
    assert set(Survey.objects.values_list("state", flat=True)) == {Survey.State.SENT}


class GateBackend(locmem.EmailBackend):
    """Holds the dispatcher thread named "holder" at its first mail until released."""

    holding = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        if threading.current_thread().name == "holder" and not self.release.is_set():
            self.holding.set()
            assert self.release.wait(timeout=30)
        return super().send_messages(messages)


def test_it_skips_a_batch_another_dispatcher_holds_and_sends_the_rest(make_due_surveys, settings):
    settings.EMAIL_BACKEND = "tests.integration.test_surveys_worker.GateBackend"
    GateBackend.holding.clear()
    GateBackend.release.clear()
    due_surveys = sorted(make_due_surveys(10))  # claimed in this order (same send_after)
    results: dict[str, int] = {}

    def dispatch(name: str) -> None:
        try:
            results[name] = services.surveys_dispatch_due(batch_size=4)
        finally:
            connections.close_all()

    holder = threading.Thread(target=dispatch, args=("holder",), name="holder")
    holder.start()
    try:
        assert GateBackend.holding.wait(timeout=30)
        # The holder has locked the 4 oldest and is mailing the first: another
        # dispatcher takes the 6 others, without waiting for it or mailing its batch.
        other = threading.Thread(target=dispatch, args=("other",), name="other")
        other.start()
        other.join(timeout=60)
        assert results["other"] == 6
        assert sorted(sent_events_per_survey()) == sorted(due_surveys[4:])
    finally:
        GateBackend.release.set()
        holder.join(timeout=60)

    assert results["holder"] == 4
    assert sent_events_per_survey() == Counter(dict.fromkeys(due_surveys, 1))
    assert len(mail.outbox) == 10
    assert len({m.to[0] for m in mail.outbox}) == 10


class DyingBackend(locmem.EmailBackend):
    """Writes each address it mails to a file; SIGKILLs its own process at the third."""

    def send_messages(self, messages):
        log = Path(os.environ["ATTUNE_TEST_MAILED_LOG"])
        with log.open("a") as handle:
            handle.writelines(f"{m.to[0]}\n" for m in messages)
        if len(log.read_text().splitlines()) >= 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return super().send_messages(messages)


KILLED_DISPATCH = """
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "tests.integration.test_surveys_worker.DyingBackend"
from surveys.services import surveys_dispatch_due
surveys_dispatch_due(batch_size=5)
"""


def test_a_worker_killed_while_mailing_a_batch_loses_no_survey_and_records_each_once(
    make_due_surveys, celery_worker, tmp_path
):
    due_surveys = make_due_surveys(5)
    mailed_log = tmp_path / "mailed.txt"

    # A dispatcher process is SIGKILLed after mailing 3 of its batch of 5, before the
    # batch's commit (as by Celery's hard time limit or the OOM killer).
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_DISPATCH],
        cwd=ROOT,
        env={**celery_worker.env(), "ATTUNE_TEST_MAILED_LOG": str(mailed_log)},
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    mailed_before_kill = mailed_log.read_text().splitlines()
    assert len(mailed_before_kill) == 3

    # Nothing of the batch was recorded, and its locks died with the process.
    assert sent_events_per_survey() == Counter()
    assert set(Survey.objects.values_list("state", flat=True)) == {Survey.State.SCHEDULED}
    assert services.surveys_dispatch_due() == 5

    # Exactly one sent record and event per survey; the 3 mails that left before the
    # kill go again (at-least-once mail, as documented in surveys_dispatch_due).
    assert sent_events_per_survey() == Counter(dict.fromkeys(due_surveys, 1))
    assert set(Survey.objects.values_list("state", flat=True)) == {Survey.State.SENT}
    assert len(mail.outbox) == 5
    assert set(mailed_before_kill) <= {m.to[0] for m in mail.outbox}
