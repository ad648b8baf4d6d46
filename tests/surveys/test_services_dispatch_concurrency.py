"""The survey cooldown under concurrent dispatchers: two surveys of one customer that are
due together (two tickets resolved at once) send one mail, whichever dispatchers claim
them; a dispatcher that finds the customer being surveyed by another postpones its survey
briefly instead of waiting; other customers' surveys go out alongside."""

from __future__ import annotations

import smtplib
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, ClassVar
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, connections
from django.utils import timezone

from accounts.models import User
from surveys.models import Survey
from surveys.services import CUSTOMER_BUSY_RETRY, SEND_RETRY, surveys_dispatch_due
from tests.surveys.conftest import resolve
from tickets.models import Customer, EventKind, Ticket, TicketEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite has one writer"
    ),
]

DISPATCHERS = 4


class SlowBackend(locmem.EmailBackend):
    """A mail server that takes a while per mail, as a real one does: a dispatcher stays
    between its cooldown check and its commit long enough for the others to claim."""

    def send_messages(self, messages: Any) -> int:
        time.sleep(0.3)
        return super().send_messages(messages)


class GateBackend(locmem.EmailBackend):
    """Holds the dispatcher thread named "holder" at its first mail until released, then
    delivers that mail, or refuses it if `refuse` is set."""

    holding = threading.Event()
    release = threading.Event()
    refuse: ClassVar[bool] = False

    def send_messages(self, messages: Any) -> int:
        if threading.current_thread().name == "holder":
            self.holding.set()
            assert self.release.wait(timeout=30)
            if self.refuse:
                raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})
        return super().send_messages(messages)


@pytest.fixture
def gate(settings: Any) -> type[GateBackend]:
    settings.EMAIL_BACKEND = "tests.surveys.test_services_dispatch_concurrency.GateBackend"
    GateBackend.holding.clear()
    GateBackend.release.clear()
    GateBackend.refuse = False
    return GateBackend


@pytest.fixture
def due_at_once(
    make_ticket: Callable[..., Ticket], agent: User, settings: Any
) -> Callable[..., list[Survey]]:
    """Resolve one ticket per customer given (a customer given twice has two tickets);
    all their surveys become due at the same instant. Returns them oldest first."""
    settings.ATTUNE_SURVEY_COOLDOWN_DAYS = 7

    def make(*customers: Customer) -> list[Survey]:
        # The handlers run here; nothing is left on the broker for a worker.
        with mock.patch("tickets.outbox.enqueue_event"):
            for n, customer in enumerate(customers):
                resolve(make_ticket(requester=customer, subject=f"Problem {n}"), agent)
        due = timezone.now() - timedelta(minutes=1)
        scheduled = Survey.objects.filter(state=Survey.State.SCHEDULED)
        assert scheduled.update(send_after=due) == len(customers)
        return list(Survey.objects.order_by("pk"))

    return make


def run_concurrently(dispatch: Callable[[], int], n: int = DISPATCHERS) -> list[int]:
    """Start `n` dispatchers at the same moment; return how many each sent."""
    start = threading.Barrier(n)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            counts.append(dispatch())
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return counts


def start_holder(name: str = "holder") -> tuple[threading.Thread, dict[str, int]]:
    """A dispatcher in its own thread; as "holder" it stops at its first mail (GateBackend)."""
    results: dict[str, int] = {}

    def dispatch() -> None:
        try:
            results[name] = surveys_dispatch_due(batch_size=1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=dispatch, name=name)
    thread.start()
    return thread, results


def after_retry() -> datetime:
    return timezone.now() + CUSTOMER_BUSY_RETRY + timedelta(seconds=1)


def sent_events() -> Counter[int]:
    return Counter(e.data["survey"] for e in TicketEvent.objects.filter(kind=EventKind.SURVEY_SENT))


def states() -> dict[int, str]:
    return dict(Survey.objects.values_list("pk", "state"))


# Batches of one: two dispatchers claim one survey each at the same moment. Batches of
# ten: one dispatcher may claim both, or two may split them (SKIP LOCKED).
@pytest.mark.parametrize("batch_size", [1, 10])
def test_concurrent_dispatchers_survey_a_customer_once_for_two_surveys_due_together(
    due_at_once, customer, settings, batch_size
):
    settings.EMAIL_BACKEND = "tests.surveys.test_services_dispatch_concurrency.SlowBackend"
    due_at_once(customer, customer)

    counts = run_concurrently(lambda: surveys_dispatch_due(batch_size=batch_size))
    # The other survey is skipped now or, if its dispatcher found the customer busy,
    # once it is due again.
    assert surveys_dispatch_due(now=after_retry()) == 0

    assert sum(counts) == 1
    assert [m.to for m in mail.outbox] == [[customer.user.email]]
    assert sorted(states().values()) == [Survey.State.SENT, Survey.State.SKIPPED]
    [sent] = [pk for pk, state in states().items() if state == Survey.State.SENT]
    assert sent_events() == Counter({sent: 1})


def test_concurrent_dispatchers_still_survey_every_other_customer(
    due_at_once, customer, make_customer, settings
):
    settings.EMAIL_BACKEND = "tests.surveys.test_services_dispatch_concurrency.SlowBackend"
    others = [make_customer(email=f"other{i}@example.com") for i in range(3)]
    # The first four are claimed together by four dispatchers.
    surveys = due_at_once(customer, others[0], customer, *others[1:])

    counts = run_concurrently(lambda: surveys_dispatch_due(batch_size=1))
    assert surveys_dispatch_due(now=after_retry()) == 0

    assert sum(counts) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.user.email for c in [customer, *others])
    twice = [s.pk for s in surveys if s.customer_id == customer.pk]
    assert sorted(states()[pk] for pk in twice) == [Survey.State.SENT, Survey.State.SKIPPED]
    assert all(states()[s.pk] == Survey.State.SENT for s in surveys if s.pk not in twice)
    assert sum(sent_events().values()) == 4


def test_a_dispatcher_postpones_a_survey_of_a_customer_another_is_surveying(
    due_at_once, customer, gate
):
    first, second = due_at_once(customer, customer)
    holder, results = start_holder()
    try:
        assert gate.holding.wait(timeout=30)
        # The holder is mailing the customer's first survey, uncommitted: another
        # dispatcher leaves the second for a minute, without waiting for the holder.
        now = timezone.now()
        assert surveys_dispatch_due(now=now, batch_size=1) == 0
        postponed = Survey.objects.get(pk=second.pk)
        assert postponed.state == Survey.State.SCHEDULED
        assert postponed.send_after == now + CUSTOMER_BUSY_RETRY
    finally:
        gate.release.set()
        holder.join(timeout=60)
    assert results["holder"] == 1

    # A minute later the cooldown sees the first survey sent.
    assert surveys_dispatch_due(now=after_retry()) == 0
    assert states() == {first.pk: Survey.State.SENT, second.pk: Survey.State.SKIPPED}
    assert [m.to for m in mail.outbox] == [[customer.user.email]]


def test_a_postponed_survey_is_sent_when_the_other_dispatchers_mail_failed(
    due_at_once, customer, gate
):
    gate.refuse = True
    first, second = due_at_once(customer, customer)
    holder, results = start_holder()
    try:
        assert gate.holding.wait(timeout=30)
        assert surveys_dispatch_due(batch_size=1) == 0
    finally:
        gate.release.set()
        holder.join(timeout=60)
    assert results["holder"] == 0  # refused: tried again in an hour

    # The customer was not surveyed after all, so the postponed survey goes...
    assert surveys_dispatch_due(now=after_retry()) == 1
    assert sent_events() == Counter({second.pk: 1})
    # ...and the cooldown then skips the first when its retry comes.
    assert surveys_dispatch_due(now=timezone.now() + SEND_RETRY + timedelta(minutes=1)) == 0
    assert states() == {first.pk: Survey.State.SKIPPED, second.pk: Survey.State.SENT}
    assert [m.to for m in mail.outbox] == [[customer.user.email]]


def test_a_dispatcher_mailing_one_customer_does_not_hold_up_another(
    due_at_once, customer, other_customer, gate
):
    held, other = due_at_once(customer, other_customer)
    holder, results = start_holder()
    try:
        assert gate.holding.wait(timeout=30)
        # The holder has claimed and locked the first customer and is mailing them:
        # another dispatcher sends the other customer's survey at once.
        assert surveys_dispatch_due(batch_size=1) == 1
        assert sent_events() == Counter({other.pk: 1})
    finally:
        gate.release.set()
        holder.join(timeout=60)

    assert results["holder"] == 1
    assert sent_events() == Counter({held.pk: 1, other.pk: 1})
