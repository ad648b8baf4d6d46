"""Canned responses: create, change, delete, and fill their placeholders for a ticket."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import User
from tickets.access import queues_visible_to
from tickets.errors import TicketError
from tickets.models import Macro, Queue, Ticket
from tickets.services.text import clean_body, clean_line

PLACEHOLDERS = ("customer.first_name", "customer.name", "ticket.number", "agent.first_name")
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_.]+)\s*\}\}")


def macros_for(*, user: User, ticket: Ticket | None = None) -> QuerySet[Macro]:
    """Macros a staff member may use: shared ones and those of queues they work."""
    macros = Macro.objects.filter(Q(queue__isnull=True) | Q(queue__in=queues_visible_to(user)))
    if ticket is not None:
        macros = macros.filter(Q(queue__isnull=True) | Q(queue=ticket.queue_id))
    return macros.order_by("name")


def macro_render(*, macro: Macro, ticket: Ticket, agent: User) -> str:
    """Fill the placeholders with plain substitution: macro text is never a template."""
    values = {
        "customer.first_name": ticket.requester.user.first_name or "there",
        "customer.name": ticket.requester.user.display_name,
        "ticket.number": str(ticket.pk),
        "agent.first_name": agent.first_name or agent.display_name,
    }
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), macro.body)


def _validate(name: str, body: str, queue: Queue | None, user: User) -> tuple[str, str]:
    name, body = clean_line(name, 100), clean_body(body)
    if not name or not body:
        raise TicketError("A macro needs a name and a text.")
    unknown = sorted({p for p in _PLACEHOLDER.findall(body) if p not in PLACEHOLDERS})
    if unknown:
        raise TicketError(
            f"Unknown placeholder {', '.join(unknown)}; use one of "
            + ", ".join("{{ " + p + " }}" for p in PLACEHOLDERS)
            + "."
        )
    if queue is not None and not queues_visible_to(user).filter(pk=queue.pk).exists():
        raise TicketError("You can only add macros to queues you work in.")
    return name, body


@transaction.atomic
def macro_save(
    *, user: User, name: str, body: str, queue: Queue | None, macro: Macro | None = None
) -> Macro:
    name, body = _validate(name, body, queue, user)
    if macro is None:
        return Macro.objects.create(name=name, body=body, queue=queue, created_by=user)
    macro.name, macro.body, macro.queue = name, body, queue
    macro.save(update_fields=["name", "body", "queue", "updated_at"])
    return macro


def macro_delete(*, macro: Macro) -> None:
    macro.delete()
