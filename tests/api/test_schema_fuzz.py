"""Fuzz every operation of the published OpenAPI schema, once per role.

Schemathesis drives the Django WSGI app in-process, so requests share the test's
database transaction and see the fixtures below. Each role authenticates with a
personal API token, the way integrations do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from schemathesis import checks

from accounts.models import User
from accounts.services import api_token_create
from empathy.models import Review
from empathy.services import reply_score, review_save
from helpdesk.wsgi import application
from tickets.models import Customer, Queue, Ticket
from tickets.services import ticket_note_add, ticket_reply


class World(NamedTuple):
    headers: dict[str, str]
    ticket_ids: list[int]
    token_ids: list[int]
    review_ids: list[int]


# Checks that a response must pass: no 5xx, documented status, body and content type.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


# Loaded once at collection: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    application,
    config=schemathesis.Config.from_dict(
        # Fuzzing only (valid and invalid data): the coverage phase's ~200 boundary cases per
        # operation and role would take the file past its time budget.
        {"phases": {"coverage": {"enabled": False}}}
    ),
)


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    # The WSGI handler closes the connection after each request; the test's transaction
    # (and its fixtures) must survive, as Django's own test client arranges.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(
    agent: User,
    manager: User,
    customer: Customer,
    other_customer: Customer,
    other_queue: Queue,
    make_ticket: Callable[..., Ticket],
) -> Callable[[str], World]:
    """A small desk: tickets in two queues for two customers, a reviewed reply, a note, tokens."""
    mine = make_ticket(subject="Export stops at 40%")
    make_ticket(subject="Second one", tags=["billing"])
    make_ticket(requester=other_customer, queue=other_queue, subject="Someone else's")
    reply = ticket_reply(ticket=mine, author=agent, body="I am sorry, that sounds frustrating.")
    score = reply_score(message=reply)
    assert score is not None
    levels: dict[str, int | None] = dict.fromkeys(("listening", "validation", "reflection", "tone"))
    review_save(score=score, reviewer=manager, levels=levels, feedback="Good.", exemplary=False)
    ticket_note_add(ticket=mine, author=agent, body="Internal: check the worker logs.")
    users = {"customer": customer.user, "agent": agent, "manager": manager}
    made: dict[str, World] = {}

    def for_role(role: str) -> World:
        # Hypothesis calls the test once per example: create the token once per role.
        if role not in made:
            headers: dict[str, str] = {}
            token_ids: list[int] = []
            if role in users:
                _, key = api_token_create(user=users[role], name="fuzz")
                headers = {"Authorization": f"Bearer {key}"}
                # DELETE is aimed at a spare: revoking the key in use would end the run.
                spare, _ = api_token_create(user=users[role], name="spare")
                token_ids.append(spare.pk)
            made[role] = World(
                headers,
                sorted(Ticket.objects.values_list("pk", flat=True)),
                token_ids,
                sorted(Review.objects.values_list("pk", flat=True)),
            )
        return made[role]

    return for_role


def _aim(value: object, known: list[int]) -> object:
    """Point half of the generated ids at rows that exist, so more than 404 is explored."""
    if known and isinstance(value, int) and value % 2 == 0:
        return known[(value // 2) % len(known)]
    return value


def _call(case: schemathesis.Case, world: World) -> None:
    params = case.path_parameters or {}
    if "ticket_id" in params:
        params["ticket_id"] = _aim(params["ticket_id"], world.ticket_ids)
    if "token_id" in params:
        params["token_id"] = _aim(params["token_id"], world.token_ids)
    if "review_id" in params:
        params["review_id"] = _aim(params["review_id"], world.review_ids)
    # Rate limits are real but not what is fuzzed here: start every call with a fresh budget.
    cache.clear()
    case.call_and_validate(app=application, headers=world.headers, checks=CHECKS)


FUZZ = hypothesis.settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_it_fuzzes_as_anonymous(case: schemathesis.Case, world: Callable[[str], World]) -> None:
    _call(case, world("anonymous"))


@schema.parametrize()
@FUZZ
def test_it_fuzzes_as_customer(case: schemathesis.Case, world: Callable[[str], World]) -> None:
    _call(case, world("customer"))


@schema.parametrize()
@FUZZ
def test_it_fuzzes_as_agent(case: schemathesis.Case, world: Callable[[str], World]) -> None:
    _call(case, world("agent"))


@schema.parametrize()
@FUZZ
def test_it_fuzzes_as_manager(case: schemathesis.Case, world: Callable[[str], World]) -> None:
    _call(case, world("manager"))


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("customer", 200), ("agent", 200)]
)
def test_it_fuzzes_with_working_credentials(
    role: str, status: int, world: Callable[[str], World]
) -> None:
    """Guards the fuzz itself: a role whose key failed would only ever see 401."""
    response = Client(headers=world(role).headers).get("/api/v1/tokens/")

    assert response.status_code == status


def test_it_documents_the_errors_of_the_webhook_api() -> None:
    document = schemathesis.openapi.from_wsgi("/api/schema/", application).raw_schema
    for path, item in document["paths"].items():
        if path.startswith("/api/v1/webhooks/"):
            for operation in item.values():
                assert {"401", "403"} <= set(operation["responses"]), path
