"""Outbox subscriptions of the empathy app: every public agent reply gets scored."""

from __future__ import annotations

from empathy.services import reply_score_or_record_failure
from tickets.models import EventKind, TicketEvent
from tickets.outbox import register


@register("empathy.score_reply", kinds={EventKind.AGENT_REPLIED}, queue="scoring")
def score_reply(event: TicketEvent) -> None:
    # An analyzer error is recorded as a ScoringFailure and the ticket goes on; database
    # errors propagate and the outbox task retries them with backoff.
    if event.message is not None:
        reply_score_or_record_failure(message=event.message)
