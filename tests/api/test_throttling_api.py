"""Throttling: anonymous callers by address, token and session users by account."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import Role, User
from accounts.services import api_token_create

TICKETS = "/api/v1/tickets/"


@pytest.fixture(autouse=True)
def _fresh_budget() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def low_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF copies DEFAULT_THROTTLE_RATES onto the class at import, so settings overrides
    # would not reach it: the test lowers the copy the throttles read.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})


def bearer(user: User) -> Client:
    _, key = api_token_create(user=user, name="throttled")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_it_throttles_a_token_after_its_budget_with_the_error_body(
    low_rates: None, agent: User
) -> None:
    client = bearer(agent)

    statuses = [client.get(TICKETS).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = client.get(TICKETS)
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


def test_it_counts_per_user_not_per_token(low_rates: None, agent: User) -> None:
    """A second token does not buy a second budget."""
    first, second = bearer(agent), bearer(agent)

    statuses = [c.get(TICKETS).status_code for c in (first, second, first, second)]

    assert statuses == [200, 200, 200, 429]


def test_one_users_budget_is_not_anothers(
    low_rates: None, agent: User, make_user: Callable[..., User]
) -> None:
    client = bearer(agent)
    for _ in range(3):
        client.get(TICKETS)

    response = bearer(make_user(Role.AGENT)).get(TICKETS)

    assert response.status_code == 200


def test_it_throttles_anonymous_callers_where_they_are_let_in(low_rates: None, db: None) -> None:
    """The schema is public; every other endpoint refuses anonymous callers with a 401."""
    client = Client()

    statuses = [client.get("/api/schema/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_it_throttles_token_creation_too(low_rates: None, agent: User) -> None:
    client = bearer(agent)

    statuses = [
        client.post(
            "/api/v1/tokens/", {"name": f"t{n}"}, content_type="application/json"
        ).status_code
        for n in range(4)
    ]

    assert statuses == [201, 201, 201, 429]
