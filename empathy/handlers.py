"""Outbox subscriptions of the empathy app: every public agent reply gets scored."""

from __future__ import annotations

import logging

from django.db import DatabaseError

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
    except DatabaseError:
        raise  # transient: the outbox task retries it with backoff
    except Exception as exc:
        # The analyzer is deterministic: retrying the same text cannot help, whatever it
        # raised (a KeyError from a lexicon bug as much as a ValueError), so record the
        # failure for admins and let the ticket go on. Only database errors propagate.
        logger.exception("Scoring message %s failed", event.message_id)
        scoring_failure_record(message_id=event.message.pk, error=f"{type(exc).__name__}: {exc}")
