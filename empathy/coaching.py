"""Live coaching: score an unsent draft against what the customer said last.

The reply editor asks on every pause in typing, so this path is kept to one SQL query
after authentication (ticket access, the customer's latest message and the team's
calibrated thresholds together) and no cache round-trips: its rate limit lives in process
memory. The browser view and the API both call `coach_draft`, so they share the access
rule, the limit and the analysis.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404

from accounts.models import User
from empathy.analyzer import AnalysisResult, analyze
from empathy.calibration import calibrate_result, thresholds_from_json
from empathy.team_calibration import latest_thresholds
from tickets.access import is_staff_user, tickets_visible_to
from tickets.models import Message, MessageKind


class CoachingThrottled(Exception):
    """Too many drafts from one user; retry after `wait` seconds."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"Too many coaching requests; retry in {wait:.0f} s.")
        self.wait = wait


class TokenBuckets:
    """A token bucket per user, in this process's memory.

    Each web worker keeps its own buckets, so a user gets at most `workers x rate` drafts
    a minute in total: still a bound, without a Redis round-trip on every keystroke
    pause. Only the most recently seen users are kept, so memory stays bounded; a user
    evicted from the table starts again with a full bucket.
    """

    def __init__(
        self, *, max_users: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_users = max_users
        self._clock = clock
        self._buckets: OrderedDict[int, tuple[float, float]] = OrderedDict()
        # Threaded servers (runserver, gthread workers) share one table.
        self._lock = threading.Lock()

    def take(self, key: int, *, per_minute: int) -> float:
        """Take a token for `key`: 0 when allowed, else the seconds until the next one."""
        now = self._clock()
        refill = per_minute / 60.0
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - at) * refill)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / refill
            self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
            if len(self._buckets) > self._max_users:
                self._buckets.popitem(last=False)
        return wait

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()


_buckets = TokenBuckets()


def coach_limits_reset() -> None:
    """Forget every user's recent drafts (tests, or after changing the rate)."""
    _buckets.clear()


def _ticket_context(*, user: User, ticket_id: int) -> tuple[str | None, dict[str, Any] | None]:
    """The ticket's latest customer message and the thresholds of `user`'s team
    calibration, if `user` may open the ticket; else 404.

    One query: the access rule, the message and the thresholds come back together, and a
    ticket the user may not see is indistinguishable from one that does not exist.
    """
    latest = (
        Message.objects.filter(ticket_id=OuterRef("pk"), kind=MessageKind.CUSTOMER)
        .order_by("-created_at", "-pk")
        .values("body")[:1]
    )
    rows = list(
        tickets_visible_to(user)
        .filter(pk=ticket_id)
        .values_list(Subquery(latest), Subquery(latest_thresholds(user)))[:1]
    )
    if not rows:
        raise Http404("No such ticket.")
    body, thresholds = rows[0]
    return body, thresholds


def coach_draft(
    *,
    user: User,
    draft: str,
    ticket_id: int | None = None,
    customer_message: str | None = None,
) -> AnalysisResult:
    """Score `draft` for `user`, who must be staff; stores nothing.

    With `ticket_id`, the context is that ticket's latest customer message (404 if the
    user may not open it) and any `customer_message` given is ignored. Component levels
    are presented on the thresholds of the user's team calibration, as on the dashboard,
    the review page and My empathy, so a draft is not read on another scale than the sent
    reply will be. Raises PermissionDenied for non-staff and CoachingThrottled past
    ATTUNE_COACH_RATE.
    """
    if not is_staff_user(user):
        raise PermissionDenied("Coaching is for support staff.")
    wait = _buckets.take(user.pk, per_minute=settings.ATTUNE_COACH_RATE)
    if wait:
        raise CoachingThrottled(wait)
    if ticket_id is not None:
        customer_message, thresholds = _ticket_context(user=user, ticket_id=ticket_id)
    else:
        latest = latest_thresholds(user).first()
        thresholds = latest["thresholds"] if latest else None
    result = analyze(draft, customer_message)
    return calibrate_result(result, thresholds_from_json(thresholds)) if thresholds else result
