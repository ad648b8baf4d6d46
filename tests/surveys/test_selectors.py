"""Report selectors on known data: CSAT = 4-5 / all ratings, response rate = answered / sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from empathy.analyzer import VERSION
from empathy.models import ReplyScore
from surveys import selectors
from surveys.models import Reason, Survey
from tickets.models import Ticket
from tickets.services import ticket_reply

pytestmark = pytest.mark.django_db


def rows(result: list[selectors.CsatRow]) -> dict[str, tuple[object, ...]]:
    return {
        r.label: (r.sent, r.answered, r.satisfied, r.csat, r.response_rate, r.understood_avg)
        for r in result
    }


def all_surveys() -> selectors.QuerySet[Survey]:
    return Survey.objects.filter(state=Survey.State.SENT)


def test_it_computes_csat_response_rate_and_felt_understood_overall(make_survey, agent):
    for rating, understood in [(5, 5), (4, None), (3, 2), (2, 1), (1, None)]:
        make_survey(agents=[agent], rating=rating, understood=understood)
    for _ in range(3):
        make_survey(agents=[agent])  # sent, unanswered

    row = selectors.overall(all_surveys())

    assert (row.sent, row.answered, row.satisfied) == (8, 5, 2)
    assert row.csat == 40.0  # 2 of 5 ratings are 4 or 5; unanswered ones do not count
    assert row.response_rate == 62.5  # 5 answered of 8 sent
    assert row.understood_avg == pytest.approx(2.67, abs=0.005)
    assert row.rating_avg == 3.0


def test_it_reports_nothing_rather_than_zero_without_data(db):
    row = selectors.overall(Survey.objects.all())

    assert (row.sent, row.csat, row.response_rate, row.understood_avg) == (0, None, None, None)


def test_it_credits_a_survey_to_every_agent_who_replied(make_survey, agent, make_user, queue):
    blake = make_user(Role.AGENT, first_name="Blake", last_name="Stone")
    queue.agents.add(blake)
    make_survey(agents=[agent, blake], rating=5)
    make_survey(agents=[agent], rating=1)
    make_survey(agents=[blake])
    make_survey(agents=[], rating=2)  # nobody replied publicly: no agent row

    result = rows(selectors.by_agent(all_surveys()))

    assert result == {
        agent.get_full_name(): (2, 2, 1, 50.0, 100.0, None),
        "Blake Stone": (2, 1, 1, 100.0, 50.0, None),
    }
    assert selectors.overall(all_surveys()).sent == 4  # counted once overall


def test_it_groups_by_queue_and_team(
    make_survey, agent, other_agent, queue, other_queue, other_customer, make_ticket
):
    extra_queue = type(queue).objects.create(slug="extra", name="Extra", team=queue.team)
    make_survey(agents=[agent], rating=5, queue=queue)
    make_survey(agents=[agent], rating=2, queue=extra_queue)
    make_survey(agents=[agent], queue=extra_queue)
    make_survey(agents=[other_agent], rating=4, queue=other_queue, requester=other_customer)

    assert rows(selectors.by_queue(all_surveys())) == {
        "Billing": (1, 1, 1, 100.0, 100.0, None),
        "Extra": (2, 1, 0, 0.0, 50.0, None),
        "General": (1, 1, 1, 100.0, 100.0, None),
    }
    assert rows(selectors.by_team(all_surveys())) == {
        "Support X": (3, 2, 1, 50.0, 66.7, None),
        "Support Y": (1, 1, 1, 100.0, 100.0, None),
    }


def test_it_groups_by_week_starting_monday(make_survey, agent):
    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    make_survey(agents=[agent], rating=5, sent_at=monday)
    make_survey(agents=[agent], rating=1, sent_at=monday + timedelta(days=6, hours=14))  # Sun
    make_survey(agents=[agent], sent_at=monday + timedelta(days=7))

    assert rows(selectors.by_week(all_surveys())) == {
        "2026-11-02": (2, 2, 1, 50.0, 100.0, None),
        "2026-11-09": (1, 0, 0, None, 0.0, None),
    }


def test_it_counts_only_surveys_sent_in_the_period(make_survey, agent):
    inside = make_survey(agents=[agent], rating=5, sent_at=datetime(2026, 3, 10, tzinfo=UTC))
    make_survey(agents=[agent], rating=1, sent_at=datetime(2026, 2, 28, 23, 59, tzinfo=UTC))
    make_survey(agents=[agent], rating=1, sent_at=datetime(2026, 4, 1, tzinfo=UTC))
    last_day = make_survey(agents=[agent], sent_at=datetime(2026, 3, 31, 23, 59, tzinfo=UTC))
    for state in (Survey.State.SCHEDULED, Survey.State.SKIPPED, Survey.State.CANCELLED):
        make_survey(agents=[agent], state=state, sent_at=datetime(2026, 3, 10, tzinfo=UTC))

    period = selectors.in_period(Survey.objects.all(), date(2026, 3, 1), date(2026, 3, 31))

    assert set(period) == {inside, last_day}


def test_it_breaks_down_the_reasons_for_low_ratings(make_survey, agent):
    for rating, reason in [
        (1, Reason.AGENT),
        (2, Reason.AGENT),
        (1, Reason.TIME),
        (2, ""),
        (4, Reason.POLICY),  # a reason beside a good rating explains nothing
    ]:
        make_survey(agents=[agent], rating=rating, reason=reason)

    assert selectors.reasons(all_surveys()) == [
        ("How the agent handled it", 2),
        ("The product itself", 0),
        ("A policy", 0),
        ("The time it took", 1),
    ]


def test_it_shows_each_user_only_the_surveys_of_queues_they_may_see(
    make_survey, agent, other_agent, manager, admin_user, other_queue, other_customer, customer
):
    ours = make_survey(agents=[agent], rating=5)
    theirs = make_survey(
        agents=[other_agent], rating=1, queue=other_queue, requester=other_customer
    )

    assert set(selectors.surveys_visible_to(manager)) == {ours}
    assert set(selectors.surveys_visible_to(agent)) == {ours}
    assert set(selectors.surveys_visible_to(other_agent)) == {theirs}
    assert set(selectors.surveys_visible_to(admin_user)) == {ours, theirs}
    assert set(selectors.surveys_visible_to(customer.user)) == set()


# Empathy beside satisfaction --------------------------------------------------------


def score(ticket: Ticket, agent, overall: int, *, version: str = VERSION) -> ReplyScore:
    message = ticket_reply(ticket=ticket, author=agent, body=f"Reply scored {overall}.")
    return ReplyScore.objects.create(
        message=message,
        version=version,
        agent=agent,
        ticket=ticket,
        replied_at=message.created_at,
        overall=overall,
        listening=overall,
        validation=overall,
        reflection=overall,
        tone=overall,
        opportunity="none",
    )


def test_it_sets_empathy_beside_ratings_without_product_or_policy_complaints(
    make_survey, make_ticket, agent
):
    def survey_with_scores(scores: list[int], **answer: object) -> Survey:
        ticket = make_ticket()
        for overall in scores:
            score(ticket, agent, overall)
        return make_survey(ticket=ticket, agents=[agent], **answer)

    survey_with_scores([80, 90], rating=5, understood=5)  # average 85
    survey_with_scores([60], rating=4, understood=3)
    survey_with_scores([20], rating=1, reason=Reason.AGENT, understood=1)
    survey_with_scores([10], rating=2, reason=Reason.TIME)  # no "understood" answer
    survey_with_scores([90], rating=1, reason=Reason.PRODUCT, understood=1)
    survey_with_scores([95], rating=2, reason=Reason.POLICY, understood=1)
    survey_with_scores([], rating=3)  # no scored reply
    survey_with_scores([70])  # unanswered
    old = make_ticket()
    score(old, agent, 99, version="0-old")
    make_survey(ticket=old, agents=[agent], rating=3)  # only an outdated analyzer version

    relation = selectors.empathy_vs_csat(all_surveys())

    assert sorted(relation.points) == [(10.0, 2), (20.0, 1), (60.0, 4), (85.0, 5)]
    # x = 10,20,60,85 (mean 43.75), y = 2,1,4,5 (mean 3): Sxy = 180,
    # Sxx = 3668.75, Syy = 10, r = 180 / sqrt(36687.5) = 0.9398
    assert relation.correlation.n == 4
    assert relation.correlation.r == pytest.approx(0.940, abs=0.0005)
    # Felt understood: x = 20,60,85 y = 1,3,5: Sxy = 130, Sxx = 2150, Syy = 8, r = 0.9914
    assert relation.understood_correlation.n == 3
    assert relation.understood_correlation.r == pytest.approx(0.991, abs=0.0005)


def test_it_has_no_correlation_for_too_few_surveys(make_survey, make_ticket, agent):
    ticket = make_ticket()
    score(ticket, agent, 50)
    make_survey(ticket=ticket, agents=[agent], rating=5, sent_at=timezone.now())

    relation = selectors.empathy_vs_csat(all_surveys())

    assert relation.points == [(50.0, 5)]
    assert relation.correlation.r is None
    assert relation.correlation.strength == "not enough data"
