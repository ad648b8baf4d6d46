"""Failed API-token attempts, counted per client address in the cache.

DRF authenticates before it throttles, so a caller presenting wrong keys never reaches the
throttles: without this, each guess costs a token lookup and is answered 401 forever. An
address that failed ATTUNE_API_BAD_TOKEN_RATE times in a window is refused with 429 until
the window ends, before any lookup, even if its next key is a good one (a guess that
finally matches must not get in). Fixed windows in the cache, as tickets.ratelimit.

Fails open: while the cache is unusable nothing is counted and nobody is refused, as with
every other limit in the app (see helpdesk.resilience).
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from helpdesk.resilience import redis_failed, redis_usable

_clock = time.time  # wall-clock windows shared by every process; tests move it


def _window() -> tuple[int, int]:
    limit, seconds = settings.ATTUNE_API_BAD_TOKEN_RATE
    return int(limit), int(seconds)


def _key(ip: str, bucket: int) -> str:
    # Hashed, so the cache never lists the addresses it has seen.
    digest = hashlib.sha256(ip.encode()).hexdigest()[:32]
    return f"rl:bad-token:{digest}:{bucket}"


def bad_token_retry_after(ip: str) -> int | None:
    """Seconds until `ip` may try a token again, or None if it is under the limit."""
    limit, seconds = _window()
    now = _clock()
    bucket = int(now // seconds)
    if not redis_usable():
        return None
    try:
        failures = cache.get(_key(ip, bucket))
    except Exception as exc:  # a cache that is down refuses nobody
        redis_failed(exc)
        return None
    if failures is None or int(failures) < limit:
        return None
    return max(1, math.ceil((bucket + 1) * seconds - now))


def bad_token_record(ip: str) -> None:
    """Counts one failed attempt from `ip` in the current window."""
    _, seconds = _window()
    key = _key(ip, int(_clock() // seconds))
    if not redis_usable():
        return
    try:
        if not cache.add(key, 1, timeout=seconds + 60):
            cache.incr(key)
    except Exception as exc:  # the count is lost, the request is answered as usual
        redis_failed(exc)
