"""CSAT against empathy on the manager dashboard: per agent and per reply, read cautiously."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team, User
from empathy.analyzer import VERSION
from empathy.csat import (
    MIN_AGENTS,
    AgentCsat,
    agent_correlation,
    interval_95,
    spearman,
)
from empathy.models import Calibration, DailyRollup
from empathy.services import reply_score
from surveys.models import Survey, SurveyCredit
from surveys.stats import Correlation
from tests.empathy.test_views import DASHBOARD_QUERIES, DASHBOARD_QUERIES_CALIBRATED
from tickets.models import EventKind, Status, Ticket, TicketEvent
from tickets.services import ticket_reply

DASHBOARD = reverse("empathy:dashboard")


def row(empathy: float, surveys: int, satisfied: int, name: str = "A") -> AgentCsat:
    return AgentCsat(
        agent_id=0,
        name=name,
        empathy=empathy,
        surveys=surveys,
        satisfied=satisfied,
        understood=None,
    )


# Pure statistics -----------------------------------------------------------------------------


def test_it_correlates_agents_on_hand_computed_data() -> None:
    # Empathy 20..100 against CSAT 40, 80, 100, 80, 100 %: the same shape as x = 1..5,
    # y = 2, 4, 5, 4, 5, where Sxy = 6, Sxx = 10, Syy = 6, so r = 6 / sqrt(60) = 0.7746.
    rows = [row(20, 5, 2), row(40, 5, 4), row(60, 5, 5), row(80, 5, 4), row(100, 5, 5)]

    result = agent_correlation(rows)

    assert result.pearson == Correlation(0.775, 5)
    # Ranks of y with ties averaged: 1, 2.5, 4.5, 2.5, 4.5 -> rho = 7 / sqrt(10 * 9) = 0.7379
    assert result.spearman == Correlation(0.738, 5)
    # Fisher: atanh(0.775) -/+ 1.96 / sqrt(2) -> tanh(-0.354), tanh(2.418)
    assert result.interval == (-0.34, 0.98)
    assert "Too few agents" in result.reading
    assert "n=5" in result.reading


def test_it_leaves_agents_with_few_surveys_out_of_the_correlation() -> None:
    rows = [row(20, 5, 2), row(40, 5, 4), row(60, 5, 5), row(80, 5, 4), row(100, 5, 5)]

    with_outlier = agent_correlation([*rows, row(0, 2, 2)])

    assert with_outlier.pearson == agent_correlation(rows).pearson
    assert not row(0, 2, 2).counted


def test_it_names_a_clear_association_without_claiming_a_cause() -> None:
    rows = [row(10 + 7 * i, 10, min(10, i + 1)) for i in range(MIN_AGENTS + 2)]

    result = agent_correlation(rows)

    assert result.pearson.r is not None
    assert result.pearson.r > 0.9
    assert result.interval is not None
    assert result.interval[0] > 0
    assert result.reading.startswith("A strong positive association across agents")
    assert "not evidence that one causes the other" in result.reading


def test_it_says_so_when_the_interval_includes_zero() -> None:
    # Twelve agents, CSAT alternating high and low whatever their empathy: r near 0.
    rows = [row(10 + 7 * i, 10, 9 if i % 2 else 3) for i in range(12)]

    result = agent_correlation(rows)

    assert result.interval is not None
    assert result.interval[0] < 0 < result.interval[1]
    assert result.reading.startswith("No clear association across agents")


def test_it_refuses_without_enough_agents_or_variation() -> None:
    assert "Not enough data" in agent_correlation([row(50, 5, 5), row(60, 5, 5)]).reading
    assert interval_95(Correlation(None, 40)) is None
    assert interval_95(Correlation(0.5, 3)) is None
    assert spearman([1, 2, 3], [3, 2, 1]) == Correlation(-1.0, 3)


# Through the dashboard -----------------------------------------------------------------------


def survey(
    ticket: Ticket, agents: Sequence[User], rating: int, understood: int | None = None
) -> Survey:
    """A sent and answered survey credited to `agents`; rows written directly."""
    now = timezone.now()
    event = TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.STATUS_CHANGED,
        data={"from": Status.OPEN, "to": Status.RESOLVED},
        created_at=now,
        dispatched_at=now,
    )
    created = Survey.objects.create(
        ticket=ticket,
        resolution_event=event,
        customer_id=ticket.requester_id,
        queue_id=ticket.queue_id,
        state=Survey.State.SENT,
        resolved_at=now,
        send_after=now,
        sent_at=now,
        answered_at=now,
        rating=rating,
        understood=understood,
    )
    SurveyCredit.objects.bulk_create([SurveyCredit(survey=created, agent=a) for a in agents])
    return created


def rollup(agent: User, overall: int, replies: int = 1) -> None:
    DailyRollup.objects.create(
        agent=agent,
        day=timezone.localdate(),
        version=VERSION,
        replies=replies,
        overall_sum=overall * replies,
    )


@pytest.mark.django_db
def test_the_dashboard_sets_each_agents_csat_against_their_empathy(
    client_for, manager, make_user, team, queue, make_ticket
):
    agents = []
    for i, (empathy, satisfied) in enumerate([(20, 2), (40, 4), (60, 5), (80, 4), (100, 5)]):
        agent = make_user(Role.AGENT, first_name=f"Agent{i}")
        team.members.add(agent)
        queue.agents.add(agent)
        rollup(agent, empathy)
        for k in range(5):
            survey(make_ticket(), [agent], rating=5 if k < satisfied else 2, understood=4)
        agents.append(agent)

    response = client_for(manager).get(DASHBOARD)

    csat = response.context["csat"]
    assert [(a.empathy, a.surveys, a.csat, a.understood) for a in csat.agents] == [
        (20.0, 5, 40.0, 4.0), (40.0, 5, 80.0, 4.0), (60.0, 5, 100.0, 4.0),
        (80.0, 5, 80.0, 4.0), (100.0, 5, 100.0, 4.0),
    ]  # fmt: skip
    assert csat.by_agent.pearson == Correlation(0.775, 5)
    content = response.content.decode()
    assert "CSAT against empathy" in content
    assert "Too few agents to conclude anything (n=5" in content
    assert len(response.context["agent_scatter"].dots) == 5


@pytest.mark.django_db
def test_a_manager_sees_only_their_teams_agents_and_surveys(
    client_for, manager, agent, other_agent, ticket, make_ticket, other_queue, other_customer
):
    reply_score(message=ticket_reply(ticket=ticket, author=agent, body="Done, thanks."))
    survey(ticket, [agent], rating=5, understood=5)
    theirs = make_ticket(queue=other_queue, requester=other_customer)
    reply_score(message=ticket_reply(ticket=theirs, author=other_agent, body="Read the manual."))
    survey(theirs, [other_agent], rating=1, understood=1)
    # A shared ticket credited to both: it counts for this manager's agent only.
    shared = make_ticket()
    survey(shared, [agent, other_agent], rating=4)

    csat = client_for(manager).get(DASHBOARD).context["csat"]

    assert [(a.agent_id, a.surveys, a.satisfied) for a in csat.agents] == [(agent.pk, 2, 2)]
    assert csat.by_reply.correlation.n == 1  # only their own scored ticket with a survey
    other = make_user_manager_of(other_agent)
    theirs_csat = client_for(other).get(DASHBOARD).context["csat"]
    assert [a.agent_id for a in theirs_csat.agents] == [other_agent.pk]


def make_user_manager_of(agent: User) -> User:
    boss = User.objects.create_user(username=f"boss{agent.pk}", password="pw-for-tests-1")
    boss.role = Role.MANAGER
    boss.save(update_fields=["role"])
    for team in Team.objects.filter(members=agent):
        team.managers.add(boss)
    return boss


@pytest.mark.django_db
@pytest.mark.parametrize("agents", [2, 20])
@pytest.mark.parametrize("calibrated", [False, True])
def test_the_dashboard_keeps_its_query_count_with_agents_and_surveys(
    client_for, django_assert_num_queries, manager, make_user, team, queue, make_ticket,
    agents, calibrated,
):  # fmt: skip
    for i in range(agents):
        agent = make_user(Role.AGENT)
        team.members.add(agent)
        queue.agents.add(agent)
        ticket = make_ticket()
        score = reply_score(message=ticket_reply(ticket=ticket, author=agent, body="Done."))
        assert score is not None
        survey(ticket, [agent], rating=1 + i % 5, understood=1 + i % 5)
    if calibrated:
        Calibration.objects.create(
            team=team, version=VERSION, thresholds={"tone": {"weak": 1.0, "strong": 2.9}}
        )
    client = client_for(manager)

    expected = DASHBOARD_QUERIES_CALIBRATED if calibrated else DASHBOARD_QUERIES
    with django_assert_num_queries(expected):
        response = client.get(DASHBOARD, {"team": team.slug})

    assert response.status_code == 200
    assert len(response.context["csat"].agents) == agents
    assert response.context["csat"].by_reply.correlation.n == agents
