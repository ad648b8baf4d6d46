"""The cost of one API ticket creation, and the token lookup that makes it cheap."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts import authentication
from accounts.models import ApiToken, User
from accounts.services import api_token_create
from tickets.models import Customer, EventKind, Queue, SlaPolicy, Ticket

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/"


def payload(**fields: Any) -> dict[str, Any]:
    return {
        "subject": "Export stops",
        "body": "Hi, the export stops at half of the rows. This is really frustrating.",
        "requester_email": "anna@example.com",
        "requester_name": "Anna Berg",
        **fields,
    }


@pytest.fixture
def bearer(agent: User, queue: Queue, settings: Any) -> Client:
    settings.ATTUNE_DEFAULT_QUEUE = queue.slug
    _, key = api_token_create(user=agent, name="integration")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


# Default queue with the caller's membership, customer's user with its customer (one
# join), repeat contacts, ticket, message, "created" event; plus two savepoints and their
# releases (the view's and ticket_create's). The token and the SLA policies come from
# caches warmed by the first request; the ticket is not read back, and its tags are the
# ones just set (none here), kept on it without a query.
CREATE_QUERIES = 10


def test_it_creates_a_ticket_in_a_fixed_number_of_queries(
    bearer: Client, customer: Customer, django_assert_num_queries: Any
) -> None:
    assert bearer.post(TICKETS, payload(), content_type="application/json").status_code == 201

    with django_assert_num_queries(CREATE_QUERIES):
        response = bearer.post(
            TICKETS,
            payload(requester_email=customer.user.email, subject="Invoice twice"),
            content_type="application/json",
        )

    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.requester == customer
    assert ticket.priority_score == response.json()["priority_score"] > 0
    assert ticket.first_response_due is not None
    assert response.json()["requester"]["email"] == customer.user.email
    assert [e.kind for e in ticket.events.all()] == [EventKind.CREATED]


def test_the_answer_is_the_ticket_as_stored(bearer: Client) -> None:
    response = bearer.post(
        TICKETS, payload(tags=["Export", "csv"]), content_type="application/json"
    )

    stored = bearer.get(f"{TICKETS}{response.json()['id']}/")
    assert response.json() == stored.json()
    assert response.json()["tags"] == ["csv", "export"]


def test_a_new_sla_policy_applies_to_the_next_ticket(bearer: Client, queue: Queue) -> None:
    first = bearer.post(TICKETS, payload(), content_type="application/json").json()
    SlaPolicy.objects.create(
        priority="normal",
        tier="standard",
        first_response_minutes=30,
        next_response_minutes=60,
        resolution_minutes=600,
    )

    second = bearer.post(TICKETS, payload(), content_type="application/json").json()

    assert second["first_response_due"] < first["first_response_due"]


def test_a_token_revoked_by_another_process_is_refused_within_seconds(
    agent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(authentication, "_clock", lambda: now[0])
    token, key = api_token_create(user=agent, name="integration")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(TICKETS).status_code == 200
    # No signal reaches this process: as if revoked through another gunicorn worker.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    now[0] += authentication.TOKEN_CACHE_SECONDS - 1
    assert client.get(TICKETS).status_code == 200
    now[0] += 1
    assert client.get(TICKETS).status_code == 401


def test_a_token_revoked_in_this_process_is_refused_at_once(agent: User) -> None:
    token, key = api_token_create(user=agent, name="integration")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(TICKETS).status_code == 200

    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])

    assert client.get(TICKETS).status_code == 401


def test_a_cached_token_still_gives_each_request_its_own_user(agent: User) -> None:
    _, key = api_token_create(user=agent, name="integration")

    first, second = authentication.token_user(key), authentication.token_user(key)

    assert first == second == agent
    assert first is not second
