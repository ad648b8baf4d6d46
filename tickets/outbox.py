"""The event backbone: TicketEvent rows as a transactional outbox.

A service writes its TicketEvent in the same transaction as the change it records
(`event_record`). After commit, one Celery task per (event, handler) is enqueued. A
handler runs inside a transaction that also inserts its EventDelivery row, whose unique
key makes the effect exactly-once even when a task is delivered twice. If the broker is
down at commit time, nothing is lost: `outbox_sweep` (every minute, from beat) finds
events whose handlers have not all run and enqueues them again.

Apps register handlers in their AppConfig.ready(); tickets never imports empathy or
surveys, they subscribe to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from helpdesk.resilience import redis_failed, redis_usable
from tickets.models import EventDelivery, Message, Ticket, TicketEvent

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

HandlerFn = Callable[[TicketEvent], None]


@dataclass(frozen=True)
class Handler:
    name: str
    kinds: frozenset[str]
    fn: HandlerFn
    queue: str


_HANDLERS: dict[str, Handler] = {}


def register(
    name: str, *, kinds: set[str] | frozenset[str], queue: str = "default"
) -> Callable[[HandlerFn], HandlerFn]:
    """Decorator: run `fn(event)` once for every committed event of one of `kinds`."""

    def decorator(fn: HandlerFn) -> HandlerFn:
        existing = _HANDLERS.get(name)
        if existing is not None and existing.fn is not fn:
            raise RuntimeError(f"Outbox handler {name!r} is registered twice.")
        _HANDLERS[name] = Handler(name=name, kinds=frozenset(kinds), fn=fn, queue=queue)
        return fn

    return decorator


def handlers_for(kind: str) -> list[Handler]:
    return [h for h in _HANDLERS.values() if kind in h.kinds]


def get_handler(name: str) -> Handler | None:
    return _HANDLERS.get(name)


def event_record(
    *,
    ticket: Ticket,
    kind: str,
    actor: User | None = None,
    message: Message | None = None,
    data: dict[str, object] | None = None,
    at: datetime | None = None,
) -> TicketEvent:
    """Write an event row; its handlers are enqueued only once the transaction commits."""
    event = TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor=actor,
        message=message,
        data=data or {},
        created_at=at or timezone.now(),
        dispatched_at=None if handlers_for(kind) else timezone.now(),
    )
    if handlers_for(kind):
        transaction.on_commit(lambda: enqueue_event(event.pk, kind))
    return event


def events_record(
    *, kind: str, tickets_data: Sequence[tuple[int, dict[str, object]]], at: datetime
) -> list[TicketEvent]:
    """`event_record` for many tickets at once: one INSERT, the same handlers after commit."""
    handled = bool(handlers_for(kind))
    events = TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket_id=ticket_id,
            kind=kind,
            data=data,
            created_at=at,
            dispatched_at=None if handled else timezone.now(),
        )
        for ticket_id, data in tickets_data
    )
    if handled:
        for event in events:
            transaction.on_commit(partial(enqueue_event, event.pk, kind))
    return events


def enqueue_event(event_id: int, kind: str) -> None:
    from tickets.tasks import outbox_deliver

    for handler in handlers_for(kind):
        if not redis_usable():
            return  # the broker failed a moment ago; the sweep delivers this event later
        try:
            outbox_deliver.apply_async((event_id, handler.name), queue=handler.queue)
        except Exception as exc:  # the broker is down or frozen; the sweep will retry
            redis_failed(exc)
            logger.warning(
                "Could not enqueue %s for event %s; the outbox sweep will retry.",
                handler.name,
                event_id,
            )


def event_deliver(event_id: int, handler_name: str) -> bool:
    """Run one handler for one event, exactly once. Returns False if already done."""
    handler = get_handler(handler_name)
    if handler is None:
        logger.error("Unknown outbox handler %s for event %s", handler_name, event_id)
        return False
    event = TicketEvent.objects.select_related("ticket", "message").filter(pk=event_id).first()
    if event is None or event.kind not in handler.kinds:
        # A stale or replayed task (e.g. redelivered against another database) must not
        # run a handler on an event it never subscribed to.
        return False
    try:
        with transaction.atomic():
            # Inserting the receipt first takes the unique-index lock: a concurrent
            # delivery of the same pair waits here, then fails and does nothing.
            EventDelivery.objects.create(
                event=event, handler=handler.name, delivered_at=timezone.now()
            )
            handler.fn(event)
    except IntegrityError:
        return False
    _mark_dispatched_if_complete(event)
    return True


def _mark_dispatched_if_complete(event: TicketEvent) -> None:
    expected = {h.name for h in handlers_for(event.kind)}
    done = set(EventDelivery.objects.filter(event=event).values_list("handler", flat=True))
    if expected <= done:
        TicketEvent.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(
            dispatched_at=timezone.now()
        )


def pending_deliveries(*, older_than: timedelta, limit: int = 500) -> list[tuple[int, str]]:
    """(event id, handler) pairs still owed, for events older than `older_than`."""
    cutoff = timezone.now() - older_than
    events = list(
        TicketEvent.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", "kind")[:limit]
    )
    if not events:
        return []
    done: dict[int, set[str]] = {}
    for event_id, handler in EventDelivery.objects.filter(
        event_id__in=[pk for pk, _ in events]
    ).values_list("event_id", "handler"):
        done.setdefault(event_id, set()).add(handler)
    owed: list[tuple[int, str]] = []
    for event_id, kind in events:
        handlers = handlers_for(kind)
        missing = [h.name for h in handlers if h.name not in done.get(event_id, set())]
        if not missing:
            TicketEvent.objects.filter(pk=event_id).update(dispatched_at=timezone.now())
        owed.extend((event_id, name) for name in missing)
    return owed
