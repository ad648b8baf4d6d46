from __future__ import annotations

from django.utils import timezone

from tickets.errors import StaleTicketError
from tickets.models import Ticket


def lock_ticket(ticket_id: int, *, expected_version: int | None = None) -> Ticket:
    """Re-read the ticket under a row lock so concurrent actions apply one after another."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("requester__user", "requester__organisation", "queue", "assignee")
        .get(pk=ticket_id)
    )
    if expected_version is not None and ticket.version != expected_version:
        raise StaleTicketError()
    return ticket


def touch(ticket: Ticket, fields: set[str]) -> None:
    """Save `fields` plus the bookkeeping every change carries."""
    ticket.version += 1
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=sorted(fields | {"version", "updated_at"}))
