"""The Celery application and the one place that lists periodic work.

Reliability choices (each is tested in tests/integration):
- acks_late + reject_on_worker_lost: a task whose worker dies is redelivered, so every
  task must be idempotent (they are: each effect is guarded by a unique row).
- visibility_timeout > every task's hard time limit, so Redis does not hand a task that
  is still running to a second worker.
- short broker socket/connect timeouts and bounded publish retries, so a frozen Redis
  cannot hang a web request; the transactional outbox sweep delivers what was missed.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

app = Celery("attune")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _configure() -> None:
    socket_timeout = settings.REDIS_SOCKET_TIMEOUT
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        result_backend=None,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=socket_timeout,
        broker_transport_options={
            "visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT,
            "socket_timeout": socket_timeout,
            "socket_connect_timeout": socket_timeout,
            # Publishing gives up quickly; the outbox sweep retries later.
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        # One attempt: a failure opens the circuit breaker (helpdesk.resilience) and the
        # outbox sweep publishes the work later, so retrying here would only add latency.
        task_publish_retry=False,
        task_default_queue="default",
        task_routes={
            "empathy.*": {"queue": "scoring"},
            "surveys.*": {"queue": "surveys"},
        },
        beat_schedule=BEAT_SCHEDULE,
        timezone="UTC",
    )


# The periodic schedule, in one place (STYLE rule 18).
BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "tickets.tasks.outbox_sweep",
        "schedule": 60.0,
    },
    "sla-check": {
        "task": "tickets.tasks.sla_check",
        "schedule": 60.0,
    },
    "priority-sweep": {
        "task": "tickets.tasks.priority_sweep",
        "schedule": crontab(minute="*/10"),
    },
    "email-poll": {
        "task": "tickets.tasks.email_poll",
        "schedule": 60.0,
    },
    "surveys-dispatch-due": {
        "task": "surveys.tasks.surveys_dispatch_due",
        "schedule": 60.0,
    },
    # After a deployment that bumps the analyzer version; a few indexed queries otherwise.
    "empathy-rescore-stale": {
        "task": "empathy.tasks.rescore_stale",
        "schedule": crontab(minute="*/5"),
    },
    "surveys-send-reminders": {
        "task": "surveys.tasks.surveys_send_reminders",
        "schedule": crontab(minute=15),
    },
}

_configure()
app.autodiscover_tasks()
