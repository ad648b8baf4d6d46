"""The API's `q` filter is the same full-text search as the search page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from tickets.models import Customer, Queue, Ticket
from tickets.services import ticket_note_add, ticket_reply

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/"
# session, user, the cursor page of tickets (with its joins), tags prefetch: as without q.
SEARCH_QUERIES = 4


def found(client: Client, query: str) -> set[int]:
    response = client.get(TICKETS, {"q": query})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_it_searches_subjects_and_conversations(
    make_ticket: Callable[..., Ticket],
    client_for: Callable[[User], Client],
    agent: User,
    other_queue: Queue,
) -> None:
    printer = make_ticket(subject="Printer jams", body="Paper stuck.")
    export = make_ticket(subject="Export stops", body="The CSV export stops at 40%.")
    make_ticket(subject="Printer elsewhere", queue=other_queue)
    ticket_reply(ticket=export, author=agent, body="Which printer driver do you use?")
    client = client_for(agent)
    assert found(client, "printer") == {printer.pk, export.pk}
    assert found(client, "printer driver") == {export.pk}


def test_a_customer_never_matches_an_internal_note(
    make_ticket: Callable[..., Ticket],
    client_for: Callable[[User], Client],
    agent: User,
    customer: Customer,
) -> None:
    ticket = make_ticket(subject="Refund", body="Where is my refund?")
    ticket_note_add(ticket=ticket, author=agent, body="Customer flagged for chargeback abuse.")
    assert found(client_for(agent), "chargeback") == {ticket.pk}
    assert found(client_for(customer.user), "chargeback") == set()
    # A word in both a note and a public message is still found through the public one.
    ticket_note_add(ticket=ticket, author=agent, body="Refund approved by finance.")
    assert found(client_for(customer.user), "refund finance") == set()
    assert found(client_for(customer.user), "refund") == {ticket.pk}


@pytest.mark.parametrize("count", [3, 30])
def test_it_searches_in_a_fixed_number_of_queries(
    count: int,
    make_ticket: Callable[..., Ticket],
    client_for: Callable[[User], Client],
    agent: User,
    django_assert_num_queries: Any,
) -> None:
    for n in range(count):
        make_ticket(subject=f"Printer {n}", body="The printer jams.", tags=["hardware"])
    client = client_for(agent)
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(TICKETS, {"q": "printer", "page_size": 50})
    assert len(response.json()["results"]) == count
