"""A dead or frozen Redis costs one request, not every request."""

import time

import pytest

from helpdesk import resilience
from tickets import ratelimit
from tickets.models import EventDelivery


def test_the_breaker_opens_on_failure_and_closes_after_a_while(monkeypatch) -> None:
    assert resilience.redis_usable()
    resilience.redis_failed(ConnectionError("down"))
    assert not resilience.redis_usable()
    real_monotonic = time.monotonic
    monkeypatch.setattr(resilience.time, "monotonic", lambda: real_monotonic() + 31)
    assert resilience.redis_usable()


def test_rate_limits_fail_open_while_the_cache_is_down(monkeypatch) -> None:
    calls = []

    def broken_add(*args: object, **kwargs: object) -> bool:
        calls.append(1)
        raise ConnectionError("redis frozen")

    monkeypatch.setattr(ratelimit.cache, "add", broken_add)
    assert ratelimit.hit("t", "1.2.3.4", limit=1)
    assert ratelimit.hit("t", "1.2.3.4", limit=1)
    # Only the first call touched the broken cache: the breaker skipped the second.
    assert calls == [1]


@pytest.mark.django_db(transaction=True)
def test_a_ticket_is_accepted_while_the_broker_is_unreachable_and_its_work_is_owed(
    monkeypatch, make_ticket
) -> None:
    from tickets import tasks
    from tickets.outbox import pending_deliveries

    def broken_publish(*args: object, **kwargs: object) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.outbox_deliver, "apply_async", broken_publish)
    started = time.monotonic()
    ticket = make_ticket()
    assert time.monotonic() - started < 3
    assert EventDelivery.objects.count() == 0
    from datetime import timedelta

    owed = pending_deliveries(older_than=timedelta(0))
    assert (ticket.events.get(kind="created").pk, "tickets.notify_created") in owed
