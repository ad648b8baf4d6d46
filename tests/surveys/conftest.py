"""Fixtures for the surveys tests: resolving tickets as agents do, and sent surveys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from surveys.models import Survey, SurveyCredit
from surveys.services import surveys_dispatch_due
from tickets.models import EventKind, Status, Ticket, TicketEvent
from tickets.outbox import event_deliver
from tickets.services import ticket_change_status, ticket_reply


@pytest.fixture(autouse=True)
def _survey_settings(settings: Any) -> None:
    # No quiet hours unless a test sets them, so results do not depend on the hour the
    # suite runs at; no delay, so a resolved ticket's survey is due at once.
    settings.ATTUNE_SURVEY_QUIET_HOURS = (0, 0)
    settings.ATTUNE_SURVEY_DELAY_SECONDS = 0


def status_events(ticket: Ticket) -> list[TicketEvent]:
    return list(
        TicketEvent.objects.filter(ticket=ticket, kind=EventKind.STATUS_CHANGED).order_by(
            "created_at", "pk"
        )
    )


def change_status(ticket: Ticket, actor: User, status: str, *, deliver: bool = True) -> TicketEvent:
    """Change the status as an agent would, then run the surveys handler as the worker would."""
    ticket_change_status(ticket=ticket, actor=actor, status=status)
    event = status_events(ticket)[-1]
    assert event.data["to"] == status
    if deliver:
        assert event_deliver(event.pk, "surveys.on_status")
    return event


def resolve(ticket: Ticket, agent: User, *, deliver: bool = True) -> TicketEvent:
    """An agent replies publicly, then resolves the ticket."""
    ticket_reply(ticket=ticket, author=agent, body="Restarting the export fixed it for me.")
    return change_status(ticket, agent, Status.RESOLVED, deliver=deliver)


@pytest.fixture
def sent_survey(make_ticket: Callable[..., Ticket], agent: User) -> Callable[..., Survey]:
    """A ticket resolved by `agent`, its survey scheduled and sent through the services."""

    def make(**ticket_fields: Any) -> Survey:
        ticket = make_ticket(**ticket_fields)
        event = resolve(ticket, agent)
        assert surveys_dispatch_due() >= 1
        return Survey.objects.get(resolution_event=event, state=Survey.State.SENT)

    return make


@pytest.fixture
def make_survey(make_ticket: Callable[..., Ticket]) -> Callable[..., Survey]:
    """A survey row written directly, for reports that only read them."""

    def make(
        *,
        agents: Sequence[User] = (),
        rating: int | None = None,
        understood: int | None = None,
        reason: str = "",
        sent_at: datetime | None = None,
        state: str = Survey.State.SENT,
        ticket: Ticket | None = None,
        **ticket_fields: Any,
    ) -> Survey:
        ticket = ticket or make_ticket(**ticket_fields)
        sent_at = sent_at or timezone.now()
        resolution = TicketEvent.objects.create(
            ticket=ticket,
            kind=EventKind.STATUS_CHANGED,
            data={"from": Status.OPEN, "to": Status.RESOLVED},
            created_at=sent_at,
            dispatched_at=sent_at,
        )
        survey = Survey.objects.create(
            ticket=ticket,
            resolution_event=resolution,
            customer_id=ticket.requester_id,
            queue_id=ticket.queue_id,
            state=state,
            resolved_at=sent_at,
            send_after=sent_at,
            sent_at=sent_at if state == Survey.State.SENT else None,
            rating=rating,
            understood=understood,
            reason=reason,
            answered_at=sent_at if rating else None,
        )
        SurveyCredit.objects.bulk_create([SurveyCredit(survey=survey, agent=a) for a in agents])
        return survey

    return make
