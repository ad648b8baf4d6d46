"""Agents read and acknowledge their managers' feedback over the API, as on "My empathy"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import Role, User
from empathy.models import Review
from empathy.services import reply_score, review_save
from tickets.models import Customer, Ticket
from tickets.services import ticket_reply

FEEDBACK = "/api/v1/empathy/feedback/"
LEVELS: dict[str, int | None] = {"listening": 1, "validation": 0, "reflection": None, "tone": 1}


def acknowledge_url(review: Review) -> str:
    return f"{FEEDBACK}{review.pk}/acknowledge/"


def post_json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def review_on(manager: User) -> Callable[..., Review]:
    """Feedback from `manager` on a fresh reply by `author` to `ticket`."""

    def make(ticket: Ticket, author: User, feedback: str = "Name the frustration first.") -> Review:
        message = ticket_reply(ticket=ticket, author=author, body="Please restart the export.")
        score = reply_score(message=message)
        assert score is not None
        return review_save(
            score=score, reviewer=manager, levels=LEVELS, feedback=feedback, exemplary=False
        )

    return make


def test_it_lists_the_feedback_on_the_agents_own_replies(
    client_for: Callable[[User], Client],
    agent: User,
    manager: User,
    make_user: Callable[..., User],
    ticket: Ticket,
    review_on: Callable[..., Review],
) -> None:
    colleague = make_user(Role.AGENT)
    mine = review_on(ticket, agent)
    review_on(ticket, colleague, feedback="Not for the agent's eyes.")
    review_on(ticket, agent, feedback="")  # ratings only: nothing to read, as on the page

    response = client_for(agent).get(FEEDBACK)

    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert row == {
        "id": mine.pk,
        "ticket": {"id": ticket.pk, "subject": ticket.subject},
        "reply": {"id": mine.score.message_id, "body": "Please restart the export."},
        "reviewer": manager.display_name,
        "feedback": "Name the frustration first.",
        "exemplary": False,
        "created_at": row["created_at"],
        "acknowledged_at": None,
        "agent_reply": "",
    }
    assert row["created_at"]


def test_it_pages_the_feedback_newest_first_by_cursor(
    client_for: Callable[[User], Client],
    agent: User,
    ticket: Ticket,
    review_on: Callable[..., Review],
) -> None:
    made = [review_on(ticket, agent, feedback=f"Note {n}") for n in range(3)]
    client = client_for(agent)

    first = client.get(FEEDBACK, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [r["id"] for r in first["results"] + second["results"]] == [r.pk for r in made[::-1]]
    assert second["next"] is None


# session, user, the page of reviews with their score, message, ticket and reviewer
FEEDBACK_QUERIES = 3


@pytest.mark.parametrize("count", [1, 12])
def test_it_lists_feedback_in_a_fixed_number_of_queries(
    count: int,
    client_for: Callable[[User], Client],
    agent: User,
    ticket: Ticket,
    review_on: Callable[..., Review],
    django_assert_num_queries: Any,
) -> None:
    for n in range(count):
        review_on(ticket, agent, feedback=f"Note {n}")
    client = client_for(agent)

    with django_assert_num_queries(FEEDBACK_QUERIES):
        response = client.get(FEEDBACK)

    assert len(response.json()["results"]) == count


def test_it_acknowledges_feedback_with_a_reply_to_the_manager(
    client_for: Callable[[User], Client],
    agent: User,
    ticket: Ticket,
    review_on: Callable[..., Review],
) -> None:
    review = review_on(ticket, agent)

    response = post_json(client_for(agent), acknowledge_url(review), {"reply": " Will do. "})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == review.pk
    assert body["agent_reply"] == "Will do."
    assert body["acknowledged_at"] is not None
    review.refresh_from_db()
    assert review.acknowledged_at is not None
    assert review.agent_reply == "Will do."


def test_it_acknowledges_without_a_reply_and_keeps_an_earlier_one(
    client_for: Callable[[User], Client],
    agent: User,
    ticket: Ticket,
    review_on: Callable[..., Review],
) -> None:
    review = review_on(ticket, agent)
    client = client_for(agent)
    assert post_json(client, acknowledge_url(review), {"reply": "Will do."}).status_code == 200

    again = post_json(client, acknowledge_url(review), {})

    assert again.status_code == 200
    assert again.json()["agent_reply"] == "Will do."
    review.refresh_from_db()
    assert review.agent_reply == "Will do."


def test_the_manager_sees_the_acknowledgement_reset_when_the_feedback_is_reworded(
    client_for: Callable[[User], Client],
    agent: User,
    manager: User,
    ticket: Ticket,
    review_on: Callable[..., Review],
) -> None:
    review = review_on(ticket, agent)
    post_json(client_for(agent), acknowledge_url(review), {})
    review_save(
        score=review.score, reviewer=manager, levels=LEVELS, feedback="Reworded.", exemplary=False
    )

    [row] = client_for(agent).get(FEEDBACK).json()["results"]

    assert row["feedback"] == "Reworded."
    assert row["acknowledged_at"] is None


@pytest.mark.parametrize("who", ["colleague", "manager", "admin"])
def test_it_answers_404_to_anyone_but_the_agent_who_wrote_the_reply(
    who: str,
    client_for: Callable[[User], Client],
    agent: User,
    manager: User,
    admin_user: User,
    make_user: Callable[..., User],
    ticket: Ticket,
    review_on: Callable[..., Review],
) -> None:
    review = review_on(ticket, agent)
    caller = {"colleague": make_user(Role.AGENT), "manager": manager, "admin": admin_user}[who]
    client = client_for(caller)

    response = post_json(client, acknowledge_url(review), {"reply": "Not mine."})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get(FEEDBACK).json()["results"] == []
    review.refresh_from_db()
    assert (review.acknowledged_at, review.agent_reply) == (None, "")


def test_it_answers_404_for_feedback_that_does_not_exist(
    client_for: Callable[[User], Client], agent: User
) -> None:
    response = post_json(client_for(agent), f"{FEEDBACK}999999/acknowledge/", {})

    assert response.status_code == 404


def test_it_refuses_feedback_to_customers(
    client_for: Callable[[User], Client],
    customer: Customer,
    agent: User,
    ticket: Ticket,
    review_on: Callable[..., Review],
) -> None:
    review = review_on(ticket, agent)
    client = client_for(customer.user)

    listed = client.get(FEEDBACK)
    acknowledged = post_json(client, acknowledge_url(review), {})

    assert listed.status_code == 403
    assert acknowledged.status_code == 403
    assert acknowledged.json()["error"]["code"] == "permission_denied"
    review.refresh_from_db()
    assert review.acknowledged_at is None


def test_it_refuses_anonymous_callers(
    client: Client, agent: User, ticket: Ticket, review_on: Callable[..., Review]
) -> None:
    review = review_on(ticket, agent)

    assert client.get(FEEDBACK).status_code == 401
    assert post_json(client, acknowledge_url(review), {}).status_code == 401
    review.refresh_from_db()
    assert review.acknowledged_at is None


def test_it_answers_400_for_a_reply_that_is_too_long(
    client_for: Callable[[User], Client],
    agent: User,
    ticket: Ticket,
    review_on: Callable[..., Review],
) -> None:
    review = review_on(ticket, agent)

    response = post_json(client_for(agent), acknowledge_url(review), {"reply": "x" * 2001})

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"reply"}
    review.refresh_from_db()
    assert review.acknowledged_at is None
