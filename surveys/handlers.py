"""Outbox subscriptions of the surveys app."""

from __future__ import annotations

from surveys.models import Survey
from surveys.services import (
    DONE,
    low_rating_alert_send,
    survey_schedule,
    surveys_cancel_for_reopen,
)
from tickets.models import EventKind, TicketEvent
from tickets.outbox import register


@register("surveys.on_status", kinds={EventKind.STATUS_CHANGED}, queue="surveys")
def on_status(event: TicketEvent) -> None:
    before, after = event.data.get("from"), event.data.get("to")
    if after in DONE and before not in DONE:
        # A ticket closed by merging it into another was not resolved: the survey
        # belongs to the ticket the conversation moved to.
        if event.ticket.merged_into_id is None:
            survey_schedule(resolution=event)
    elif before in DONE and after not in DONE:
        surveys_cancel_for_reopen(ticket_id=event.ticket_id)


@register("surveys.low_rating_alert", kinds={EventKind.FOLLOW_UP_OPENED}, queue="mail")
def on_follow_up(event: TicketEvent) -> None:
    survey = Survey.objects.select_related("ticket").filter(pk=event.data.get("survey")).first()
    if survey is not None:
        low_rating_alert_send(survey=survey)
