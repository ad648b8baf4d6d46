"""The team's exemplary replies, one's private reflections, and reading one's review back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from empathy.models import Reflection, ReplyScore, Review
from empathy.services import reply_score, review_save
from tickets.models import Customer, Queue, Ticket
from tickets.services import ticket_reply

EXEMPLARY = "/api/v1/empathy/exemplary/"
REFLECTIONS = "/api/v1/empathy/reflections/"
LEVELS: dict[str, int | None] = {"listening": 2, "validation": 2, "reflection": 1, "tone": 2}


def review_url(score: ReplyScore) -> str:
    return f"/api/v1/empathy/scores/{score.pk}/review/"


def post_json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def scored() -> Callable[..., ReplyScore]:
    def make(ticket: Ticket, author: User, body: str = "I see how frustrating this is.") -> Any:
        score = reply_score(message=ticket_reply(ticket=ticket, author=author, body=body))
        assert score is not None
        return score

    return make


def mark(score: ReplyScore, reviewer: User, *, exemplary: bool = True, why: str = "") -> Review:
    return review_save(
        score=score, reviewer=reviewer, levels=LEVELS, feedback=why, exemplary=exemplary
    )


# --- exemplary replies ------------------------------------------------------------------------


def test_the_library_lists_marked_replies_on_tickets_the_agent_may_open(
    client_for: Callable[[User], Client],
    agent: User,
    other_agent: User,
    manager: User,
    admin_user: User,
    make_ticket: Callable[..., Ticket],
    other_queue: Queue,
    scored: Callable[..., ReplyScore],
) -> None:
    ours = make_ticket()
    theirs = make_ticket(queue=other_queue)
    chosen = mark(scored(ours, agent), manager, why="Names the feeling first.")
    mark(scored(ours, agent, "Restart it."), manager, exemplary=False)
    mark(scored(theirs, other_agent), admin_user)  # another queue: not agent's to read

    response = client_for(agent).get(EXEMPLARY)

    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert row == {
        "id": chosen.pk,
        "ticket": {"id": ours.pk, "subject": ours.subject},
        "reply": {"id": chosen.score.message_id, "body": "I see how frustrating this is."},
        "agent": agent.display_name,
        "chosen_by": manager.display_name,
        "why": "Names the feeling first.",
        "overall": chosen.score.overall,
        "created_at": row["created_at"],
    }


def test_a_reply_marked_by_two_managers_is_listed_once_with_the_latest_mark(
    client_for: Callable[[User], Client],
    agent: User,
    manager: User,
    admin_user: User,
    ticket: Ticket,
    scored: Callable[..., ReplyScore],
) -> None:
    score = scored(ticket, agent)
    mark(score, manager)
    latest = mark(score, admin_user, why="Textbook.")

    rows = client_for(agent).get(EXEMPLARY).json()["results"]

    assert [r["id"] for r in rows] == [latest.pk]


def test_the_library_pages_in_a_fixed_number_of_queries(
    client_for: Callable[[User], Client],
    agent: User,
    manager: User,
    ticket: Ticket,
    scored: Callable[..., ReplyScore],
    django_assert_num_queries: Any,
) -> None:
    for n in range(6):
        mark(scored(ticket, agent, f"Sorry about that, {n}."), manager)
    client = client_for(agent)

    # session, user, one page of reviews with their score, reply, ticket, agent and reviewer
    with django_assert_num_queries(3):
        first = client.get(EXEMPLARY, {"page_size": 4}).json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 4
    assert len(second["results"]) == 2


def test_customers_may_not_read_the_library(
    client_customer: Client, agent: User, manager: User, ticket: Ticket, scored: Any
) -> None:
    mark(scored(ticket, agent), manager)

    response = client_customer.get(EXEMPLARY)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


# --- reflections ------------------------------------------------------------------------------


@pytest.fixture
def hard_ticket(ticket: Ticket, agent: User) -> Ticket:
    """A challenging ticket the agent answered, resolved today: "My empathy" prompts for it."""
    ticket_reply(ticket=ticket, author=agent, body="I understand, let me fix this.")
    Ticket.objects.filter(pk=ticket.pk).update(challenging=True, resolved_at=timezone.now())
    return ticket


def test_an_agent_writes_a_reflection_on_a_prompted_ticket_and_reads_it_back(
    client_agent: Client, agent: User, hard_ticket: Ticket
) -> None:
    created = post_json(
        client_agent,
        REFLECTIONS,
        {"ticket": hard_ticket.pk, "went_well": "Listened.", "do_differently": "Call sooner."},
    )

    assert created.status_code == 201, created.content
    reflection = Reflection.objects.get(agent=agent, ticket=hard_ticket)
    assert (reflection.went_well, reflection.do_differently) == ("Listened.", "Call sooner.")
    [row] = client_agent.get(REFLECTIONS).json()["results"]
    assert row == created.json()
    assert row["ticket"] == {"id": hard_ticket.pk, "subject": hard_ticket.subject}


def test_reflections_are_private_to_their_author(
    client_for: Callable[[User], Client],
    agent: User,
    manager: User,
    admin_user: User,
    hard_ticket: Ticket,
) -> None:
    post_json(client_for(agent), REFLECTIONS, {"ticket": hard_ticket.pk, "went_well": "Calm."})

    for reader in (manager, admin_user):
        assert client_for(reader).get(REFLECTIONS).json()["results"] == []


def test_a_ticket_the_page_would_not_prompt_for_answers_404(
    client_for: Callable[[User], Client],
    client_agent: Client,
    agent: User,
    make_user: Callable[..., User],
    queue: Queue,
    hard_ticket: Ticket,
    make_ticket: Callable[..., Ticket],
) -> None:
    easy = make_ticket()
    ticket_reply(ticket=easy, author=agent, body="Done.")
    colleague = make_user(Role.AGENT)
    queue.agents.add(colleague)

    not_challenging = post_json(client_agent, REFLECTIONS, {"ticket": easy.pk})
    not_answered_by_them = post_json(client_for(colleague), REFLECTIONS, {"ticket": hard_ticket.pk})
    post_json(client_agent, REFLECTIONS, {"ticket": hard_ticket.pk, "went_well": "First."})
    again = post_json(client_agent, REFLECTIONS, {"ticket": hard_ticket.pk, "went_well": "2nd"})

    assert [r.status_code for r in (not_challenging, not_answered_by_them, again)] == [404] * 3
    assert Reflection.objects.get().went_well == "First."


def test_reflection_input_is_validated(client_agent: Client, hard_ticket: Ticket) -> None:
    response = post_json(
        client_agent, REFLECTIONS, {"ticket": hard_ticket.pk, "went_well": "x" * 2001}
    )

    assert response.status_code == 400
    assert "went_well" in response.json()["error"]["fields"]


def test_customers_have_no_reflections(client_customer: Client, customer: Customer) -> None:
    assert client_customer.get(REFLECTIONS).status_code == 403
    assert post_json(client_customer, REFLECTIONS, {"ticket": 1}).status_code == 403


# --- reading one's review back ----------------------------------------------------------------


def test_a_manager_reads_back_the_review_they_wrote(
    client_for: Callable[[User], Client],
    agent: User,
    manager: User,
    ticket: Ticket,
    scored: Callable[..., ReplyScore],
) -> None:
    score = scored(ticket, agent)
    client = client_for(manager)
    written = client.put(
        review_url(score),
        {"listening": 2, "tone": 1, "feedback": "Good start.", "exemplary": True},
        content_type="application/json",
    )

    read = client.get(review_url(score))

    assert read.status_code == 200
    assert read.json() == written.json()
    assert read.json()["feedback"] == "Good start."


def test_no_review_yet_or_another_managers_reply_answers_404(
    client_for: Callable[[User], Client],
    agent: User,
    other_agent: User,
    manager: User,
    admin_user: User,
    make_ticket: Callable[..., Ticket],
    other_queue: Queue,
    scored: Callable[..., ReplyScore],
) -> None:
    unreviewed = scored(make_ticket(), agent)
    foreign = scored(make_ticket(queue=other_queue), other_agent)
    mark(foreign, admin_user)
    client = client_for(manager)

    assert client.get(review_url(unreviewed)).status_code == 404
    assert client.get(review_url(foreign)).status_code == 404


def test_agents_may_not_read_reviews_through_the_managers_endpoint(
    client_agent: Client, agent: User, manager: User, ticket: Ticket, scored: Any
) -> None:
    score = scored(ticket, agent)
    mark(score, manager)

    assert client_agent.get(review_url(score)).status_code == 403
