"""Outbox subscriptions of the empathy app: every public agent reply gets scored."""

from __future__ import annotations

import logging

from empathy.services import reply_score, scoring_failure_record
from tickets.models import EventKind, TicketEvent
from tickets.outbox import register

logger = logging.getLogger(__name__)


@register("empathy.score_reply", kinds={EventKind.AGENT_REPLIED}, queue="scoring")
def score_reply(event: TicketEvent) -> None:
    if event.message is None:
        return
    try:
        reply_score(message=event.message)
    except (ValueError, TypeError, RecursionError, MemoryError) as exc:
        # The analyzer is deterministic: retrying the same text cannot help, so record
        # the failure for admins and let the ticket go on. Database errors are not
        # caught here; the outbox task retries those with backoff.
        logger.exception("Scoring message %s failed", event.message_id)
        scoring_failure_record(message_id=event.message.pk, error=f"{type(exc).__name__}: {exc}")
