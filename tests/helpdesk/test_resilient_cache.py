"""The cache behind the Redis breaker: an outage is a cache miss, never an error or a stall.

A "frozen" Redis is a socket that accepts connections and never answers, which is what a
SIGSTOPped redis-server looks like from the client (the kernel still completes the TCP
handshake); a "dead" one is a port nobody listens on.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from helpdesk import resilience
from helpdesk.resilience import ResilientRedisCache

TIMEOUT = 1


def cache_at(port: int) -> ResilientRedisCache:
    return ResilientRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT}},
    )


@pytest.fixture
def frozen_port() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []

    def accept_and_stay_silent() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            accepted.append(conn)

    threading.Thread(target=accept_and_stay_silent, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in accepted:
        conn.close()


@pytest.fixture
def dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: nothing listens there


def test_a_frozen_redis_costs_one_socket_timeout_then_the_cache_is_skipped(frozen_port) -> None:
    cache = cache_at(frozen_port)

    started = time.monotonic()
    assert cache.get("throttle:user:1", []) == []
    first = time.monotonic() - started
    assert first < TIMEOUT + 1.5  # bounded by the socket timeout, not hanging
    assert not resilience.redis_usable()

    started = time.monotonic()
    cache.set("throttle:user:1", [1.0], 60)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("rl:key", 1) is False
    assert time.monotonic() - started < 0.1  # the breaker is open: no socket touched


def test_a_dead_redis_reads_as_a_miss_and_drops_writes(dead_port) -> None:
    cache = cache_at(dead_port)

    assert cache.get("k", "default") == "default"
    assert cache.has_key("k") is False
    assert not resilience.redis_usable()
    assert cache.delete("k") is False
    cache.delete_many(["k"])
    assert cache.touch("k") is False
    assert cache.set_many({"k": 1}) == ["k"]  # the keys that were not stored


def test_incr_raises_like_a_missing_key_while_redis_is_down(dead_port) -> None:
    cache = cache_at(dead_port)

    with pytest.raises(ValueError, match="Redis is unavailable"):
        cache.incr("rl:key")
    with pytest.raises(
        ValueError, match="Redis is unavailable"
    ):  # breaker open: refused without a connection attempt
        cache.incr("rl:key")


def test_the_cache_is_used_again_once_the_breaker_closes(dead_port, monkeypatch) -> None:
    cache = cache_at(dead_port)
    cache.get("k")
    assert not resilience.redis_usable()
    calls: list[str] = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCache.get",
        lambda self, key, default=None, version=None: calls.append(key) or "fresh",
    )

    assert cache.get("k") is None  # still open: Redis is not asked
    real_monotonic = time.monotonic
    monkeypatch.setattr(
        resilience.time, "monotonic", lambda: real_monotonic() + resilience.open_seconds() + 1
    )
    assert cache.get("k") == "fresh"
    assert calls == ["k"]
