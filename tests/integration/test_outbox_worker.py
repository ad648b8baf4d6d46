"""Enqueue-after-commit with the real worker: rolled back work never runs, committed work
runs exactly once."""

import time

import pytest
from django.db import transaction

from tests.integration.fixtures import wait_until
from tickets.models import EventDelivery, Ticket, TicketEvent

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


CREATED_HANDLERS = [("created", "tickets.notify_created"), ("created", "webhooks.fan_out")]


def deliveries(ticket_id: int) -> list[tuple[str, str]]:
    return list(
        EventDelivery.objects.filter(event__ticket_id=ticket_id)
        .values_list("event__kind", "handler")
        .order_by("handler")
    )


def test_a_committed_ticket_is_handled_exactly_once_by_the_worker(celery_worker, make_ticket):
    ticket = make_ticket()
    wait_until(lambda: len(deliveries(ticket.pk)) == len(CREATED_HANDLERS))
    # Give a duplicate (redelivery, double enqueue) the chance to show up, then check.
    time.sleep(1.0)
    assert deliveries(ticket.pk) == CREATED_HANDLERS
    assert TicketEvent.objects.get(ticket=ticket, kind="created").dispatched_at is not None


def test_work_from_a_rolled_back_transaction_never_runs(celery_worker, make_ticket):
    class Boom(Exception):
        pass

    doomed_ids: list[int] = []

    def create_then_fail() -> None:
        with transaction.atomic():
            doomed_ids.append(make_ticket(subject="This one is rolled back").pk)
            raise Boom

    with pytest.raises(Boom):
        create_then_fail()
    doomed_id = doomed_ids[0]
    assert not Ticket.objects.filter(pk=doomed_id).exists()
    # A committed ticket afterwards acts as a barrier: once the worker handled it,
    # anything enqueued before it would have been handled too.
    barrier = make_ticket(subject="Barrier")
    wait_until(lambda: len(deliveries(barrier.pk)) == len(CREATED_HANDLERS))
    assert EventDelivery.objects.count() == len(CREATED_HANDLERS)


def test_a_delivery_repeated_by_the_broker_has_no_second_effect(celery_worker, make_ticket):
    from tickets.tasks import outbox_deliver

    ticket = make_ticket()
    wait_until(lambda: len(deliveries(ticket.pk)) == len(CREATED_HANDLERS))
    event = TicketEvent.objects.get(ticket=ticket, kind="created")
    for _ in range(3):
        outbox_deliver.apply_async((event.pk, "tickets.notify_created"), queue="mail")
    barrier = make_ticket(subject="Barrier")
    wait_until(lambda: len(deliveries(barrier.pk)) == len(CREATED_HANDLERS))
    assert deliveries(ticket.pk) == CREATED_HANDLERS
