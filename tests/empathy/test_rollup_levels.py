"""The rollups' level histograms match a direct aggregate of the stored scores, whether the
scoring service kept them reply by reply or the migration's SQL rebuilt them."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from empathy.analyzer import VERSION
from empathy.models import DailyRollup, ReplyScore
from empathy.rollups import COMPONENTS, LEVELS_FROM_SCORES_SQL, level_key, parse_key
from empathy.services import reply_score
from tickets.models import Channel, Message, MessageKind, Ticket

pytestmark = pytest.mark.django_db

REPLIES = [
    "We fixed the export.",
    "I understand how frustrating this must be. We fixed the export.",
    "So if I understand correctly, the export stops at 40% since Monday? I'm sorry.",
    "Read the manual.",
    "That sounds really stressful, especially with your deadline. I've restarted the job.",
]


def scored_history(ticket: Ticket, agents: list[User]) -> None:
    """Replies of two agents over three days, scored by the service."""
    now = timezone.now()
    for i in range(15):
        message = Message.objects.create(
            ticket=ticket,
            kind=MessageKind.REPLY,
            author=agents[i % 2],
            body=REPLIES[i % len(REPLIES)],
            channel=Channel.WEB,
            created_at=now - timedelta(days=i % 3),
        )
        assert reply_score(message=message) is not None


def histogram(levels: dict[str, dict[str, int]]) -> Counter[tuple[str, int, float]]:
    return Counter(
        {(name, *parse_key(key)): n for name, counts in levels.items() for key, n in counts.items()}
    )


def direct_aggregate() -> dict[tuple[int, object], Counter[tuple[str, int, float]]]:
    """Per (agent, local day): the scores counted per component, level and confidence."""
    result: dict[tuple[int, object], Counter[tuple[str, int, float]]] = {}
    for score in ReplyScore.objects.filter(version=VERSION):
        counts = result.setdefault(
            (score.agent_id, timezone.localdate(score.replied_at)), Counter()
        )
        for name in COMPONENTS:
            counts[(name, getattr(score, name), float(score.confidence[name]))] += 1
    return result


def rollup_histograms() -> dict[tuple[int, object], Counter[tuple[str, int, float]]]:
    return {
        (r.agent_id, r.day): histogram(r.levels)
        for r in DailyRollup.objects.filter(version=VERSION)
    }


def test_the_scoring_service_keeps_each_days_histogram_equal_to_its_scores(
    agent, other_agent, ticket
):
    scored_history(ticket, [agent, other_agent])

    expected = direct_aggregate()
    assert len(expected) == 6  # two agents, three days
    assert rollup_histograms() == expected
    for rollup in DailyRollup.objects.all():
        for name in COMPONENTS:  # every reply counted once per component
            assert sum(rollup.levels[name].values()) == rollup.replies


def test_the_migrations_sql_rebuilds_the_same_histograms_from_the_scores(
    agent, other_agent, ticket
):
    scored_history(ticket, [agent, other_agent])
    kept = {(r.agent_id, r.day): r.levels for r in DailyRollup.objects.all()}
    DailyRollup.objects.update(levels={})

    with connection.cursor() as cursor:
        cursor.execute(LEVELS_FROM_SCORES_SQL, {"tz": settings.TIME_ZONE})

    assert rollup_histograms() == direct_aggregate()
    # Same keys as the service writes, not only the same values.
    assert {(r.agent_id, r.day): r.levels for r in DailyRollup.objects.all()} == kept


def test_a_key_reads_back_as_the_level_and_confidence_it_was_made_of() -> None:
    assert level_key(1, 0.85) == "1:0.85"
    assert level_key(2, 1.0) == "2:1"
    assert parse_key(level_key(0, 0.6)) == (0, 0.6)
