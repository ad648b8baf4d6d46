"""API throttles: DRF's rates and keys, counted in one cache round trip a request.

Its own module, not helpdesk.api: DRF imports the throttle classes while it builds
APIView, so this module must not import rest_framework.views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from helpdesk.resilience import redis_failed, redis_usable

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def window_hit(key: str, seconds: int) -> tuple[int, float] | None:
    """Count one request on `key`: (requests in its window, seconds until the window ends).

    The window opens with the first request and lasts `seconds`. On Redis, one round trip:
    SET NX EX starts the window, INCR counts, PTTL says when it ends, inside MULTI so the
    key cannot expire between them and be recreated without an expiry. None when the
    cache cannot count (Redis down or skipped by the breaker): callers let the request in.
    """
    if not redis_usable():
        return None
    # `django.core.cache.cache` is a proxy: isinstance() sees the proxy, never the Redis
    # backend behind it, and every request took the three-call path below.
    backend = caches[DEFAULT_CACHE_ALIAS] if isinstance(cache, ConnectionProxy) else cache
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        try:
            pipe = backend._cache.get_client(full_key, write=True).pipeline(transaction=True)
            pipe.set(full_key, 0, ex=seconds, nx=True)
            pipe.incr(full_key)
            pipe.pttl(full_key)
            _, hits, ttl_ms = pipe.execute()
        except (RedisError, OSError) as exc:
            redis_failed(exc)
            return None
        return int(hits), max(int(ttl_ms), 0) / 1000
    # No Redis configured (the zero-setup default's in-memory cache): the same count, in
    # two calls, with the whole window as the wait.
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key), float(seconds)
    except ValueError:  # evicted in between
        return None


class WindowCountThrottle(SimpleRateThrottle):
    """DRF's rate syntax and keys, counted in one cache round trip instead of two.

    DRF keeps a list of timestamps per caller: a GET and a SET of the whole list on every
    request. A counter per window is one INCR. The limit is the same number per window;
    the window starts at the caller's first request rather than sliding, so a caller can
    at most send two budgets back to back across a window's end.
    """

    _wait = 0.0

    def allow_request(self, request: Request, view: APIView) -> bool:
        limit, seconds = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if limit is None or seconds is None or key is None:
            return True
        # Not DRF's key: a list of timestamps left there by DRF's throttle cannot be INCRed.
        counted = window_hit(f"{key}:n", seconds)
        if counted is None:
            return True  # fail open, as every limit in the app does without its cache
        hits, self._wait = counted
        return hits <= limit

    def wait(self) -> float:
        return self._wait


class AnonThrottle(WindowCountThrottle, AnonRateThrottle):
    """Anonymous callers, by address, at the "anon" rate."""


class UserThrottle(WindowCountThrottle, UserRateThrottle):
    """Signed-in callers (token or session), by account, at the "user" rate."""
