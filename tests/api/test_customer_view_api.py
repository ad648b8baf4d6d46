"""A customer reads their tickets over the API as in the portal: none of the desk's triage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from tickets.models import Customer, Priority, Ticket
from tickets.services import ticket_assign, ticket_note_add, ticket_reply

TICKETS = "/api/v1/tickets/"
CUSTOMER_FIELDS = {
    "id",
    "subject",
    "status",
    "urgency",
    "channel",
    "requester",
    "assignee",
    "merged_into",
    "created_at",
    "updated_at",
    "resolved_at",
    "portal_url",
}
# What staff read and a customer must not: the triage, the queue, the SLA clock, labels.
INTERNAL_FIELDS = {
    "priority",
    "priority_score",
    "priority_reasons",
    "challenging",
    "tags",
    "queue",
    "first_response_due",
    "next_response_due",
    "resolution_due",
    "first_responded_at",
    "version",
}


def detail(ticket: Ticket) -> str:
    return f"{TICKETS}{ticket.pk}/"


@pytest.fixture
def furious(make_ticket: Callable[..., Ticket], agent: User, admin_user: User) -> Ticket:
    """A ticket the desk has triaged: challenging, tagged, urgent, assigned, with a note."""
    ticket = make_ticket(
        subject="THIS IS THE THIRD TIME",
        body="I am furious, this is unacceptable!!! I will cancel my subscription.",
        tags=["difficult-customer"],
    )
    ticket = ticket_assign(ticket=ticket, actor=admin_user, assignee=agent)
    ticket_note_add(ticket=ticket, author=agent, body="Internal: refund pending approval.")
    ticket_reply(ticket=ticket, author=agent, body="I am sorry, I am on it.")
    ticket.refresh_from_db()
    assert ticket.challenging
    assert ticket.priority_reasons
    return ticket


def customer_views(client: Client, ticket: Ticket) -> list[dict[str, Any]]:
    """The ticket as read, listed and (a fresh one) filed by its customer."""
    filed = client.post(
        TICKETS, {"subject": "Again", "body": "Furious!!!"}, content_type="application/json"
    )
    assert filed.status_code == 201, filed.content
    listed = client.get(TICKETS).json()["results"]
    return [
        client.get(detail(ticket)).json(),
        next(row for row in listed if row["id"] == ticket.pk),
        filed.json(),
    ]


def test_it_shows_a_customer_the_portals_view_of_their_ticket(
    client_for: Callable[[User], Client], customer: Customer, agent: User, furious: Ticket
) -> None:
    response = client_for(customer.user).get(detail(furious))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == CUSTOMER_FIELDS
    assert body["subject"] == "THIS IS THE THIRD TIME"
    assert body["status"] == furious.status
    assert body["urgency"] == furious.urgency
    assert body["requester"] == {
        "name": customer.user.display_name,
        "email": customer.user.email,
    }
    assert body["assignee"] == {"first_name": "Alex"}
    assert body["portal_url"] == f"http://testserver/portal/tickets/{furious.pk}/"


def test_it_keeps_the_desks_triage_from_the_customer_everywhere_it_returns_a_ticket(
    client_for: Callable[[User], Client], customer: Customer, agent: User, furious: Ticket
) -> None:
    for body in customer_views(client_for(customer.user), furious):
        assert set(body) == CUSTOMER_FIELDS
        text = str(body)
        assert "Frustration" not in text
        assert "difficult-customer" not in text
        assert furious.queue.slug not in text
        assert agent.last_name not in text
        assert agent.email not in text
        assert "refund pending" not in text


def test_staff_still_read_the_whole_ticket(
    client_for: Callable[[User], Client], agent: User, furious: Ticket
) -> None:
    body = client_for(agent).get(detail(furious)).json()

    assert set(body) >= INTERNAL_FIELDS
    assert "portal_url" not in body
    assert body["challenging"] is True
    assert body["tags"] == ["difficult-customer"]
    assert body["assignee"] == {"id": agent.pk, "name": agent.display_name}
    assert any(reason["code"] == "frustration" for reason in body["priority_reasons"])


def test_it_shows_no_assignee_until_one_is_set(
    client_for: Callable[[User], Client], customer: Customer, ticket: Ticket
) -> None:
    body = client_for(customer.user).get(detail(ticket)).json()

    assert body["assignee"] is None


@pytest.mark.parametrize(
    "query",
    [
        "challenging=true",
        "tag=difficult-customer",
        "priority=low",
        "unassigned=true",
        "queue=nowhere",
        "tier=enterprise",
        "assignee=0",
    ],
)
def test_a_customer_cannot_learn_the_triage_by_filtering_on_it(
    query: str,
    client_for: Callable[[User], Client],
    customer: Customer,
    make_ticket: Callable[..., Ticket],
    furious: Ticket,
) -> None:
    calm = make_ticket(subject="A question", urgency=Priority.LOW)

    response = client_for(customer.user).get(f"{TICKETS}?{query}")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [calm.pk, furious.pk]


def test_staff_filters_still_apply_for_staff(
    client_for: Callable[[User], Client],
    agent: User,
    make_ticket: Callable[..., Ticket],
    furious: Ticket,
) -> None:
    make_ticket(subject="A question", urgency=Priority.LOW)

    response = client_for(agent).get(f"{TICKETS}?challenging=true")

    assert [row["id"] for row in response.json()["results"]] == [furious.pk]


def test_a_customer_cannot_order_by_the_priority_score(
    client_for: Callable[[User], Client],
    customer: Customer,
    agent: User,
    make_ticket: Callable[..., Ticket],
    furious: Ticket,
) -> None:
    calm = make_ticket(subject="A question", urgency=Priority.LOW)
    assert furious.priority_score > calm.priority_score

    as_customer = client_for(customer.user).get(TICKETS, {"ordering": "-priority_score"})
    as_agent = client_for(agent).get(TICKETS, {"ordering": "-priority_score"})

    # Newest first, as without the parameter; staff get the score order.
    assert [row["id"] for row in as_customer.json()["results"]] == [calm.pk, furious.pk]
    assert [row["id"] for row in as_agent.json()["results"]] == [furious.pk, calm.pk]


def test_a_customer_orders_by_what_they_can_see(
    client_for: Callable[[User], Client],
    customer: Customer,
    make_ticket: Callable[..., Ticket],
    furious: Ticket,
) -> None:
    calm = make_ticket(subject="A question")

    response = client_for(customer.user).get(TICKETS, {"ordering": "created_at"})

    assert [row["id"] for row in response.json()["results"]] == [furious.pk, calm.pk]


def test_it_never_shows_a_customer_the_internal_notes(
    client_for: Callable[[User], Client], customer: Customer, furious: Ticket
) -> None:
    response = client_for(customer.user).get(f"{detail(furious)}messages/")

    assert response.status_code == 200
    assert [m["kind"] for m in response.json()] == ["customer", "reply"]
    assert "refund pending" not in response.content.decode()


# session, user, count-free cursor page of tickets (with its joins), tags prefetch
LIST_QUERIES = 4


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_a_customers_tickets_in_a_fixed_number_of_queries(
    count: int,
    client_for: Callable[[User], Client],
    customer: Customer,
    agent: User,
    admin_user: User,
    make_ticket: Callable[..., Ticket],
    django_assert_num_queries: Any,
) -> None:
    for n in range(count):
        made = make_ticket(subject=f"Ticket {n}")
        if n % 2:
            ticket_assign(ticket=made, actor=admin_user, assignee=agent)
    client = client_for(customer.user)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(TICKETS, {"page_size": 50})

    assert len(response.json()["results"]) == count


def test_a_customer_reads_staff_authors_as_the_portal_shows_them(
    client_for: Callable[[User], Client], customer: Customer, agent: User, furious: Ticket
) -> None:
    url = f"{detail(furious)}messages/"
    as_customer = client_for(customer.user).get(url).json()
    posted = client_for(customer.user).post(
        url, {"kind": "customer", "body": "Thanks!"}, content_type="application/json"
    )
    as_agent = client_for(agent).get(url).json()

    by_staff = [m["author"] for m in as_customer if m["kind"] == "reply"]
    assert by_staff == [{"id": None, "name": agent.first_name or "Support team"}]
    own = [m["author"] for m in as_customer if m["kind"] == "customer"]
    assert own
    assert all(a["id"] == customer.user.pk for a in own)
    assert posted.json()["author"]["id"] == customer.user.pk
    staff_view = [m["author"] for m in as_agent if m["kind"] == "reply"]
    assert staff_view == [{"id": agent.pk, "name": agent.display_name}]
