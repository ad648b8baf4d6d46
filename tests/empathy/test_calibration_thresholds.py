"""Calibrating the analyzer's level thresholds to a team's reviews, and presenting them."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from empathy.analyzer import VERSION, analyze
from empathy.calibration import (
    DEFAULT_THRESHOLDS,
    MIN_GAIN,
    MIN_REVIEWS,
    Sample,
    Thresholds,
    calibrate_component,
    calibrate_result,
    calibrated_level,
    calibrated_levels,
    evidence,
)
from empathy.models import Calibration, DailyRollup, ReplyScore, Review
from empathy.rollups import COMPONENTS, levels_add
from tests.empathy.test_views import MINE_QUERIES
from tickets.models import Channel, Message, MessageKind, Ticket

DASHBOARD = reverse("empathy:dashboard")
MINE = reverse("empathy:mine")

# The analyzer's (level, confidence) pairs as its rules produce them (docs/empathy.md).
OUTPUTS = [(0, 0.8), (0, 0.6)] + [
    (level, c) for level in (1, 2) for c in (0.45, 0.6, 0.7, 0.8, 0.9)
]


def strict(level: int, confidence: float) -> int:
    """A team stricter than the analyzer: "strong" needs corroboration, "weak" more than
    boilerplate."""
    if level == 2:
        return 2 if confidence >= 0.8 else 1
    if level == 1:
        return 1 if confidence >= 0.7 else 0
    return 0


def stricter_reviews(n: int) -> list[Sample]:
    """n reviews of the OUTPUTS in turn; every 13th manager disagrees by one level, as
    real reviewers sometimes do."""
    samples = []
    for i in range(n):
        level, confidence = OUTPUTS[i % len(OUTPUTS)]
        manager = strict(level, confidence)
        if i % 13 == 12:
            manager = 1 if manager != 1 else 2
        samples.append(Sample(manager=manager, level=level, confidence=confidence))
    return samples


# Pure functions ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 1, 2])
@pytest.mark.parametrize("confidence", [0.0, 0.45, 0.6, 0.8, 0.95, 1.0])
def test_the_default_thresholds_give_back_the_analyzers_level(level: int, confidence: float):
    assert DEFAULT_THRESHOLDS.level(evidence(level, confidence)) == level
    assert calibrated_level(level, confidence, None) == level


def test_evidence_orders_sure_absence_below_doubtful_absence_below_presence():
    assert evidence(0, 0.8) < evidence(0, 0.6) < evidence(1, 0.45) < evidence(1, 0.9)
    assert evidence(1, 0.9) < evidence(2, 0.45) < evidence(2, 0.9)


def test_calibration_agrees_better_with_systematically_stricter_managers():
    samples = stricter_reviews(60)

    result = calibrate_component(samples)

    assert result.applied
    assert result.n == 60
    assert result.kappa_before is not None
    assert result.kappa_after is not None
    # Held-out agreement, not the fit's own: it still has to beat the analyzer by MIN_GAIN.
    assert result.kappa_after >= result.kappa_before + MIN_GAIN
    # Stricter managers move both cuts up, between the confidences they distinguish.
    assert 1.6 < result.thresholds.weak < 1.7
    assert 2.7 < result.thresholds.strong < 2.8
    assert calibrated_level(2, 0.6, result.thresholds) == 1
    assert calibrated_level(2, 0.9, result.thresholds) == 2
    assert calibrated_level(1, 0.45, result.thresholds) == 0


def test_calibration_refuses_with_too_few_reviews():
    result = calibrate_component(stricter_reviews(MIN_REVIEWS - 1))

    assert not result.applied
    assert result.thresholds == DEFAULT_THRESHOLDS
    assert result.kappa_after is None
    assert result.reason.startswith(f"Only {MIN_REVIEWS - 1} reviews (at least {MIN_REVIEWS}")


def test_calibration_keeps_the_defaults_when_managers_already_agree():
    samples = [Sample(manager=lv, level=lv, confidence=c) for lv, c in OUTPUTS * 4]

    result = calibrate_component(samples)

    assert not result.applied
    assert result.thresholds == DEFAULT_THRESHOLDS
    assert result.kappa_before == 1.0
    assert "stay" in result.reason


def test_thresholds_apply_per_component_and_leave_the_others_alone():
    levels = {"listening": 2, "validation": 2, "reflection": 1, "tone": 1}
    confidence = {"listening": 0.6, "validation": 0.6, "reflection": 0.45, "tone": 0.55}

    presented = calibrated_levels(levels, confidence, {"validation": Thresholds(1.0, 2.75)})

    assert presented == {"listening": 2, "validation": 1, "reflection": 1, "tone": 1}


def test_the_coaching_result_takes_the_teams_levels_and_keeps_the_rest():
    result = analyze(
        "I'm sorry for the inconvenience. We fixed the export.", "The export is broken!"
    )
    assert result.validation.level == 1  # boilerplate apology, confidence 0.45

    calibrated = calibrate_result(result, {"validation": Thresholds(1.5, 2.5)})

    assert calibrated.validation.level == 0
    assert calibrated.validation.confidence == result.validation.confidence
    assert (calibrated.overall, calibrated.spans) == (result.overall, result.spans)
    assert calibrate_result(result, {}) == result


# Through the dashboard -----------------------------------------------------------------------


def reviewed_history(ticket: Ticket, agent: User, reviewer: User, samples: Sequence[Sample]):
    """Stored scores whose validation is each sample's analyzer output, reviewed by
    `reviewer` with the sample's manager level, and their rollup; rows written directly."""
    now = timezone.now()
    levels: dict[str, dict[str, int]] = {}
    for sample in samples:
        message = Message.objects.create(
            ticket=ticket,
            kind=MessageKind.REPLY,
            author=agent,
            body="Reply.",
            channel=Channel.WEB,
            created_at=now,
        )
        score = ReplyScore.objects.create(
            message=message,
            version=VERSION,
            agent=agent,
            ticket=ticket,
            replied_at=now,
            overall=60,
            listening=1,
            validation=sample.level,
            reflection=0,
            tone=1,
            confidence={"listening": 0.7, "validation": sample.confidence, "reflection": 0.8},
            opportunity="normal",
        )
        Review.objects.create(score=score, reviewer=reviewer, validation=sample.manager)
        levels = levels_add(levels, {c: getattr(score, c) for c in COMPONENTS}, score.confidence)
    DailyRollup.objects.create(
        levels=levels,
        agent=agent,
        day=timezone.localdate(now),
        version=VERSION,
        replies=len(samples),
        overall_sum=60 * len(samples),
        listening_sum=len(samples),
        validation_sum=sum(s.level for s in samples),
        tone_sum=len(samples),
        listening_present=len(samples),
        validation_present=sum(1 for s in samples if s.level > 0),
    )


def calibrate_url(team) -> str:
    return reverse("empathy:calibrate", args=[team.pk])


@pytest.fixture
def stricter_team(ticket, agent, manager):
    samples = stricter_reviews(60)
    reviewed_history(ticket, agent, manager, samples)
    return samples


@pytest.mark.django_db
def test_a_manager_calibrates_their_team_and_sees_the_calibrated_levels(
    client_for, manager, agent, team, stricter_team
):
    raw = list(ReplyScore.objects.order_by("pk").values_list("validation", "confidence"))
    client = client_for(manager)

    response = client.post(calibrate_url(team), {"action": "calibrate"})

    assert response.status_code == 302
    assert response["Location"] == f"{DASHBOARD}?team={team.slug}#calibration"
    calibration = Calibration.objects.get()
    assert (calibration.team, calibration.created_by, calibration.version) == (
        team,
        manager,
        VERSION,
    )
    assert set(calibration.thresholds) == {"validation"}
    report = calibration.report["validation"]
    assert report["n"] == 60
    assert report["applied"]
    assert report["kappa_after"] >= report["kappa_before"] + MIN_GAIN
    assert calibration.report["listening"]["reason"].startswith("Only 0 reviews")
    # The stored scores are untouched: calibrating again, or resetting, stays possible.
    assert list(ReplyScore.objects.order_by("pk").values_list("validation", "confidence")) == raw

    page = client.get(DASHBOARD, {"team": team.slug})

    thresholds = Thresholds(**calibration.thresholds["validation"])
    expected = sum(calibrated_level(s.level, s.confidence, thresholds) for s in stricter_team)
    (summary,) = page.context["summaries"]
    assert summary.validation == round(expected / 60, 2)
    assert summary.validation < round(sum(s.level for s in stricter_team) / 60, 2)
    assert summary.listening == 1.0  # no thresholds for listening: the analyzer's levels
    present = sum(1 for s in stricter_team if calibrated_level(s.level, s.confidence, thresholds))
    (week,) = page.context["trend"]
    assert week.validation_share == round(present / 60, 2)
    assert week.listening_share == 1.0
    assert "calibrated thresholds" in page.content.decode()


@pytest.mark.django_db
def test_a_reset_brings_back_the_analyzers_levels(client_for, manager, agent, team, stricter_team):
    client = client_for(manager)
    client.post(calibrate_url(team), {"action": "calibrate"})

    response = client.post(calibrate_url(team), {"action": "reset"})

    assert response.status_code == 302
    latest = Calibration.objects.order_by("-created_at", "-pk").first()
    assert latest is not None
    assert latest.thresholds == {}
    assert Calibration.objects.count() == 2  # the history is kept
    (summary,) = client.get(DASHBOARD, {"team": team.slug}).context["summaries"]
    assert summary.validation == round(sum(s.level for s in stricter_team) / 60, 2)


@pytest.mark.django_db
def test_a_team_with_too_few_reviews_keeps_the_analyzers_thresholds(
    client_for, manager, agent, team, ticket
):
    reviewed_history(ticket, agent, manager, stricter_reviews(10))

    client_for(manager).post(calibrate_url(team), {"action": "calibrate"})

    calibration = Calibration.objects.get()
    assert calibration.thresholds == {}
    assert calibration.report["validation"]["reason"].startswith("Only 10 reviews")
    assert calibration.kappa_after is None


@pytest.mark.django_db
def test_the_review_page_and_my_empathy_use_the_teams_calibration(
    client_for, manager, agent, team, stricter_team, django_assert_num_queries
):
    client_for(manager).post(calibrate_url(team), {"action": "calibrate"})
    doubtful = ReplyScore.objects.filter(validation=2, confidence__validation=0.6).first()
    assert doubtful is not None

    review = client_for(manager).get(reverse("empathy:review", args=[doubtful.pk]))

    assert review.context["calibrated_levels"]["validation"] == 1
    assert "On the team's calibrated thresholds" in review.content.decode()
    client = client_for(agent)
    # The calibration in force, then the scores recounted on its thresholds.
    with django_assert_num_queries(MINE_QUERIES + 1):
        mine = client.get(MINE)
    assert mine.context["calibrated"]
    assert mine.context["summary"].validation < round(sum(s.level for s in stricter_team) / 60, 2)


@pytest.mark.django_db
def test_only_the_teams_manager_may_calibrate_it(
    client, client_for, agent, other_team, team, make_user, manager
):
    other_manager = make_user(Role.MANAGER)
    other_team.managers.add(other_manager)

    assert client_for(agent).post(calibrate_url(team)).status_code == 403
    assert client_for(other_manager).post(calibrate_url(team)).status_code == 404
    assert client_for(manager).post(calibrate_url(other_team)).status_code == 404
    assert client_for(manager).get(calibrate_url(team)).status_code == 405
    anonymous = client.post(calibrate_url(team))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert not Calibration.objects.exists()


@pytest.mark.django_db
def test_calibrating_needs_the_csrf_token(manager, team):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    assert client.post(calibrate_url(team), {"action": "calibrate"}).status_code == 403
    assert not Calibration.objects.exists()


@pytest.mark.django_db
def test_a_weeks_calibrated_tone_is_the_average_of_its_calibrated_levels(agent, ticket):
    from empathy.selectors import agent_summaries, weekly_trend
    from empathy.services import reply_score
    from empathy.team_calibration import calibrated_figures
    from tickets.services import ticket_reply

    for body in ("Calm down, read the manual.", "Thanks so much, happy to help!", "Done."):
        reply_score(message=ticket_reply(ticket=ticket, author=agent, body=body))
    agents = User.objects.filter(pk=agent.pk)
    today = timezone.localdate()
    # Strict enough that some replies drop a level: the week's tone must follow.
    strict = {"tone": Thresholds(weak=1.999, strong=2.999)}
    figures = calibrated_figures(
        agents=agents,
        start=today,
        end=today,
        thresholds=strict,
        summaries=agent_summaries(agents=agents, start=today, end=today),
        trend=weekly_trend(agents=agents, start=today, end=today),
    )

    expected = [
        calibrated_level(s.tone, s.confidence["tone"], strict["tone"])
        for s in ReplyScore.objects.all()
    ]
    ((week,), (summary,)) = figures.trend, figures.summaries
    assert week.tone == summary.tone == round(sum(expected) / 3, 2)
    assert week.tone != round(sum(ReplyScore.objects.values_list("tone", flat=True)) / 3, 2)
