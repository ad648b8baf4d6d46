"""Scoring replies, keeping rollups, and managers' reviews."""

from __future__ import annotations

import logging
from datetime import date

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from empathy.analyzer import VERSION, analyze
from empathy.models import DailyRollup, Reflection, ReplyScore, Review, ScoringFailure
from empathy.rollups import COMPONENTS, levels_add
from tickets.errors import TicketError
from tickets.models import EventKind, Message, MessageKind, Ticket
from tickets.outbox import event_record

# Below this overall score, where the customer needed empathy, a reply is flagged as an
# event (for webhooks and the timeline).
LOW_SCORE = 40

logger = logging.getLogger(__name__)


def customer_message_before(message: Message) -> str | None:
    """The customer's latest message before this reply: what the agent was answering."""
    body = (
        Message.objects.filter(
            ticket_id=message.ticket_id,
            kind=MessageKind.CUSTOMER,
            created_at__lte=message.created_at,
        )
        .exclude(pk=message.pk)
        .order_by("-created_at", "-pk")
        .values_list("body", flat=True)
        .first()
    )
    return body


@transaction.atomic
def reply_score(*, message: Message, version: str = VERSION) -> ReplyScore | None:
    """Score one public reply and fold it into the agent's daily rollup, exactly once.

    Returns None when the reply was already scored for this version (a redelivered
    task, or a re-score run that was interrupted and restarted).
    """
    if message.kind != MessageKind.REPLY or message.author_id is None:
        return None
    scored_versions = set(
        ReplyScore.objects.filter(message=message).values_list("version", flat=True)
    )
    if version in scored_versions:
        return None
    result = analyze(message.body, customer_message_before(message))
    as_dict = result.to_dict()
    try:
        with transaction.atomic():
            score = ReplyScore.objects.create(
                message=message,
                version=result.version,
                agent_id=message.author_id,
                ticket_id=message.ticket_id,
                replied_at=message.created_at,
                overall=result.overall,
                listening=result.listening.level,
                validation=result.validation.level,
                reflection=result.reflection.level,
                tone=result.tone.level,
                confidence={
                    name: getattr(result, name).confidence
                    for name in ("listening", "validation", "reflection", "tone")
                },
                opportunity=result.opportunity,
                challenging=message.ticket.challenging,
                spans=as_dict["spans"],
                suggestions=as_dict["suggestions"],
            )
    except IntegrityError:  # a concurrent run stored it first
        return None
    _rollup_add(score)
    # Only a reply's first score is news: re-scoring history with a new analyzer version
    # must not announce thousands of old replies to the timeline and to webhooks.
    first_score = not scored_versions
    if first_score and score.overall < LOW_SCORE and score.opportunity in ("normal", "high"):
        # An event, so subscribers (webhooks) hear of it through the same outbox.
        event_record(
            ticket=message.ticket,
            kind=EventKind.LOW_EMPATHY_SCORE,
            message=message,
            data={"score": score.pk, "overall": score.overall, "version": score.version},
        )
    ScoringFailure.objects.filter(message=message, version=version).delete()
    return score


def _rollup_add(score: ReplyScore) -> None:
    day: date = timezone.localdate(score.replied_at)
    rollup, _ = DailyRollup.objects.get_or_create(
        agent_id=score.agent_id, day=day, version=score.version
    )
    DailyRollup.objects.filter(pk=rollup.pk).update(
        replies=F("replies") + 1,
        overall_sum=F("overall_sum") + score.overall,
        listening_sum=F("listening_sum") + score.listening,
        validation_sum=F("validation_sum") + score.validation,
        reflection_sum=F("reflection_sum") + score.reflection,
        tone_sum=F("tone_sum") + score.tone,
        # int(): PostgreSQL has no integer + boolean operator.
        listening_present=F("listening_present") + int(score.listening > 0),
        validation_present=F("validation_present") + int(score.validation > 0),
        reflection_present=F("reflection_present") + int(score.reflection > 0),
        challenging=F("challenging") + int(score.challenging),
    )
    # The UPDATE above holds the row's lock until the transaction ends, so the histogram is
    # read and written back with no other scoring of this agent's day in between (two
    # would otherwise each add to the same old counts).
    levels = DailyRollup.objects.values_list("levels", flat=True).get(pk=rollup.pk)
    DailyRollup.objects.filter(pk=rollup.pk).update(
        levels=levels_add(
            levels, {name: getattr(score, name) for name in COMPONENTS}, score.confidence
        )
    )


def scoring_failure_record(*, message_id: int, error: str, version: str = VERSION) -> None:
    ScoringFailure.objects.update_or_create(
        message_id=message_id, version=version, defaults={"error": error[:4000]}
    )


def reply_score_or_record_failure(*, message: Message) -> ReplyScore | None:
    """`reply_score`, but a reply the analyzer cannot score is recorded, not raised.

    The analyzer is deterministic: retrying the same text cannot help, whatever it raised
    (a KeyError from a lexicon bug as much as a ValueError), so the failure is stored for
    admins and the caller goes on. Only database errors propagate, to be retried.
    """
    try:
        return reply_score(message=message)
    except DatabaseError:
        raise
    except Exception as exc:
        logger.exception("Scoring message %s failed", message.pk)
        scoring_failure_record(message_id=message.pk, error=f"{type(exc).__name__}: {exc}")
        return None


LEVEL_RANGE = range(3)


@transaction.atomic
def review_save(
    *,
    score: ReplyScore,
    reviewer: User,
    levels: dict[str, int | None],
    feedback: str,
    exemplary: bool,
) -> Review:
    """A manager's component ratings, feedback and "exemplary" mark for one reply."""
    for name, level in levels.items():
        if name not in ("listening", "validation", "reflection", "tone"):
            raise TicketError(f"Unknown component {name!r}.")
        if level is not None and level not in LEVEL_RANGE:
            raise TicketError(f"{name.capitalize()} must be 0, 1 or 2.")
    feedback = feedback.strip()[:5000]
    defaults: dict[str, object] = {**levels, "feedback": feedback, "exemplary": exemplary}
    previous = (
        Review.objects.filter(score=score, reviewer=reviewer)
        .values_list("feedback", flat=True)
        .first()
    )
    if previous is not None and previous != feedback:
        defaults["acknowledged_at"] = None  # new words: the agent has not read them yet
    review, _ = Review.objects.update_or_create(score=score, reviewer=reviewer, defaults=defaults)
    return review


@transaction.atomic
def review_acknowledge(*, review: Review, agent: User, reply: str = "") -> Review:
    if review.score.agent_id != agent.pk:
        raise TicketError("Only the agent who wrote the reply can acknowledge this feedback.")
    review.acknowledged_at = timezone.now()
    review.agent_reply = reply.strip()[:2000]
    review.save(update_fields=["acknowledged_at", "agent_reply"])
    return review


def reflection_save(
    *, agent: User, ticket: Ticket, went_well: str, do_differently: str
) -> Reflection:
    reflection, _ = Reflection.objects.update_or_create(
        agent=agent,
        ticket=ticket,
        defaults={
            "went_well": went_well.strip()[:2000],
            "do_differently": do_differently.strip()[:2000],
        },
    )
    return reflection
