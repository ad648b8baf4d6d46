import time

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from surveys import services
from surveys.models import Survey

# The surveys worker runs two processes (docs/operations.md, bench/run.py): a backlog is
# split over both instead of waiting for the next beat tick to start a second dispatcher.
DISPATCH_FAN_OUT = 2


def _dispatch_budget() -> float:
    # Stop between batches well inside the soft time limit, so the limit never strikes
    # mid-batch (where mailed surveys could only be recorded by catching it) and a
    # continuation task picks up the rest.
    return settings.CELERY_TASK_SOFT_TIME_LIMIT / 2


@shared_task
def surveys_dispatch_due(
    fan_out: int = DISPATCH_FAN_OUT, batch_size: int = services.DISPATCH_BATCH
) -> int:
    """Beat starts one every minute; a backlog of more than a batch is split `fan_out` ways.

    Each dispatcher works until its budget is spent, then enqueues its own continuation
    (with `fan_out=1`, so a long backlog keeps the same number of dispatchers).
    """
    if fan_out > 1 and Survey.objects.due(timezone.now())[batch_size:].exists():
        for _ in range(fan_out - 1):
            surveys_dispatch_due.delay(fan_out=1, batch_size=batch_size)
    deadline = time.monotonic() + _dispatch_budget()

    def budget_spent() -> bool:
        return time.monotonic() >= deadline

    sent = services.surveys_dispatch_due(batch_size=batch_size, stop=budget_spent)
    if budget_spent() and Survey.objects.due(timezone.now()).exists():
        surveys_dispatch_due.delay(fan_out=1, batch_size=batch_size)
    return sent


@shared_task
def surveys_send_reminders() -> int:
    return services.surveys_send_reminders()
