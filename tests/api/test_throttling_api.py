"""Throttling: anonymous callers by address, token and session users by account."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from redis.connection import AbstractConnection
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import Role, User
from accounts.services import api_token_create
from helpdesk import resilience, throttling
from helpdesk.resilience import ResilientRedisCache
from helpdesk.throttling import window_hit

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


def test_it_lets_everyone_in_while_the_cache_is_unusable(low_rates: None, agent: User) -> None:
    client = bearer(agent)
    resilience.redis_failed()

    statuses = [client.get(TICKETS).status_code for _ in range(5)]

    assert statuses == [200] * 5


@pytest.fixture
def on_redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[ResilientRedisCache]:
    """The throttles on the production cache: Redis behind the breaker (tests use memory)."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    redis_cache = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-throttle"})
    redis_cache.clear()
    monkeypatch.setattr(throttling, "cache", redis_cache)
    yield redis_cache
    redis_cache.clear()


def test_it_throttles_on_redis_too(low_rates: None, agent: User, on_redis: Any) -> None:
    client = bearer(agent)

    statuses = [client.get(TICKETS).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert 0 < int(client.get(TICKETS)["Retry-After"]) <= 60


def test_a_request_is_counted_in_one_redis_round_trip(
    on_redis: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DRF's own throttle reads and rewrites a list of timestamps: two round trips."""
    window_hit("throttle_user_1:n", 60)  # the connection is opened (and its database chosen)
    sent: list[Any] = []
    send: Any = AbstractConnection.send_packed_command

    def counting(self: AbstractConnection, command: Any, check_health: bool = True) -> None:
        sent.append(command)
        send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)

    counted = window_hit("throttle_user_1:n", 60)

    assert len(sent) == 1
    assert counted is not None
    assert counted[0] == 2
    assert 59 < counted[1] <= 60


def test_the_window_ends_with_its_expiry_and_counting_starts_again(on_redis: Any) -> None:
    window_hit("throttle_user_2:n", 60)
    on_redis.delete("throttle_user_2:n")  # as Redis does when the window's expiry passes

    counted = window_hit("throttle_user_2:n", 60)

    assert counted is not None
    assert counted[0] == 1


def test_a_window_key_always_carries_its_expiry(on_redis: Any) -> None:
    """Otherwise a caller who reached the limit would be refused forever."""
    window_hit("throttle_user_3:n", 60)

    client = on_redis._cache.get_client(write=True)
    assert 0 < client.pttl(on_redis.make_and_validate_key("throttle_user_3:n")) <= 60_000


def test_the_configured_redis_cache_is_counted_in_one_round_trip_too(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Production reaches the cache through Django's `cache` proxy, not an instance."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    settings.CACHES = {
        "default": {
            "BACKEND": "helpdesk.resilience.ResilientRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": "test-throttle-proxy",
        }
    }
    window_hit("throttle_user_4:n", 60)  # the connection is opened
    sent: list[Any] = []
    send: Any = AbstractConnection.send_packed_command

    def counting(self: AbstractConnection, command: Any, check_health: bool = True) -> None:
        sent.append(command)
        send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)

    counted = window_hit("throttle_user_4:n", 60)

    assert len(sent) == 1
    assert counted is not None
    assert counted[0] == 2
    cache.delete("throttle_user_4:n")
