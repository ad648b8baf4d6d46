"""Calibration (kappa), formula-safe CSV export, review sampling and private reflections."""

import csv
import io

import pytest

from empathy.calibration import cohen_kappa
from empathy.exports import csv_rows, safe_cell
from empathy.models import Reflection, ReplyScore
from empathy.services import reply_score
from tickets.services import ticket_change_status, ticket_reply


def test_kappa_is_one_for_perfect_agreement_and_zero_at_chance() -> None:
    assert cohen_kappa([(0, 0), (1, 1), (2, 2), (1, 1)]).kappa == 1.0
    # Two raters who each say "1" half the time, independently: kappa 0.
    chance = cohen_kappa([(1, 1), (1, 0), (0, 1), (0, 0)])
    assert chance.kappa == 0.0
    assert chance.exact == 0.5


def test_kappa_matches_a_hand_computed_example() -> None:
    # 10 items: po = 0.7; rater A: 5x0, 5x1; rater B: 4x0, 6x1; pe = (5*4 + 5*6)/100 = 0.5
    pairs = [(0, 0)] * 3 + [(0, 1)] * 2 + [(1, 0)] * 1 + [(1, 1)] * 4
    result = cohen_kappa(pairs)
    assert result.kappa == pytest.approx((0.7 - 0.5) / 0.5)
    assert result.matrix[(0, 1)] == 2


def test_kappa_is_undefined_without_pairs_or_variation() -> None:
    assert cohen_kappa([]).kappa is None
    assert cohen_kappa([(1, 1), (1, 1)]).kappa is None
    assert "too few" in cohen_kappa([(0, 0), (1, 1), (2, 1)]).reading


@pytest.mark.parametrize("payload", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x", "|calc"])
def test_it_neutralises_cells_that_spreadsheets_would_run(payload: str) -> None:
    assert safe_cell(payload) == "'" + payload
    assert safe_cell(-5) == "-5"
    assert safe_cell("plain") == "plain"


def test_the_csv_stream_round_trips_quotes_and_newlines() -> None:
    text = "".join(csv_rows(["a", "b"], [['say "hi"', "two\nlines"], ["=evil()", 3]]))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["a", "b"], ['say "hi"', "two\nlines"], ["'=evil()", "3"]]


@pytest.mark.django_db
def test_the_export_is_for_managers_and_carries_no_formulas(
    make_ticket, agent, manager, client_for, team
) -> None:
    ticket = make_ticket(subject='=HYPERLINK("http://evil")')
    reply_score(message=ticket_reply(ticket=ticket, author=agent, body="I understand, sorry."))
    response = client_for(manager).get("/empathy/dashboard/export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["replied_at", "agent", "ticket"]
    assert rows[1][3].startswith("'=")
    assert client_for(agent).get("/empathy/dashboard/export.csv").status_code == 403


@pytest.mark.django_db
def test_the_export_holds_to_the_team_the_dashboard_shows(
    make_ticket, agent, manager, make_user, client_for, queue, team
) -> None:
    from accounts.models import Team

    night = Team.objects.create(name="Night shift", slug="night")
    night.managers.add(manager)
    night_agent = make_user("agent")
    night.members.add(night_agent)
    queue.agents.add(night_agent)
    ticket = make_ticket()
    for author in (agent, night_agent):
        reply_score(message=ticket_reply(ticket=ticket, author=author, body="Thanks, done."))

    def exported_agents(**params: str) -> list[str]:
        response = client_for(manager).get("/empathy/dashboard/export.csv", params)
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        return sorted(row[1] for row in rows[1:])

    assert exported_agents() == sorted([agent.display_name, night_agent.display_name])
    assert exported_agents(team="night") == [night_agent.display_name]
    # A team the manager does not manage exports all of theirs, as the dashboard shows.
    assert len(exported_agents(team="someone-elses")) == 2
    # The dashboard's download link carries the team it shows.
    page = client_for(manager).get("/empathy/dashboard/", {"team": "night"})
    assert b"export.csv?team=night&amp;start=" in page.content


@pytest.mark.django_db
def test_the_dashboard_shows_calibration_and_low_csat_sections(
    make_ticket, agent, manager, client_for, team
) -> None:
    ticket = make_ticket()
    reply_score(message=ticket_reply(ticket=ticket, author=agent, body="Restart it."))
    response = client_for(manager).get("/empathy/dashboard/")
    assert response.status_code == 200
    assert set(response.context["calibration"]) == {"listening", "validation", "reflection", "tone"}
    assert [s.pk for s in response.context["sample"]] == list(
        ReplyScore.objects.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_an_agent_is_invited_to_reflect_privately_after_a_challenging_ticket(
    make_ticket, agent, make_user, queue, client_for
) -> None:
    ticket = make_ticket(body="This is the THIRD time!!! Unacceptable, still not fixed.")
    assert ticket.challenging
    ticket_reply(ticket=ticket, author=agent, body="I'm sorry, I'll fix it now.")
    ticket_change_status(ticket=ticket, actor=agent, status="resolved")
    page = client_for(agent).get("/empathy/me/")
    assert [t.pk for t in page.context["reflection_prompts"]] == [ticket.pk]
    response = client_for(agent).post(
        f"/empathy/reflect/{ticket.pk}/", {"went_well": "Stayed calm", "do_differently": ""}
    )
    assert response.status_code == 302
    assert Reflection.objects.get(agent=agent, ticket=ticket).went_well == "Stayed calm"
    assert client_for(agent).get("/empathy/me/").context["reflection_prompts"] == []
    # Nobody else can write (or see) it: another agent has nothing to reflect on here.
    colleague = make_user("agent")
    queue.agents.add(colleague)
    assert client_for(colleague).post(f"/empathy/reflect/{ticket.pk}/", {}).status_code == 404
