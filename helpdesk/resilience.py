"""A circuit breaker for Redis, so a dead or frozen broker costs one request, not all.

When publishing a task or touching the cache fails, we remember it for a short while and
skip Redis entirely meanwhile: the work is not lost (the outbox sweep delivers it once
Redis is back), and customers' requests stay fast instead of each waiting for a socket
timeout. Per process and in memory on purpose: no shared state to lose.

`ResilientRedisCache` puts every cache call behind the same breaker, so code we do not
own (DRF's throttles read the cache on every API request) cannot turn a Redis outage
into server errors or into a socket timeout per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_down_until = 0.0

T = TypeVar("T")


def redis_usable() -> bool:
    return time.monotonic() >= _down_until


def open_seconds() -> float:
    """How long Redis is skipped after a failure (ATTUNE_REDIS_BREAKER_SECONDS)."""
    return float(settings.ATTUNE_REDIS_BREAKER_SECONDS)


def redis_failed(exc: BaseException | None = None) -> None:
    global _down_until
    with _lock:
        already_open = time.monotonic() < _down_until
        _down_until = time.monotonic() + open_seconds()
    if not already_open:
        logger.warning(
            "Redis unavailable (%s); skipping it for %.0f s, the outbox sweep catches up.",
            type(exc).__name__ if exc else "error",
            open_seconds(),
        )


def reset() -> None:
    """Close the breaker (tests, or after an operator fixed Redis)."""
    global _down_until
    with _lock:
        _down_until = 0.0


def _guarded(call: Callable[[], T], fallback: T) -> T:
    if not redis_usable():
        return fallback
    try:
        return call()
    except (RedisError, OSError) as exc:
        redis_failed(exc)
        return fallback


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that degrades to "always a miss" while Redis is unusable.

    A read returns the default, a write is dropped (as if evicted at once) and `add`
    reports nothing stored. `incr` still raises, as it does for a missing key: no caller
    can do anything sensible with an invented count.
    """

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return _guarded(lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return _guarded(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return _guarded(lambda: RedisCache.has_key(self, key, version), False)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return _guarded(lambda: RedisCache.add(self, key, value, timeout, version), False)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        _guarded(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return _guarded(lambda: RedisCache.set_many(self, data, timeout, version), list(data))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return _guarded(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return _guarded(lambda: RedisCache.delete(self, key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        _guarded(lambda: RedisCache.delete_many(self, keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        if not redis_usable():
            raise ValueError(f"Key '{key}' not found (Redis is unavailable).")
        try:
            return RedisCache.incr(self, key, delta, version)
        except (RedisError, OSError) as exc:
            redis_failed(exc)
            raise ValueError(f"Key '{key}' not found (Redis is unavailable).") from exc
