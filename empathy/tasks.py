"""Celery adapters of the empathy app (routed to the `scoring` queue by helpdesk/celery.py).

Live scoring of new replies is not here: it is the outbox handler `empathy.score_reply`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import current_app, shared_task
from django.conf import settings
from kombu.exceptions import ChannelError

from empathy import rescore

logger = logging.getLogger(__name__)


def _budget() -> float:
    # Stop between batches well inside the soft time limit, so the limit never strikes
    # mid-batch, and let a continuation task pick up the rest.
    return settings.CELERY_TASK_SOFT_TIME_LIMIT / 2


def live_scoring_waiting() -> bool:
    """Whether tasks wait in the `scoring` queue that no worker process has taken yet.

    With prefetch 1, a waiting task means every process consuming `scoring` is busy, so
    the re-score (which shares the queue with the outbox's live scoring) steps aside: its
    continuation queues behind them. A broker that cannot answer is treated as "no".
    """
    try:
        with current_app.connection_for_read() as conn:
            # Typed as kombu's abstract StdChannel; every transport's channel declares.
            channel: Any = conn.default_channel
            declared = channel.queue_declare(queue="scoring", passive=True)
    except ChannelError:  # Redis keeps no key for an empty list: nothing is waiting
        return False
    except Exception:  # the broker is not this task's concern; go on re-scoring
        logger.warning("Could not read the scoring queue's length", exc_info=True)
        return False
    return bool(declared.message_count)


@shared_task
def rescore_stale(batch_size: int = rescore.BATCH_SIZE) -> int:
    """Beat starts one every 5 minutes; it re-scores history after an analyzer upgrade.

    Costs a few indexed queries when there is nothing to do. Otherwise it works until its
    budget is spent or live scoring is waiting, then enqueues its own continuation.
    """
    deadline = time.monotonic() + _budget()

    def stop() -> bool:
        return time.monotonic() >= deadline or live_scoring_waiting()

    with rescore.rescore_lock() as acquired:
        if not acquired:  # another run (beat tick or continuation) is at work
            return 0
        run = rescore.rescore_stale(stop=stop, size=batch_size)
    # After the lock is released, so the continuation cannot find it still held and quit.
    if not run.finished:
        rescore_stale.delay(batch_size=batch_size)
    return run.scored
