"""Failed API-token attempts are limited per client address (accounts.bad_tokens)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts import bad_tokens
from accounts.models import User
from accounts.services import api_token_create
from helpdesk import resilience

TICKETS = "/api/v1/tickets/"
ATTACKER, OTHER = "203.0.113.7", "198.51.100.9"


@pytest.fixture(autouse=True)
def _rate(settings: Any) -> None:
    settings.ATTUNE_API_BAD_TOKEN_RATE = (20, 60)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The limiter's clock, at the start of a window; tests move it by assigning now[0]."""
    now = [6_000_000.0]
    monkeypatch.setattr(bad_tokens, "_clock", lambda: now[0])
    return now


def bad_key(ip: str, n: int = 0) -> int:
    client = Client(headers={"Authorization": f"Bearer atn_wrong{n}"}, REMOTE_ADDR=ip)
    return client.get(TICKETS).status_code


def good_client(user: User, ip: str) -> Client:
    _, key = api_token_create(user=user, name="integration")
    return Client(headers={"Authorization": f"Bearer {key}"}, REMOTE_ADDR=ip)


def test_the_21st_bad_key_in_a_minute_gets_429_with_retry_after_and_the_error_body(
    db: None, clock: list[float]
) -> None:
    statuses = [bad_key(ATTACKER, n) for n in range(20)]
    clock[0] += 15

    refused = Client(headers={"Authorization": "Bearer atn_wrong21"}, REMOTE_ADDR=ATTACKER).get(
        TICKETS
    )

    assert statuses == [401] * 20
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert refused.json() == {
        "error": {
            "code": "throttled",
            "message": "Too many invalid API tokens. Expected available in 45 seconds.",
        }
    }


def test_a_refused_address_costs_no_token_lookup(
    db: None, clock: list[float], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):  # the lookup that fails
        assert bad_key(ATTACKER) == 401
    for n in range(19):
        bad_key(ATTACKER, n)

    with django_assert_num_queries(0):
        assert bad_key(ATTACKER) == 429


def test_a_good_token_from_another_address_still_works(agent: User, clock: list[float]) -> None:
    for n in range(21):
        bad_key(ATTACKER, n)

    assert good_client(agent, OTHER).get(TICKETS).status_code == 200


def test_a_good_token_from_the_refused_address_waits_like_a_guess(
    agent: User, clock: list[float]
) -> None:
    """Otherwise the guess that finally matches would get in."""
    for n in range(20):
        bad_key(ATTACKER, n)

    assert good_client(agent, ATTACKER).get(TICKETS).status_code == 429


def test_the_limit_resets_with_the_next_window(agent: User, clock: list[float]) -> None:
    for n in range(21):
        bad_key(ATTACKER, n)
    clock[0] += 60

    assert bad_key(ATTACKER) == 401
    assert good_client(agent, ATTACKER).get(TICKETS).status_code == 200


def test_good_tokens_and_sessions_do_not_count(agent: User, clock: list[float]) -> None:
    client = good_client(agent, ATTACKER)
    session = Client(REMOTE_ADDR=ATTACKER)
    session.force_login(agent)

    statuses = {client.get(TICKETS).status_code for _ in range(21)}
    statuses |= {session.get(TICKETS).status_code for _ in range(21)}

    assert statuses == {200}
    assert bad_key(ATTACKER) == 401


def test_it_fails_open_while_the_cache_is_unusable(db: None, clock: list[float]) -> None:
    resilience.redis_failed()

    statuses = [bad_key(ATTACKER, n) for n in range(25)]

    assert statuses == [401] * 25


class CounterReads:
    """The cache as bad_tokens sees it, noting every read of a failed-token counter."""

    def __init__(self, cache: Any) -> None:
        self.cache, self.reads = cache, 0

    def get(self, key: str, default: Any = None) -> Any:
        self.reads += 1
        return self.cache.get(key, default)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cache, name)


def test_a_key_accepted_seconds_ago_skips_the_counter_read(
    agent: User, clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy integration's requests cost no cache round trip for the guess counter."""
    counter = CounterReads(bad_tokens.cache)
    monkeypatch.setattr(bad_tokens, "cache", counter)
    client = good_client(agent, ATTACKER)

    assert client.get(TICKETS).status_code == 200
    assert counter.reads == 1  # a key this process has not accepted yet is checked
    assert client.get(TICKETS).status_code == 200
    assert counter.reads == 1


def test_an_unknown_key_is_still_refused_once_the_address_is_over_the_limit(
    agent: User, clock: list[float]
) -> None:
    """Keys accepted before skip the count; no other key does, however the guesses go."""
    client = good_client(agent, ATTACKER)
    assert client.get(TICKETS).status_code == 200
    for n in range(20):
        bad_key(ATTACKER, n)

    assert bad_key(ATTACKER, 99) == 429
    assert good_client(agent, ATTACKER).get(TICKETS).status_code == 429
