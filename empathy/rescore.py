"""Bring history up to the current analyzer version: score every public reply that has no
score (and no recorded failure) for `VERSION`, in batches, resumably.

Used by `manage.py empathy_rescore` and by the `empathy.tasks.rescore_stale` beat task.
Each reply goes through `reply_score_or_record_failure`, the function the live outbox path
uses, so a re-scored reply lands in the same rollups, exactly once: its unique (message,
version) key makes a reply scored concurrently by the live path a no-op here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from empathy.analyzer import VERSION
from empathy.models import ReplyScore, ScoringFailure
from empathy.services import reply_score_or_record_failure
from tickets.models import Message, MessageKind

# Small, so the task reaches a point where it can step aside for live scoring within about
# half a second (5-11 ms per reply measured at 10k, docs/operations.md).
BATCH_SIZE = 50

# "Every reply with pk <= this one has a score or a recorded failure for VERSION". Without
# it, finding that there is nothing to do is an anti-join over every reply (0.6-2.1 s for
# 996,604 replies at 1M tickets); with it, only the messages written since the last run are
# read (0.7 ms for 2,000 messages). The day-long expiry makes one full pass a day that catches
# what the cursor cannot see: a reply scored by an old-version worker during a rolling
# deploy after the cursor passed it, or one whose transaction committed after a later pk.
_CURSOR_KEY = f"empathy:rescore:cursor:{VERSION}"
_CURSOR_TIMEOUT = 24 * 60 * 60

# pg_try_advisory_lock key: one re-score at a time, whatever process runs it.
_LOCK_KEY = 0x656D_7061_7468_79  # "empathy"


class Batch(NamedTuple):
    examined: int  # stale replies read (scored, already scored meanwhile, or failed)
    scored: int
    last_pk: int  # resume after this pk; equals `after_pk` when nothing was left


class Progress(NamedTuple):
    done: int
    total: int


class Run(NamedTuple):
    scored: int
    finished: bool  # False: stopped by `stop` with stale replies left


def public_replies() -> QuerySet[Message]:
    return Message.objects.filter(kind=MessageKind.REPLY, author__isnull=False)


def stale_replies() -> QuerySet[Message]:
    """Replies the current analyzer has neither scored nor failed on.

    A recorded failure counts as done: the analyzer is deterministic, so retrying the
    same text with the same version cannot help (a new version retries it).
    """
    return (
        public_replies()
        .exclude(Exists(ReplyScore.objects.filter(message=OuterRef("pk"), version=VERSION)))
        .exclude(Exists(ScoringFailure.objects.filter(message=OuterRef("pk"), version=VERSION)))
    )


def rescore_batch(*, after_pk: int, size: int) -> Batch:
    """Score the next `size` stale replies after `after_pk`, in pk order."""
    chunk = list(
        stale_replies().filter(pk__gt=after_pk).select_related("ticket").order_by("pk")[:size]
    )
    scored = sum(reply_score_or_record_failure(message=m) is not None for m in chunk)
    return Batch(examined=len(chunk), scored=scored, last_pk=chunk[-1].pk if chunk else after_pk)


def rescore_progress() -> Progress:
    """How many public replies the current version has handled, of how many (two counts
    over every reply: for an operator's progress bar, not for a periodic check)."""
    total = public_replies().count()
    return Progress(done=total - stale_replies().count(), total=total)


def rescore_stale(*, stop: Callable[[], bool], size: int = BATCH_SIZE) -> Run:
    """Score stale replies batch by batch from the stored cursor until none is left or
    `stop()` says so (checked between batches, so a batch is never cut short)."""
    after_pk: int = cache.get(_CURSOR_KEY, 0)
    scored = 0
    while True:
        # Read before the batch: a reply written after it is the live path's to score.
        newest = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        batch = rescore_batch(after_pk=after_pk, size=size)
        scored += batch.scored
        if batch.examined < size:
            if newest != after_pk:
                cache.set(_CURSOR_KEY, max(newest, batch.last_pk), _CURSOR_TIMEOUT)
            return Run(scored=scored, finished=True)
        after_pk = batch.last_pk
        cache.set(_CURSOR_KEY, after_pk, _CURSOR_TIMEOUT)
        if stop():
            return Run(scored=scored, finished=False)


@contextmanager
def rescore_lock() -> Iterator[bool]:
    """Yield whether this process may re-score now; at most one may at a time.

    A PostgreSQL session advisory lock rather than a cache key: it needs no expiry to
    guess, it is released the moment a killed worker's connection closes, and it works
    while Redis is down. SQLite is the single-process development setup (`make run`),
    where there is no second worker to exclude.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_KEY])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])
