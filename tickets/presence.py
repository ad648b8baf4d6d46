"""Who is looking at or answering a ticket right now (collision detection).

Kept in the cache (Redis in production), never in the database: it is ephemeral and
rebuilt by the next heartbeat. A lost update between two concurrent heartbeats only
delays a name by one beat.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from helpdesk.resilience import redis_failed, redis_usable

HEARTBEAT_SECONDS = 10
STALE_AFTER_SECONDS = 30
MODES = ("viewing", "replying")


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    mode: str


def _key(ticket_id: int) -> str:
    return f"presence:ticket:{ticket_id}"


def presence_beat(*, ticket_id: int, user_id: int, name: str, mode: str) -> list[Present]:
    """Record that `user_id` is on the ticket; return the *other* people present."""
    mode = mode if mode in MODES else "viewing"
    now = time.time()
    if not redis_usable():
        return []
    try:
        entries: dict[int, tuple[str, str, float]] = cache.get(_key(ticket_id)) or {}
        entries = {
            uid: entry for uid, entry in entries.items() if now - entry[2] < STALE_AFTER_SECONDS
        }
        entries[user_id] = (name, mode, now)
        cache.set(_key(ticket_id), entries, timeout=STALE_AFTER_SECONDS * 2)
    except Exception as exc:  # the cache is down: collision hints are a nicety
        redis_failed(exc)
        return []
    return [
        Present(user_id=uid, name=entry[0], mode=entry[1])
        for uid, entry in sorted(entries.items())
        if uid != user_id
    ]


def presence_leave(*, ticket_id: int, user_id: int) -> None:
    try:
        entries = cache.get(_key(ticket_id)) or {}
        entries.pop(user_id, None)
        cache.set(_key(ticket_id), entries, timeout=STALE_AFTER_SECONDS * 2)
    except Exception:  # noqa: S110 - see presence_beat
        pass
