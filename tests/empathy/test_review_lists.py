"""The dashboard's review lists (lowest scores, random sample, low CSAT), the per-reply
scatter and the team filter: what each returns, now that each reads only what its page
shows (the per-agent lowest, the drawn ids, the low ratings, the newest surveys)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team, User
from empathy.analyzer import VERSION
from empathy.models import ReplyScore
from empathy.selectors import (
    agents_managed_by,
    low_csat_scores,
    lowest_scores,
    random_sample,
    shown_team,
)
from surveys.models import Reason, Survey
from surveys.selectors import empathy_vs_csat
from tests.empathy.test_dashboard_csat import survey
from tickets.models import Channel, Message, MessageKind, Ticket

pytestmark = pytest.mark.django_db


def score(
    ticket: Ticket,
    agent: User,
    overall: int,
    *,
    days_ago: int = 0,
    opportunity: str = "normal",
    version: str = VERSION,
) -> ReplyScore:
    """A stored score with a chosen overall; rows written directly (the analyzer is not
    under test here)."""
    replied_at = timezone.now() - timedelta(days=days_ago)
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.REPLY,
        author=agent,
        body=f"Reply scored {overall}",
        channel=Channel.WEB,
        created_at=replied_at,
    )
    return ReplyScore.objects.create(
        message=message,
        version=version,
        agent=agent,
        ticket=ticket,
        replied_at=replied_at,
        overall=overall,
        listening=1,
        validation=1,
        reflection=1,
        tone=1,
        opportunity=opportunity,
    )


def period(days: int = 30) -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=days), today


@pytest.fixture
def teammate(make_user, queue, team) -> User:
    user = make_user(Role.AGENT, first_name="Tess")
    queue.agents.add(user)
    team.members.add(user)
    return user


@pytest.fixture
def other_ticket(make_ticket, other_queue, other_customer) -> Ticket:
    return make_ticket(queue=other_queue, requester=other_customer, subject="Billing question")


# Lowest scores ---------------------------------------------------------------------------


def test_the_lowest_scores_are_the_teams_lowest_even_when_one_agent_holds_them_all(
    manager, agent, teammate, ticket
):
    # The agent holds the 4 lowest; each agent's own lowest are drawn before the merge,
    # so a merge of "a few per agent" would wrongly bring the teammate's in.
    mine = [score(ticket, agent, overall) for overall in (5, 10, 15, 20, 60)]
    theirs = [score(ticket, teammate, overall) for overall in (30, 40)]
    start, end = period()

    lowest = lowest_scores(
        agents=agents_managed_by(manager), start=start, end=end, limit=4, viewer=manager
    )

    assert [s.pk for s in lowest] == [s.pk for s in mine[:4]]
    assert not {s.pk for s in theirs} & {s.pk for s in lowest}


def test_the_lowest_scores_equal_a_direct_sort_of_the_eligible_replies(
    manager, agent, teammate, ticket, other_agent, other_ticket
):
    eligible = [
        score(ticket, agent, 50),
        score(ticket, teammate, 20, days_ago=3),
        score(ticket, teammate, 20, days_ago=1),  # same score: the more recent first
        score(ticket, agent, 35, opportunity="high"),
        score(ticket, agent, 90),
    ]
    score(ticket, agent, 1, opportunity="low")  # nothing called for empathy
    score(ticket, agent, 2, days_ago=45)  # before the period
    score(ticket, agent, 3, version="2000.1.1")  # an older analyzer
    score(other_ticket, other_agent, 4)  # another team's agent
    start, end = period()

    lowest = lowest_scores(agents=agents_managed_by(manager), start=start, end=end, viewer=manager)

    expected = sorted(eligible, key=lambda s: (s.overall, -s.replied_at.timestamp()))
    assert [s.pk for s in lowest] == [s.pk for s in expected]
    # Read with its context in the same query: the customer message it answered.
    assert lowest[-1].customer_body == ticket.messages.get(kind=MessageKind.CUSTOMER).body


def test_the_lowest_scores_leave_out_replies_the_viewer_may_not_open(
    manager, agent, ticket, other_ticket
):
    visible = score(ticket, agent, 40)
    score(other_ticket, agent, 10)  # on a queue the manager does not see
    start, end = period()

    lowest = lowest_scores(agents=agents_managed_by(manager), start=start, end=end, viewer=manager)

    assert [s.pk for s in lowest] == [visible.pk]


# Random sample ---------------------------------------------------------------------------


def test_the_random_sample_draws_distinct_replies_of_the_last_week_only(
    manager, agent, teammate, ticket
):
    this_week = {score(ticket, [agent, teammate][i % 2], 50 + i).pk for i in range(8)}
    score(ticket, agent, 10, days_ago=9)
    today = timezone.localdate()

    drawn = random_sample(agents=agents_managed_by(manager), end=today, size=5, viewer=manager)

    assert len({s.pk for s in drawn}) == 5
    assert {s.pk for s in drawn} <= this_week


def test_the_random_sample_is_the_whole_week_when_it_is_small(manager, agent, ticket):
    week = {score(ticket, agent, 50).pk, score(ticket, agent, 70, days_ago=6).pk}

    drawn = random_sample(agents=agents_managed_by(manager), end=timezone.localdate())

    assert {s.pk for s in drawn} == week


def test_the_random_sample_draws_only_replies_the_viewer_may_open(
    manager, agent, ticket, other_ticket
):
    # Most of the week is on a queue the manager does not see: the draw must still find
    # the visible ones, and only those.
    for i in range(12):
        score(other_ticket, agent, 40 + i)
    visible = {score(ticket, agent, 60).pk, score(ticket, agent, 70, days_ago=2).pk}

    drawn = random_sample(
        agents=agents_managed_by(manager), end=timezone.localdate(), size=5, viewer=manager
    )

    assert {s.pk for s in drawn} == visible


# Low CSAT --------------------------------------------------------------------------------


def test_low_csat_lists_replies_on_tickets_rated_low_for_the_agent(manager, agent, make_ticket):
    rated_low, rated_high, blamed_product, blamed_policy_too = (make_ticket() for _ in range(4))
    listed = [score(rated_low, agent, 40), score(rated_low, agent, 20)]
    score(rated_high, agent, 10)
    score(blamed_product, agent, 10)
    score(blamed_policy_too, agent, 10)
    survey(rated_low, [agent], rating=1)
    survey(rated_high, [agent], rating=5)
    Survey.objects.filter(pk=survey(blamed_product, [agent], rating=2).pk).update(
        reason=Reason.PRODUCT
    )
    # One low rating without a reason, another survey of the ticket blaming a policy.
    survey(blamed_policy_too, [agent], rating=1)
    Survey.objects.filter(pk=survey(blamed_policy_too, [agent], rating=2).pk).update(
        reason=Reason.POLICY
    )
    start, end = period()

    low = low_csat_scores(agents=agents_managed_by(manager), start=start, end=end, viewer=manager)

    assert [s.pk for s in low] == [listed[1].pk, listed[0].pk]  # lowest score first


def test_low_csat_counts_only_ratings_answered_since_the_period_began(manager, agent, make_ticket):
    ticket = make_ticket()
    score(ticket, agent, 30)
    old = survey(ticket, [agent], rating=1)
    Survey.objects.filter(pk=old.pk).update(answered_at=timezone.now() - timedelta(days=40))
    start, end = period()
    agents = agents_managed_by(manager)

    assert low_csat_scores(agents=agents, start=start, end=end, viewer=manager) == []

    Survey.objects.filter(pk=old.pk).update(answered_at=timezone.now())

    assert len(low_csat_scores(agents=agents, start=start, end=end, viewer=manager)) == 1


def test_low_csat_keeps_the_lowest_scored_replies_when_more_qualify_than_it_shows(
    manager, agent, teammate, make_ticket
):
    tickets = [make_ticket() for _ in range(3)]
    replies = [
        score(tickets[0], agent, 60),
        score(tickets[0], teammate, 15, days_ago=2),
        score(tickets[1], agent, 15),  # same score, more recent: first
        score(tickets[1], teammate, 80),
        score(tickets[2], agent, 30, days_ago=5),
    ]
    for t in tickets:
        survey(t, [agent, teammate], rating=2)
    start, end = period()

    low = low_csat_scores(
        agents=agents_managed_by(manager), start=start, end=end, limit=3, viewer=manager
    )

    expected = sorted(replies, key=lambda s: (s.overall, -s.replied_at.timestamp()))[:3]
    assert [s.pk for s in low] == [s.pk for s in expected]
    # Each is read with its context in the same query: the customer message it answered.
    assert low[0].customer_body == tickets[1].messages.get(kind=MessageKind.CUSTOMER).body


def test_low_csat_leaves_out_replies_the_viewer_may_not_open(
    manager, agent, make_ticket, other_ticket
):
    # The lowest candidates are on a queue the manager does not see: the list goes on to
    # the visible ones rather than stopping short.
    for overall in (5, 6, 7):
        score(other_ticket, agent, overall)
    survey(other_ticket, [agent], rating=1)
    ticket = make_ticket()
    visible = score(ticket, agent, 50)
    survey(ticket, [agent], rating=2)
    start, end = period()

    low = low_csat_scores(
        agents=agents_managed_by(manager), start=start, end=end, limit=2, viewer=manager
    )

    assert [s.pk for s in low] == [visible.pk]


# Per-reply scatter -----------------------------------------------------------------------


def test_the_scatter_takes_the_newest_surveys_that_have_scored_replies(agent, make_ticket):
    tickets = [make_ticket() for _ in range(4)]
    for t, overall in zip(tickets[:3], (30, 60, 90), strict=True):
        score(t, agent, overall)
        score(t, agent, overall + 10)  # the point is the average of the ticket's replies
    answered = [survey(t, [agent], rating=r) for t, r in zip(tickets, (2, 3, 5, 4), strict=True)]
    for minutes, s in enumerate(reversed(answered)):  # the first answered last
        Survey.objects.filter(pk=s.pk).update(
            answered_at=timezone.now() - timedelta(minutes=minutes)
        )

    relation = empathy_vs_csat(Survey.objects.all(), limit=2)

    # The newest survey (tickets[3]) has no scored reply: it neither appears nor takes a place.
    assert relation.points == [(95.0, 5), (65.0, 3)]


# Team filter -----------------------------------------------------------------------------


def test_the_team_shown_is_one_of_the_managers_teams_or_all_of_them(team, other_team):
    mine = [team]

    assert shown_team(mine, team.slug) == team.slug
    assert shown_team(mine, other_team.slug) == ""  # not theirs: all of their own
    assert shown_team(mine, "no-such-team") == ""
    assert shown_team(mine, "") == ""
    assert shown_team([], team.slug) == ""


def test_the_dashboard_and_its_api_show_the_same_team(client_for, manager, team, other_team):
    Team.objects.get(pk=other_team.pk).managers.add(manager)
    client = client_for(manager)

    page = client.get(reverse("empathy:dashboard"), {"team": other_team.slug})
    api = client.get(reverse("api-v1:empathy-dashboard"), {"team": other_team.slug})

    assert page.context["team"] == other_team.slug
    assert api.json()["team"] == other_team.slug
