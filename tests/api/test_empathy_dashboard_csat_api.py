"""The empathy dashboard figures over the API: CSAT against empathy and calibrated levels,
the same as the page."""

import pytest

from empathy.analyzer import VERSION
from empathy.models import Calibration
from empathy.services import reply_score
from tests.empathy.test_dashboard_csat import survey
from tickets.services import ticket_reply

pytestmark = pytest.mark.django_db

URL = "/api/v1/empathy/dashboard/"


def test_it_returns_each_agents_csat_beside_their_empathy(
    client_for, manager, agent, other_agent, ticket, make_ticket, other_queue, other_customer
):
    score = reply_score(message=ticket_reply(ticket=ticket, author=agent, body="Done, thanks."))
    assert score is not None
    survey(ticket, [agent], rating=5, understood=4)
    survey(make_ticket(), [agent], rating=2, understood=2)
    theirs = make_ticket(queue=other_queue, requester=other_customer)
    reply_score(message=ticket_reply(ticket=theirs, author=other_agent, body="Read the manual."))
    survey(theirs, [other_agent], rating=1)

    figures = client_for(manager).get(URL).json()

    (row,) = figures["csat"]["agents"]
    assert row == {
        "agent_id": agent.pk,
        "name": agent.display_name,
        "empathy": float(score.overall),
        "surveys": 2,
        "satisfied": 1,
        "csat": 50.0,
        "understood": 3.0,
        "counted": False,  # two surveys: listed, not correlated
    }
    assert figures["csat"]["by_agent"]["pearson"] == {"r": None, "n": 0}
    assert "Not enough data" in figures["csat"]["by_agent"]["reading"]
    assert figures["csat"]["by_reply"]["correlation"]["n"] == 1
    assert figures["calibrated"] is False


def test_it_presents_the_shown_teams_calibrated_levels(client_for, manager, agent, team, ticket):
    reply_score(
        message=ticket_reply(ticket=ticket, author=agent, body="I'm sorry for the inconvenience.")
    )
    raw = client_for(manager).get(URL, {"team": team.slug}).json()
    Calibration.objects.create(
        team=team, version=VERSION, thresholds={"validation": {"weak": 2.5, "strong": 2.9}}
    )

    calibrated = client_for(manager).get(URL, {"team": team.slug}).json()

    assert raw["agents"][0]["validation"] == 1.0  # a boilerplate apology: weak validation
    assert calibrated["calibrated"] is True
    assert calibrated["agents"][0]["validation"] == 0.0
    assert calibrated["agents"][0]["overall"] == raw["agents"][0]["overall"]
