"""Messages on a ticket: public agent replies, internal notes and customer replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from tickets.errors import TicketError
from tickets.models import Channel, Customer, EventKind, Message, MessageKind, Status, Ticket
from tickets.outbox import event_record
from tickets.services.attachments import AttachmentInput, attachment_store, attachments_validate
from tickets.services.common import lock_ticket, touch
from tickets.services.sla import ticket_refresh
from tickets.services.text import clean_body
from tickets.services.workflow import apply_status


def _message_add(
    *,
    ticket: Ticket,
    kind: str,
    author: User,
    body: str,
    channel: str,
    attachments: Sequence[AttachmentInput],
    at: datetime,
    email_message_id: str | None = None,
) -> Message:
    body = clean_body(body)
    if not body and not attachments:
        raise TicketError("The message is empty.", code="body")
    attachments_validate(list(attachments))
    message = Message.objects.create(
        ticket=ticket,
        kind=kind,
        author=author,
        body=body,
        channel=channel,
        created_at=at,
        email_message_id=email_message_id,
    )
    for index, item in enumerate(attachments, start=1):
        attachment_store(message=message, item=item, index=index)
    return message


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    attachments: Sequence[AttachmentInput] = (),
    set_status: str | None = None,
    expected_version: int | None = None,
    channel: str = Channel.WEB,
) -> Message:
    """A public reply from an agent; by default the ticket then waits on the customer."""
    ticket = lock_ticket(ticket.pk, expected_version=expected_version)
    if ticket.merged_into_id:
        raise TicketError("This ticket was merged; reply on the ticket it was merged into.")
    now = timezone.now()
    message = _message_add(
        ticket=ticket,
        kind=MessageKind.REPLY,
        author=author,
        body=body,
        channel=channel,
        attachments=attachments,
        at=now,
    )
    fields: set[str] = {"awaiting_reply_since"}
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
        fields.add("first_responded_at")
    ticket.awaiting_reply_since = None
    if ticket.assignee_id is None:
        ticket.assignee = author
        fields.add("assignee")
        event_record(
            ticket=ticket,
            kind=EventKind.ASSIGNED,
            actor=author,
            data={"from": None, "to": author.display_name, "to_id": author.pk, "reason": "replied"},
            at=now,
        )
    event_record(ticket=ticket, kind=EventKind.AGENT_REPLIED, actor=author, message=message, at=now)
    target = set_status or (Status.PENDING if ticket.status in (Status.NEW, Status.OPEN) else None)
    if target and target != ticket.status:
        fields |= apply_status(ticket, target, actor=author, at=now)
    fields |= set(ticket_refresh(ticket, now=now))
    touch(ticket, fields)
    return message


@transaction.atomic
def ticket_note_add(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    attachments: Sequence[AttachmentInput] = (),
    expected_version: int | None = None,
) -> Message:
    """An internal note: visible to staff only, never mailed, never stops an SLA clock."""
    ticket = lock_ticket(ticket.pk, expected_version=expected_version)
    now = timezone.now()
    message = _message_add(
        ticket=ticket,
        kind=MessageKind.NOTE,
        author=author,
        body=body,
        channel=Channel.WEB,
        attachments=attachments,
        at=now,
    )
    event_record(ticket=ticket, kind=EventKind.NOTE_ADDED, actor=author, message=message, at=now)
    touch(ticket, set())
    return message


@transaction.atomic
def ticket_customer_reply(
    *,
    ticket: Ticket,
    customer: Customer,
    body: str,
    channel: str,
    attachments: Sequence[AttachmentInput] = (),
    email_message_id: str | None = None,
) -> Message:
    """The customer writes again: reopens a waiting or resolved ticket and restarts SLAs."""
    ticket = lock_ticket(ticket.pk)
    if ticket.requester_id != customer.pk:
        raise TicketError("Only the requester can reply to this ticket.")
    if ticket.merged_into_id:
        ticket = lock_ticket(ticket.merged_into_id)
    if ticket.status == Status.CLOSED:
        raise TicketError("This ticket is closed. Please open a new request.", code="closed")
    now = timezone.now()
    message = _message_add(
        ticket=ticket,
        kind=MessageKind.CUSTOMER,
        author=customer.user,
        body=body,
        channel=channel,
        attachments=attachments,
        at=now,
        email_message_id=email_message_id,
    )
    fields: set[str] = set()
    if ticket.awaiting_reply_since is None:
        ticket.awaiting_reply_since = now
        # A new next-response clock starts: its warning and breach are news again.
        ticket.sla_warned = [t for t in ticket.sla_warned if t != "next_response"]
        ticket.sla_breached = [t for t in ticket.sla_breached if t != "next_response"]
        fields |= {"awaiting_reply_since", "sla_warned", "sla_breached"}
    event_record(
        ticket=ticket, kind=EventKind.CUSTOMER_REPLIED, actor=customer.user, message=message, at=now
    )
    if ticket.status in (Status.PENDING, Status.RESOLVED):
        fields |= apply_status(ticket, Status.OPEN, actor=customer.user, at=now)
    fields |= set(ticket_refresh(ticket, now=now))
    touch(ticket, fields)
    return message
