"""Ticket creation: the one path that every channel (web, portal, email, API, agent) calls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Case, QuerySet, When
from django.utils import timezone

from accounts.models import User
from tickets.errors import TicketError
from tickets.models import (
    Channel,
    Customer,
    EventKind,
    Message,
    MessageKind,
    Priority,
    Queue,
    Tag,
    Ticket,
)
from tickets.outbox import event_record
from tickets.services.assignment import assign, round_robin_pick
from tickets.services.attachments import AttachmentInput, attachment_store, attachments_validate
from tickets.services.sla import ticket_refresh
from tickets.services.text import clean_body, clean_line


def default_queues() -> QuerySet[Queue]:
    """Queues in default order: the configured default queue first, then the oldest."""
    return Queue.objects.order_by(
        Case(When(slug=settings.ATTUNE_DEFAULT_QUEUE, then=0), default=1), "pk"
    )


def default_queue() -> Queue:
    # One query either way: the queue table is small, and ordering beats a second lookup.
    queue = default_queues().first()
    if queue is None:
        raise TicketError("No queue exists yet: an administrator must create one first.")
    return queue


@transaction.atomic
def ticket_create(
    *,
    requester: Customer,
    subject: str,
    body: str,
    channel: str,
    urgency: str = "normal",
    queue: Queue | None = None,
    created_by: User | None = None,
    attachments: Sequence[AttachmentInput] = (),
    tags: Sequence[str] = (),
    email_message_id: str | None = None,
    created_at: datetime | None = None,
) -> Ticket:
    """Create a ticket with its first customer message, event, SLA deadlines and score.

    `created_by` is the agent filing on the customer's behalf (channel "agent"); the
    message is still the customer's words, authored by the customer.
    """
    subject = clean_line(subject)
    body = clean_body(body)
    if not subject:
        raise TicketError("A subject is required.", code="subject")
    if not body and not attachments:
        raise TicketError("Describe the problem, or attach a file.", code="body")
    if channel not in Channel.values:
        raise TicketError(f"Unknown channel {channel!r}.")
    if urgency not in Priority.values:
        raise TicketError(f"Unknown urgency {urgency!r}.", code="urgency")
    attachments_validate(list(attachments))
    now = created_at or timezone.now()
    ticket = Ticket(
        subject=subject,
        priority=urgency,
        urgency=urgency,
        channel=channel,
        requester=requester,
        queue=queue or default_queue(),
        created_at=now,
        updated_at=now,
    )
    # Deadlines and score before the insert, from the words in hand: one INSERT, no UPDATE,
    # and no reading back the message just written.
    ticket_refresh(ticket, now=now, customer_bodies=[body])
    ticket.save(force_insert=True)
    tag_objects = tags_get_or_create(tags) if tags else []
    if tag_objects:
        ticket.tags.set(tag_objects)
    _tags_known(ticket, tag_objects)
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.CUSTOMER,
        author_id=requester.user_id,
        body=body,
        channel=channel,
        created_at=now,
        email_message_id=email_message_id,
    )
    for index, item in enumerate(attachments, start=1):
        attachment_store(message=message, item=item, index=index)
    event_record(
        ticket=ticket,
        kind=EventKind.CREATED,
        actor=created_by or requester.user,
        message=message,
        data={"channel": channel, "on_behalf": bool(created_by)},
        at=now,
    )
    if ticket.queue.auto_assign:
        agent = round_robin_pick(ticket)
        if agent is not None and assign(ticket, agent, actor=None, reason="round robin"):
            ticket.save(update_fields=["assignee"])
    return ticket


def _tags_known(ticket: Ticket, tags: list[Tag]) -> None:
    """Remember a new ticket's tags on it, as `prefetch_related("tags")` would.

    They are exactly the ones just set (sorted by name, like every ticket answer lists
    them), so answering with the ticket needs no query for them. Adding or removing a tag
    through `ticket.tags` drops this cache, as it drops a prefetched one.
    """
    known = Tag.objects.filter(pk__in=[tag.pk for tag in tags]).order_by("name")
    known._result_cache = list(tags)
    known._prefetch_done = True  # type: ignore[attr-defined] # as prefetch_related sets it
    ticket._prefetched_objects_cache = {"tags": known}  # type: ignore[attr-defined]


def tags_get_or_create(names: Sequence[str]) -> list[Tag]:
    cleaned = sorted({clean_line(n, 50).lower() for n in names if clean_line(n, 50)})
    existing = {t.name: t for t in Tag.objects.filter(name__in=cleaned)}
    for name in cleaned:
        if name not in existing:
            existing[name], _ = Tag.objects.get_or_create(name=name)
    return [existing[n] for n in cleaned]
