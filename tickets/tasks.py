"""Celery adapters: take ids, call one service, own only retry and time limits."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from tickets import outbox
from tickets.services import email_intake
from tickets.services.sla import sla_check as sla_check_service


@shared_task(autoretry_for=(Exception,), max_retries=5, retry_backoff=True, retry_backoff_max=300)
def outbox_deliver(event_id: int, handler_name: str) -> bool:
    return outbox.event_deliver(event_id, handler_name)


@shared_task
def outbox_sweep() -> int:
    owed = outbox.pending_deliveries(
        older_than=timedelta(seconds=settings.ATTUNE_OUTBOX_SWEEP_AGE_SECONDS)
    )
    for event_id, handler_name in owed:
        handler = outbox.get_handler(handler_name)
        queue = handler.queue if handler else "default"
        outbox_deliver.apply_async((event_id, handler_name), queue=queue)
    # Mail stored while the broker was down waits in state "received": pick it up too.
    stale = email_intake.email_pending_ids(
        older_than=timedelta(seconds=settings.ATTUNE_OUTBOX_SWEEP_AGE_SECONDS)
    )
    for inbound_id in stale:
        email_process.delay(inbound_id)
    return len(owed) + len(stale)


@shared_task
def sla_check() -> int:
    return sla_check_service()


@shared_task
def priority_sweep() -> int:
    from tickets.services.sla import priority_sweep as sweep

    return sweep()


@shared_task(autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def email_process(inbound_id: int) -> str:
    return email_intake.email_process(inbound_id)


@shared_task
def email_poll() -> int:
    return email_intake.email_poll_imap()
