"""GET /api/v1/tickets/{id}/events/: the whole timeline for staff, its public part for customers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from tickets.models import Customer, EventKind, Status, Ticket
from tickets.services import (
    ticket_assign,
    ticket_change_status,
    ticket_customer_reply,
    ticket_note_add,
    ticket_reply,
    ticket_set_priority,
)

PUBLIC = {
    EventKind.CREATED,
    EventKind.CUSTOMER_REPLIED,
    EventKind.AGENT_REPLIED,
    EventKind.STATUS_CHANGED,
}


def url(ticket: Ticket) -> str:
    return f"/api/v1/tickets/{ticket.pk}/events/"


@pytest.fixture
def worked(ticket: Ticket, agent: User, customer: Customer) -> Ticket:
    """A ticket with public and internal events."""
    ticket_note_add(ticket=ticket, author=agent, body="Customer is on the old plan.")
    ticket_assign(ticket=ticket, actor=agent, assignee=agent)
    ticket_set_priority(ticket=ticket, actor=agent, priority="urgent")
    ticket_reply(ticket=ticket, author=agent, body="We are on it.")
    ticket_customer_reply(ticket=ticket, customer=customer, body="Thanks!", channel="web")
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    return ticket


def kinds(response: Any) -> list[str]:
    return [event["kind"] for event in response.json()["results"]]


def test_staff_read_every_event_newest_first_with_its_data(
    worked: Ticket, client_agent: Client, agent: User
) -> None:
    response = client_agent.get(url(worked))

    assert response.status_code == 200
    events = response.json()["results"]
    expected = list(worked.events.order_by("-created_at", "-id").values_list("kind", flat=True))
    assert kinds(response) == expected
    assert {EventKind.NOTE_ADDED, EventKind.ASSIGNED, EventKind.PRIORITY_CHANGED} <= set(expected)
    priority = next(e for e in events if e["kind"] == EventKind.PRIORITY_CHANGED)
    assert priority["data"]["to"] == "urgent"
    assert priority["actor_id"] == agent.pk
    assert priority["actor_name"] == agent.display_name


def test_customers_read_only_the_public_events_and_part_of_their_data(
    worked: Ticket, client_customer: Client, agent: User
) -> None:
    response = client_customer.get(url(worked))

    assert response.status_code == 200
    assert set(kinds(response)) == PUBLIC
    events = response.json()["results"]
    resolved = next(e for e in events if e["kind"] == EventKind.STATUS_CHANGED)
    assert resolved["data"] == {"from": Status.OPEN, "to": Status.RESOLVED}
    replied = next(e for e in events if e["kind"] == EventKind.AGENT_REPLIED)
    assert replied["actor_id"] is None
    assert replied["actor_name"] == agent.first_name
    body = response.content.decode()
    assert "on_behalf" not in body
    assert agent.last_name not in body


def test_a_customer_never_sees_the_internal_note_through_its_event(
    worked: Ticket, client_customer: Client
) -> None:
    note = worked.messages.get(kind="note")

    response = client_customer.get(url(worked))

    assert note.pk not in [event["message"] for event in response.json()["results"]]


@pytest.mark.parametrize("who", ["other_agent", "other_customer"])
def test_a_ticket_the_user_may_not_open_answers_404(
    who: str, worked: Ticket, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    person = request.getfixturevalue(who)
    user = person.user if isinstance(person, Customer) else person

    response = client_for(user).get(url(worked))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_teams_manager_reads_the_timeline(
    worked: Ticket, manager: User, client_for: Callable[[User], Client]
) -> None:
    assert client_for(manager).get(url(worked)).status_code == 200


def test_anonymous_callers_get_401(worked: Ticket) -> None:
    assert Client().get(url(worked)).status_code == 401


def test_it_pages_by_cursor(worked: Ticket, client_agent: Client) -> None:
    total = worked.events.count()

    first = client_agent.get(url(worked), {"page_size": 3}).json()
    rest = client_agent.get(first["next"]).json()

    assert len(first["results"]) == 3
    ids = [e["id"] for e in first["results"]] + [e["id"] for e in rest["results"]]
    assert len(set(ids)) == min(total, 6)


@pytest.mark.parametrize("role", ["agent", "customer"])
def test_it_answers_in_a_fixed_number_of_queries(
    role: str,
    worked: Ticket,
    agent: User,
    customer: Customer,
    client_for: Callable[[User], Client],
    django_assert_num_queries: Any,
) -> None:
    client = client_for(agent if role == "agent" else customer.user)
    for n in range(10):
        ticket_reply(ticket=worked, author=agent, body=f"More news {n}.")

    # session, user, the ticket through the access module, one page of events with actors
    with django_assert_num_queries(4):
        response = client.get(url(worked))

    assert len(response.json()["results"]) > 10
