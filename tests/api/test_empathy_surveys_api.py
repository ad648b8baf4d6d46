"""Empathy coaching and scores, and the survey summary, over /api/v1/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from empathy.models import ReplyScore
from empathy.services import reply_score
from surveys.models import Survey
from surveys.services import survey_answer, surveys_dispatch_due
from tickets.models import Customer, EventKind, Queue, Status, Ticket
from tickets.outbox import event_deliver
from tickets.services import ticket_change_status, ticket_customer_reply, ticket_reply

COACH = "/api/v1/empathy/coach/"
SCORES = "/api/v1/empathy/scores/"
SUMMARY = "/api/v1/surveys/summary/"
COMPONENTS = ("listening", "validation", "reflection", "tone")


def post_json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


# --- coach ----------------------------------------------------------------------------------


def test_it_coaches_a_draft_for_staff(client_for: Callable[[User], Client], agent: User) -> None:
    response = post_json(
        client_for(agent),
        COACH,
        {
            "draft": "I'm so sorry the export keeps stopping; that must be frustrating. "
            "I've restarted the worker, so please try again.",
            "customer_message": "The export stops at 40% and I have a deadline today!",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    for name in COMPONENTS:
        assert set(body[name]) == {"level", "confidence"}
        assert body[name]["level"] in (0, 1, 2)
        assert 0 <= body[name]["confidence"] <= 1
    assert 0 <= body["overall"] <= 100
    assert isinstance(body["suggestions"], list)
    assert not ReplyScore.objects.exists()  # coaching a draft stores nothing


def test_it_coaches_against_the_tickets_latest_customer_message(
    client_for: Callable[[User], Client], agent: User, customer: Customer, ticket: Ticket
) -> None:
    ticket_customer_reply(
        ticket=ticket, customer=customer, body="I lost a whole day of work.", channel="web"
    )

    response = post_json(
        client_for(agent), COACH, {"draft": "Sorry you lost a day of work.", "ticket": ticket.pk}
    )

    assert response.status_code == 200
    assert set(COMPONENTS) <= set(response.json())


def test_it_refuses_coaching_to_a_customer(
    client_for: Callable[[User], Client], customer: Customer
) -> None:
    response = post_json(client_for(customer.user), COACH, {"draft": "Hello"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_it_hides_a_ticket_outside_the_agents_queues(
    client_for: Callable[[User], Client], other_agent: User, ticket: Ticket
) -> None:
    response = post_json(client_for(other_agent), COACH, {"draft": "Hi", "ticket": ticket.pk})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_answers_400_without_a_draft(client_for: Callable[[User], Client], agent: User) -> None:
    response = post_json(client_for(agent), COACH, {})

    assert response.status_code == 400
    assert "draft" in response.json()["error"]["fields"]


# --- scores ---------------------------------------------------------------------------------


@pytest.fixture
def scores(
    agent: User,
    other_agent: User,
    make_ticket: Callable[..., Ticket],
    other_queue: Queue,
) -> dict[str, ReplyScore]:
    """One scored reply by the team's agent, one by an agent of another team."""
    mine = make_ticket()
    theirs = make_ticket(queue=other_queue)
    made = {}
    for key, author, ticket in (("agent", agent, mine), ("other", other_agent, theirs)):
        message = ticket_reply(ticket=ticket, author=author, body="Sorry about that, fixed now.")
        score = reply_score(message=message)
        assert score is not None
        made[key] = score
    return made


def score_ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_it_shows_an_agent_only_their_own_scores(
    client_for: Callable[[User], Client], agent: User, scores: dict[str, ReplyScore]
) -> None:
    response = client_for(agent).get(SCORES)

    assert score_ids(response) == {scores["agent"].pk}
    [row] = response.json()["results"]
    assert row["agent"] == agent.pk
    assert row["overall"] == scores["agent"].overall


def test_it_shows_a_manager_their_teams_agents_scores(
    client_for: Callable[[User], Client], manager: User, scores: dict[str, ReplyScore]
) -> None:
    assert score_ids(client_for(manager).get(SCORES)) == {scores["agent"].pk}


def test_it_shows_an_admin_every_score(
    client_for: Callable[[User], Client], admin_user: User, scores: dict[str, ReplyScore]
) -> None:
    assert score_ids(client_for(admin_user).get(SCORES)) == {s.pk for s in scores.values()}


def test_it_refuses_scores_to_a_customer(
    client_for: Callable[[User], Client], customer: Customer, scores: dict[str, ReplyScore]
) -> None:
    response = client_for(customer.user).get(SCORES)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


# --- survey summary -------------------------------------------------------------------------


@pytest.fixture
def answered_surveys(
    settings: Any,
    agent: User,
    other_agent: User,
    other_customer: Customer,
    make_ticket: Callable[..., Ticket],
    other_queue: Queue,
) -> list[Survey]:
    """A survey answered 5 in the manager's queue and one answered 1 in another team's."""
    settings.ATTUNE_SURVEY_QUIET_HOURS = (0, 0)
    settings.ATTUNE_SURVEY_DELAY_SECONDS = 0
    made = []
    # Two customers: one is surveyed at most once a week.
    for author, extra, rating in (
        (agent, {}, 5),
        (other_agent, {"queue": other_queue, "requester": other_customer}, 1),
    ):
        ticket = make_ticket(**extra)
        ticket_reply(ticket=ticket, author=author, body="Restarting fixed it.")
        ticket_change_status(ticket=ticket, actor=author, status=Status.RESOLVED)
        event = ticket.events.filter(kind=EventKind.STATUS_CHANGED).latest("pk")
        assert event_deliver(event.pk, "surveys.on_status")
        assert surveys_dispatch_due() == 1
        made.append(survey_answer(survey=Survey.objects.get(ticket=ticket), rating=rating))
    return made


def test_it_summarises_surveys_for_a_manager(
    client_for: Callable[[User], Client], manager: User, answered_surveys: list[Survey]
) -> None:
    response = client_for(manager).get(SUMMARY)

    assert response.status_code == 200, response.content
    body = response.json()
    assert {"start", "end", "by_agent", "by_team", "by_queue", "by_week"} <= set(body)
    overall = body["overall"]
    assert (overall["sent"], overall["answered"], overall["csat"]) == (1, 1, 100.0)
    assert [row["label"] for row in body["by_queue"]] == ["General"]


def test_it_refuses_the_survey_summary_to_an_agent(
    client_for: Callable[[User], Client], agent: User
) -> None:
    response = client_for(agent).get(SUMMARY)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(
    "query", ["start=yesterday", "end=2026-02-30", "end=0001-01-05", "start=9999-12-31"]
)
def test_it_answers_400_for_an_unusable_period(
    query: str, client_for: Callable[[User], Client], manager: User
) -> None:
    response = client_for(manager).get(f"{SUMMARY}?{query}")

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid"
