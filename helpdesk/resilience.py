"""A circuit breaker for Redis, so a dead or frozen broker costs one request, not all.

When publishing a task or touching the cache fails, we remember it for a short while and
skip Redis entirely meanwhile: the work is not lost (the outbox sweep delivers it once
Redis is back), and customers' requests stay fast instead of each waiting for a socket
timeout. Per process and in memory on purpose: no shared state to lose.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)

OPEN_SECONDS = 30.0

_lock = threading.Lock()
_down_until = 0.0


def redis_usable() -> bool:
    return time.monotonic() >= _down_until


def redis_failed(exc: BaseException | None = None) -> None:
    global _down_until
    with _lock:
        already_open = time.monotonic() < _down_until
        _down_until = time.monotonic() + OPEN_SECONDS
    if not already_open:
        logger.warning(
            "Redis unavailable (%s); skipping it for %.0f s, the outbox sweep catches up.",
            type(exc).__name__ if exc else "error",
            OPEN_SECONDS,
        )


def reset() -> None:
    """Close the breaker (tests, or after an operator fixed Redis)."""
    global _down_until
    with _lock:
        _down_until = 0.0
