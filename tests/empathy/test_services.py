"""Scoring replies, the daily rollups, the outbox subscription and managers' reviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Case, Count, IntegerField, Sum, When
from django.db.models.functions import TruncDate
from django.forms.models import model_to_dict

from accounts.models import Role
from empathy.analyzer import VERSION, analyze
from empathy.models import DailyRollup, ReplyScore, Review, ScoringFailure
from empathy.services import reply_score, review_acknowledge, review_save
from tickets.errors import TicketError
from tickets.models import EventDelivery, EventKind, Message, Ticket, TicketEvent
from tickets.outbox import event_deliver
from tickets.services import ticket_customer_reply, ticket_note_add, ticket_reply

pytestmark = pytest.mark.django_db

HANDLER = "empathy.score_reply"
WARM = (
    "I understand how frustrating this must be. So if I understand correctly, the export "
    "stops at 40% every time. Could you tell me which browser you use?"
)
COLD = "Read the manual."
ANGRY = "This is the third time I write and it is still not fixed. Unacceptable, fix it NOW!!"


def reply(ticket: Ticket, author, body: str = WARM, *, at: datetime | None = None) -> Message:
    message = ticket_reply(ticket=ticket, author=author, body=body)
    if at is not None:
        Message.objects.filter(pk=message.pk).update(created_at=at)
        message.refresh_from_db()
    return message


def replied_event(message: Message) -> TicketEvent:
    return TicketEvent.objects.get(kind=EventKind.AGENT_REPLIED, message=message)


# Scoring one reply ----------------------------------------------------------------------


def test_it_stores_components_spans_overall_and_version_for_a_public_reply(ticket, agent):
    message = reply(ticket, agent)

    score = reply_score(message=message)

    expected = analyze(WARM, "The CSV export stops at 40% since Monday.")
    assert score is not None
    score.refresh_from_db()
    assert score.message_id == message.pk
    assert score.agent_id == agent.pk
    assert score.ticket_id == ticket.pk
    assert score.replied_at == message.created_at
    assert score.version == VERSION
    assert score.overall == expected.overall
    assert (score.listening, score.validation, score.reflection, score.tone) == (
        expected.listening.level,
        expected.validation.level,
        expected.reflection.level,
        expected.tone.level,
    )
    assert score.validation == 2
    assert score.reflection == 2
    assert score.spans == expected.to_dict()["spans"]
    assert score.spans, "the warm reply has evidence"
    assert all(WARM[s["start"] : s["end"]] == s["text"] for s in score.spans)
    assert score.suggestions == expected.to_dict()["suggestions"]
    assert score.opportunity == expected.opportunity
    assert set(score.confidence) == {"listening", "validation", "reflection", "tone"}


def test_it_does_not_score_an_internal_note(ticket, agent):
    note = ticket_note_add(ticket=ticket, author=agent, body="Customer seems upset; be gentle.")

    assert reply_score(message=note) is None
    assert not ReplyScore.objects.exists()
    assert not DailyRollup.objects.exists()


def test_it_does_not_score_a_customer_message(ticket, customer):
    message = ticket_customer_reply(
        ticket=ticket, customer=customer, body="Still broken!", channel="web"
    )

    assert reply_score(message=message) is None
    assert reply_score(message=ticket.messages.order_by("pk").first()) is None
    assert not ReplyScore.objects.exists()


def test_it_scores_a_reply_only_once_per_version(ticket, agent):
    message = reply(ticket, agent)

    first = reply_score(message=message)
    second = reply_score(message=message)

    assert first is not None
    assert second is None
    assert ReplyScore.objects.filter(message=message).count() == 1
    rollup = DailyRollup.objects.get(agent=agent)
    assert rollup.replies == 1
    assert rollup.overall_sum == first.overall


def test_it_scores_the_same_reply_again_for_another_analyzer_version(ticket, agent):
    message = reply(ticket, agent)
    ReplyScore.objects.create(
        message=message,
        version="2000.1.1",
        agent=agent,
        ticket=ticket,
        replied_at=message.created_at,
        overall=1,
        listening=0,
        validation=0,
        reflection=0,
        tone=0,
        opportunity="normal",
    )

    assert reply_score(message=message) is not None
    assert set(ReplyScore.objects.values_list("version", flat=True)) == {"2000.1.1", VERSION}


def test_it_announces_a_low_score_only_for_a_replys_first_score(ticket, agent, customer):
    ticket_customer_reply(ticket=ticket, customer=customer, body=ANGRY, channel="web")
    old_version = reply(ticket, agent, COLD)
    ReplyScore.objects.create(
        message=old_version,
        version="2000.1.1",
        agent=agent,
        ticket=ticket,
        replied_at=old_version.created_at,
        overall=10,
        listening=0,
        validation=0,
        reflection=0,
        tone=0,
        opportunity="high",
    )
    new_reply = reply(ticket, agent, COLD)

    rescored = reply_score(message=old_version)
    first = reply_score(message=new_reply)

    assert rescored is not None
    assert first is not None
    assert rescored.overall == first.overall  # both low: same text, same customer message
    announced = TicketEvent.objects.filter(kind=EventKind.LOW_EMPATHY_SCORE)
    assert list(announced.values_list("message_id", flat=True)) == [new_reply.pk]


def test_it_answers_the_customer_message_just_before_the_reply(ticket, agent, customer):
    # The ticket opened about an export; then the customer wrote about an invoice.
    ticket_customer_reply(
        ticket=ticket,
        customer=customer,
        body="Now my invoice shows a double charge for March and I am annoyed.",
        channel="web",
    )
    message = reply(ticket, agent, "We fixed it.")
    # A later customer message must not be what the reply is judged against.
    ticket_customer_reply(
        ticket=ticket, customer=customer, body="Thanks, the parcel arrived.", channel="web"
    )

    score = reply_score(message=message)

    expected = analyze(
        "We fixed it.", "Now my invoice shows a double charge for March and I am annoyed."
    )
    assert score is not None
    assert score.suggestions == expected.to_dict()["suggestions"]
    assert any("invoice" in s["example"] for s in score.suggestions)
    assert not any("export" in s["example"] or "parcel" in s["example"] for s in score.suggestions)


# Rollups ---------------------------------------------------------------------------------


def direct_aggregate() -> dict[tuple[int, object], dict[str, int]]:
    def present(field: str) -> Sum:
        return Sum(
            Case(When(**{f"{field}__gt": 0}, then=1), default=0, output_field=IntegerField())
        )

    rows = (
        ReplyScore.objects.filter(version=VERSION)
        .annotate(day=TruncDate("replied_at"))
        .values("agent_id", "day")
        .annotate(
            replies=Count("pk"),
            overall_sum=Sum("overall"),
            listening_sum=Sum("listening"),
            validation_sum=Sum("validation"),
            reflection_sum=Sum("reflection"),
            tone_sum=Sum("tone"),
            listening_present=present("listening"),
            validation_present=present("validation"),
            reflection_present=present("reflection"),
            challenging=Sum(Case(When(challenging=True, then=1), default=0)),
        )
    )
    return {
        (row.pop("agent_id"), row.pop("day")): {k: int(v) for k, v in row.items()} for row in rows
    }


def rollups() -> dict[tuple[int, object], dict[str, int]]:
    fields = [
        "replies",
        "overall_sum",
        "listening_sum",
        "validation_sum",
        "reflection_sum",
        "tone_sum",
        "listening_present",
        "validation_present",
        "reflection_present",
        "challenging",
    ]
    return {
        (r.agent_id, r.day): {f: getattr(r, f) for f in fields}
        for r in DailyRollup.objects.filter(version=VERSION)
    }


def test_it_keeps_daily_rollups_equal_to_a_direct_aggregate(
    settings, make_user, make_ticket, agent, queue, team
):
    # Berlin is ahead of UTC: 23:30 UTC belongs to the next local day.
    settings.TIME_ZONE = "Europe/Berlin"
    second = make_user(Role.AGENT, first_name="Sam")
    queue.agents.add(second)
    team.members.add(second)
    calm = make_ticket()
    hard = make_ticket(subject="Third time I write", body=ANGRY)
    assert hard.challenging
    base = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    bodies = [WARM, COLD, "Thanks for your patience. We fixed the export.", "I'm sorry."]
    plan = [
        # (author, ticket, UTC time)
        (agent, calm, base),
        (agent, hard, base + timedelta(hours=2)),
        (agent, calm, base + timedelta(hours=14, minutes=30)),  # 23:30 UTC: Berlin day 2
        (agent, hard, base + timedelta(days=1, hours=3)),
        (second, calm, base + timedelta(hours=1)),
        (second, hard, base + timedelta(days=1, hours=5)),
        (second, hard, base + timedelta(days=2, hours=5)),
        (second, calm, base + timedelta(days=2, hours=6)),
        (agent, hard, base + timedelta(days=2, hours=7)),
    ]
    for i, (author, on, at) in enumerate(plan):
        message = reply(on, author, bodies[i % len(bodies)], at=at)
        assert reply_score(message=message) is not None

    expected = direct_aggregate()
    assert rollups() == expected
    assert len(expected) == 6  # 2 agents x 3 days
    assert sum(v["replies"] for v in expected.values()) == len(plan)
    assert sum(v["challenging"] for v in expected.values()) == 5
    # The 23:30 UTC reply counts on the agent's local (Berlin) day, like the dashboard range.
    assert DailyRollup.objects.get(agent=agent, day="2026-03-03").replies == 2


# The outbox subscription ----------------------------------------------------------------


def test_it_scores_a_reply_once_when_the_outbox_delivers_it_twice(ticket, agent):
    message = reply(ticket, agent)
    event = replied_event(message)

    assert event_deliver(event.pk, HANDLER) is True
    assert event_deliver(event.pk, HANDLER) is False

    assert ReplyScore.objects.filter(message=message).count() == 1
    assert DailyRollup.objects.get(agent=agent).replies == 1
    assert EventDelivery.objects.filter(event=event, handler=HANDLER).count() == 1


def test_it_enqueues_scoring_on_the_scoring_queue_only_after_commit(
    django_capture_on_commit_callbacks, monkeypatch, ticket, agent
):
    calls = []
    monkeypatch.setattr(
        "tickets.tasks.outbox_deliver.apply_async",
        lambda args, queue: calls.append((tuple(args), queue)),
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = reply(ticket, agent)
    assert calls == []  # nothing before commit

    for callback in callbacks:
        callback()
    assert ((replied_event(message).pk, HANDLER), "scoring") in calls
    assert not ReplyScore.objects.exists()  # the worker scores it, not the request


def test_it_is_subscribed_to_agent_replies_only(ticket, agent):
    from tickets.outbox import handlers_for

    assert HANDLER in {h.name for h in handlers_for(EventKind.AGENT_REPLIED)}
    assert HANDLER not in {h.name for h in handlers_for(EventKind.NOTE_ADDED)}
    assert HANDLER not in {h.name for h in handlers_for(EventKind.CUSTOMER_REPLIED)}


def ticket_state(ticket: Ticket) -> dict[str, object]:
    return model_to_dict(Ticket.objects.get(pk=ticket.pk), exclude=["tags"])


def test_it_records_a_failure_when_the_analyzer_raises_and_leaves_the_ticket_alone(
    monkeypatch, ticket, agent
):
    message = reply(ticket, agent)
    before = ticket_state(ticket)

    def broken(*args, **kwargs):
        raise ValueError("cannot read this text")

    monkeypatch.setattr("empathy.services.analyze", broken)

    assert event_deliver(replied_event(message).pk, HANDLER) is True

    failure = ScoringFailure.objects.get(message=message)
    assert failure.version == VERSION
    assert "ValueError" in failure.error
    assert "cannot read this text" in failure.error
    assert not ReplyScore.objects.exists()
    assert not DailyRollup.objects.exists()
    assert ticket_state(ticket) == before
    # Delivered: the outbox will not retry a deterministic analyzer error forever.
    assert EventDelivery.objects.filter(event__message=message, handler=HANDLER).exists()
    # The ticket goes on: the agent can reply again.
    ticket_reply(ticket=ticket, author=agent, body="One more thing.")


def test_it_records_an_unexpected_analyzer_error_instead_of_retrying_it_forever(
    monkeypatch, ticket, agent
):
    message = reply(ticket, agent)

    def broken(*args, **kwargs):
        raise KeyError("lexicon entry")

    monkeypatch.setattr("empathy.services.analyze", broken)

    assert event_deliver(replied_event(message).pk, HANDLER) is True

    assert "KeyError" in ScoringFailure.objects.get(message=message).error
    assert EventDelivery.objects.filter(event__message=message, handler=HANDLER).exists()
    assert not ReplyScore.objects.exists()


def test_it_leaves_a_database_error_to_the_outbox_to_retry(monkeypatch, ticket, agent):
    """A database hiccup is not bad input: nothing is recorded, the delivery is still owed
    (the outbox task retries it with backoff, then the sweep), and the retry scores once."""
    from django.db import OperationalError

    from empathy import services
    from tickets.outbox import pending_deliveries

    message = reply(ticket, agent)
    event = replied_event(message)
    real_rollup_add = services._rollup_add

    def flaky(score):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_rollup_add", flaky)
    with pytest.raises(OperationalError):
        event_deliver(event.pk, HANDLER)

    assert not ReplyScore.objects.exists()
    assert not ScoringFailure.objects.exists()
    assert not EventDelivery.objects.filter(event=event, handler=HANDLER).exists()
    assert (event.pk, HANDLER) in pending_deliveries(older_than=timedelta(0))

    monkeypatch.setattr(services, "_rollup_add", real_rollup_add)
    assert event_deliver(event.pk, HANDLER) is True
    assert event_deliver(event.pk, HANDLER) is False
    assert ReplyScore.objects.filter(message=message).count() == 1
    assert DailyRollup.objects.get(agent=agent).replies == 1


def test_it_clears_the_failure_once_the_reply_scores(monkeypatch, ticket, agent):
    message = reply(ticket, agent)

    def broken(*args, **kwargs):
        raise ValueError("bad input")

    monkeypatch.setattr("empathy.services.analyze", broken)
    event_deliver(replied_event(message).pk, HANDLER)
    assert ScoringFailure.objects.filter(message=message).exists()
    monkeypatch.undo()

    assert reply_score(message=message) is not None
    assert not ScoringFailure.objects.exists()


# Reviews ---------------------------------------------------------------------------------


@pytest.fixture
def score(ticket, agent) -> ReplyScore:
    result = reply_score(message=reply(ticket, agent, COLD))
    assert result is not None
    return result


LEVELS = {"listening": 0, "validation": 1, "reflection": 2, "tone": None}


def test_it_saves_a_review_with_levels_feedback_and_exemplary(score, manager):
    review = review_save(
        score=score,
        reviewer=manager,
        levels=LEVELS,
        feedback="  Name the feeling.  ",
        exemplary=True,
    )

    review.refresh_from_db()
    assert (review.listening, review.validation, review.reflection, review.tone) == (0, 1, 2, None)
    assert review.feedback == "Name the feeling."
    assert review.exemplary is True


@pytest.mark.parametrize("level", [3, -1, 7])
def test_it_rejects_a_level_outside_0_to_2(score, manager, level):
    with pytest.raises(TicketError):
        review_save(
            score=score,
            reviewer=manager,
            levels={**LEVELS, "validation": level},
            feedback="",
            exemplary=False,
        )
    assert not Review.objects.exists()


def test_it_rejects_an_unknown_component(score, manager):
    with pytest.raises(TicketError):
        review_save(
            score=score, reviewer=manager, levels={"empathy": 1}, feedback="", exemplary=False
        )
    assert not Review.objects.exists()


def test_it_updates_the_managers_existing_review(score, manager):
    first = review_save(score=score, reviewer=manager, levels=LEVELS, feedback="v1", exemplary=True)

    second = review_save(
        score=score,
        reviewer=manager,
        levels={**LEVELS, "listening": 2},
        feedback="v2",
        exemplary=False,
    )

    assert second.pk == first.pk
    assert Review.objects.count() == 1
    stored = Review.objects.get()
    assert (stored.listening, stored.feedback, stored.exemplary) == (2, "v2", False)


def test_it_lets_the_replys_agent_acknowledge_with_a_reply(score, manager, agent):
    review = review_save(
        score=score, reviewer=manager, levels={}, feedback="Warmer.", exemplary=False
    )

    review_acknowledge(review=review, agent=agent, reply="  Thanks, will do.  ")

    review.refresh_from_db()
    assert review.acknowledged_at is not None
    assert review.agent_reply == "Thanks, will do."


def test_it_asks_for_a_new_acknowledgement_when_the_feedback_changes(score, manager, agent):
    review = review_save(score=score, reviewer=manager, levels={}, feedback="v1", exemplary=False)
    review_acknowledge(review=review, agent=agent, reply="Got it.")

    review_save(score=score, reviewer=manager, levels={"tone": 2}, feedback="v1", exemplary=True)
    review.refresh_from_db()
    assert review.acknowledged_at is not None  # same words: still read

    review_save(score=score, reviewer=manager, levels={}, feedback="v2, more", exemplary=True)
    review.refresh_from_db()
    assert review.acknowledged_at is None  # the agent has not read these words yet


def test_it_refuses_an_acknowledgement_from_anyone_else(score, manager, other_agent):
    review = review_save(
        score=score, reviewer=manager, levels={}, feedback="Warmer.", exemplary=False
    )

    with pytest.raises(TicketError):
        review_acknowledge(review=review, agent=other_agent, reply="Not mine")
    with pytest.raises(TicketError):
        review_acknowledge(review=review, agent=manager, reply="")

    review.refresh_from_db()
    assert review.acknowledged_at is None
    assert review.agent_reply == ""
