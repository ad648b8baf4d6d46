"""Dispatching due surveys in batches: one claim, one mail connection and one commit per
batch; a run that is told to stop leaves the rest; the task keeps to a time budget and
splits a backlog over the worker's processes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, ClassVar
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from accounts.models import User
from surveys import tasks
from surveys.models import Survey
from surveys.services import DISPATCH_BATCH, surveys_dispatch_due
from tests.surveys.conftest import resolve
from tickets.models import EventKind, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_surveys(
    make_ticket: Callable[..., Ticket], make_customer: Callable[..., Any], agent: User
) -> Callable[[int], list[int]]:
    """`n` scheduled surveys of different customers, due now, oldest first."""

    def make(n: int) -> list[int]:
        for i in range(n):
            resolve(make_ticket(requester=make_customer(email=f"c{i}@example.com")), agent)
        surveys = Survey.objects.filter(state=Survey.State.SCHEDULED).order_by("pk")
        assert surveys.count() == n
        # Distinct send times in creation order, as resolutions make them.
        start = timezone.now() - timedelta(minutes=10)
        for i, survey in enumerate(surveys):
            survey.send_after = start + timedelta(seconds=i)
            survey.save(update_fields=["send_after"])
        return list(surveys.values_list("pk", flat=True))

    return make


def sent_events() -> list[int]:
    return sorted(e.data["survey"] for e in TicketEvent.objects.filter(kind=EventKind.SURVEY_SENT))


class CountingBackend(locmem.EmailBackend):
    """Counts the connections opened to the mail server."""

    opened: ClassVar[list[int]] = []

    def open(self) -> bool:
        CountingBackend.opened.append(1)
        return True


class UnreachableBackend(locmem.EmailBackend):
    """The mail server refuses connections."""

    def open(self) -> bool:
        raise ConnectionRefusedError("Connection refused")

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("Connection refused")


def test_it_sends_every_due_survey_oldest_first_in_batches(due_surveys):
    surveys = due_surveys(5)

    assert surveys_dispatch_due(batch_size=2) == 5

    assert [m.to[0] for m in mail.outbox] == [f"c{i}@example.com" for i in range(5)]
    assert sent_events() == surveys
    assert set(Survey.objects.values_list("state", flat=True)) == {Survey.State.SENT}


@pytest.mark.parametrize("n", [3, 6])
def test_it_uses_the_same_queries_for_a_batch_of_any_size(
    due_surveys, django_assert_num_queries, n
):
    due_surveys(n)

    # Per batch: a savepoint, the claim (with ticket, customer and user), the lock on
    # its customers (so a concurrent batch cannot survey one of them too), the cooldown
    # check for all its customers, the sent update, the events insert, the release;
    # then an empty claim in its own savepoint ends the run.
    with django_assert_num_queries(10):
        assert surveys_dispatch_due() == n


def test_it_opens_one_mail_connection_per_batch(due_surveys, settings):
    settings.EMAIL_BACKEND = "tests.surveys.test_services_dispatch.CountingBackend"
    CountingBackend.opened.clear()
    due_surveys(5)

    assert surveys_dispatch_due(batch_size=2) == 5

    assert len(CountingBackend.opened) == 3
    assert len(mail.outbox) == 5


def test_it_stops_between_batches_when_told_to(due_surveys):
    surveys = due_surveys(5)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1  # after the first batch

    assert surveys_dispatch_due(batch_size=2, stop=stop) == 2

    assert sent_events() == surveys[:2]
    assert Survey.objects.filter(state=Survey.State.SCHEDULED).count() == 3
    assert surveys_dispatch_due(batch_size=2) == 3
    assert sent_events() == surveys


def test_it_keeps_a_whole_batch_for_later_when_the_mail_server_is_unreachable(
    due_surveys, settings
):
    settings.EMAIL_BACKEND = "tests.surveys.test_services_dispatch.UnreachableBackend"
    due_surveys(3)
    now = timezone.now()

    assert surveys_dispatch_due(now=now) == 0

    assert sent_events() == []
    assert set(Survey.objects.values_list("state", flat=True)) == {Survey.State.SCHEDULED}
    assert all(s.send_after > now for s in Survey.objects.all())


def test_it_surveys_a_customer_once_when_two_of_their_surveys_share_a_batch(
    make_ticket, customer, agent
):
    first = resolve(make_ticket(requester=customer, subject="First problem"), agent)
    second = resolve(make_ticket(requester=customer, subject="Second problem"), agent)
    # Due at the same instant: the claim's order (send time, then id) decides.
    Survey.objects.update(send_after=timezone.now() - timedelta(minutes=1))

    assert surveys_dispatch_due(batch_size=10) == 1

    assert len(mail.outbox) == 1
    # The oldest is sent; the other is skipped, as the cooldown skips a later survey.
    assert Survey.objects.get(resolution_event=first).state == Survey.State.SENT
    assert Survey.objects.get(resolution_event=second).state == Survey.State.SKIPPED


# The task: time budget, continuation, fan-out --------------------------------------


def test_the_task_sends_everything_within_its_budget_and_enqueues_nothing(due_surveys):
    surveys = due_surveys(3)

    with mock.patch.object(tasks.surveys_dispatch_due, "delay") as delay:
        assert tasks.surveys_dispatch_due() == 3

    assert not delay.called
    assert sent_events() == surveys


def test_the_task_leaves_the_rest_to_a_continuation_once_its_budget_is_spent(due_surveys, settings):
    # The budget is half the soft time limit: none at all here.
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 0
    due_surveys(3)

    with mock.patch.object(tasks.surveys_dispatch_due, "delay") as delay:
        assert tasks.surveys_dispatch_due() == 0

    # The continuation does not fan out again: a long backlog keeps two dispatchers.
    assert delay.call_args_list == [mock.call(fan_out=1, batch_size=DISPATCH_BATCH)]
    assert Survey.objects.filter(state=Survey.State.SCHEDULED).count() == 3


def test_the_task_splits_a_backlog_of_more_than_a_batch_over_the_workers_processes(
    due_surveys,
):
    due_surveys(3)

    with mock.patch.object(tasks.surveys_dispatch_due, "delay") as delay:
        assert tasks.surveys_dispatch_due(batch_size=2) == 3

    assert delay.call_args_list == [mock.call(fan_out=1, batch_size=2)] * (
        tasks.DISPATCH_FAN_OUT - 1
    )


def test_a_helper_or_continuation_does_not_fan_out(due_surveys):
    due_surveys(3)

    with mock.patch.object(tasks.surveys_dispatch_due, "delay") as delay:
        assert tasks.surveys_dispatch_due(fan_out=1, batch_size=2) == 3

    assert not delay.called
