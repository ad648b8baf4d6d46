"""Fixed-window rate limits on the cache (Redis in production)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

from helpdesk.resilience import redis_failed, redis_usable


def hit(scope: str, key: str, *, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt; False once `limit` attempts happened in the current window.

    Keys are hashed so an email address never appears in the cache verbatim.
    """
    bucket = int(time.time() // window_seconds)
    digest = hashlib.sha256(key.lower().encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{bucket}"
    if not redis_usable():
        return True
    try:
        if cache.add(cache_key, 1, timeout=window_seconds + 60):
            return True
        return cache.incr(cache_key) <= limit
    except Exception as exc:  # the cache is down: fail open rather than refuse every customer
        redis_failed(exc)
        return True
