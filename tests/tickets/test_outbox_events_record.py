"""events_record: many events in one INSERT, with the same outbox rules as event_record."""

from __future__ import annotations

from unittest import mock

import pytest
from django.utils import timezone

from tickets.models import EventKind, TicketEvent
from tickets.outbox import events_record, handlers_for

pytestmark = pytest.mark.django_db


def test_it_enqueues_each_events_handlers_only_after_commit(
    make_ticket, django_capture_on_commit_callbacks
):
    assert handlers_for(EventKind.CREATED)  # a kind with handlers
    tickets = [make_ticket(subject=f"Problem {i}") for i in range(2)]
    at = timezone.now()

    with (
        mock.patch("tickets.outbox.enqueue_event") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        events = events_record(
            kind=EventKind.CREATED, tickets_data=[(t.pk, {"n": t.pk}) for t in tickets], at=at
        )
        assert not enqueue.called

    assert enqueue.call_args_list == [mock.call(e.pk, EventKind.CREATED) for e in events]
    rows = TicketEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("pk")
    assert [(r.ticket_id, r.data, r.created_at, r.dispatched_at) for r in rows] == [
        (t.pk, {"n": t.pk}, at, None) for t in tickets
    ]


def test_it_marks_events_without_handlers_dispatched(ticket, django_capture_on_commit_callbacks):
    assert not handlers_for(EventKind.SURVEY_SENT)

    with django_capture_on_commit_callbacks() as callbacks:
        [event] = events_record(
            kind=EventKind.SURVEY_SENT, tickets_data=[(ticket.pk, {})], at=timezone.now()
        )

    assert callbacks == []
    assert TicketEvent.objects.get(pk=event.pk).dispatched_at is not None
