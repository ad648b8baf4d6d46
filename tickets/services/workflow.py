"""Status, priority, tags, assignment and merging."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from tickets.errors import TicketError
from tickets.models import EventKind, Message, Priority, Status, Ticket
from tickets.outbox import event_record
from tickets.services.assignment import assign
from tickets.services.common import lock_ticket, touch
from tickets.services.sla import ticket_refresh

# Which status an agent may move a ticket to from each status.
_ALL = frozenset(Status.values)
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: _ALL - {Status.NEW},
    Status.OPEN: _ALL - {Status.NEW, Status.OPEN},
    Status.PENDING: _ALL - {Status.NEW, Status.PENDING},
    Status.ON_HOLD: _ALL - {Status.NEW, Status.ON_HOLD},
    # A resolved ticket reopens (the customer wrote again) or closes for good.
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def apply_status(ticket: Ticket, new_status: str, *, actor: User | None, at: datetime) -> set[str]:
    """Change the status of a locked ticket, keeping SLA pauses and timestamps right."""
    old = ticket.status
    if new_status not in Status.values:
        raise TicketError(f"Unknown status {new_status!r}.")
    if new_status == old:
        return set()
    if new_status not in ALLOWED_TRANSITIONS[old]:
        raise TicketError(
            f"A {Status(old).label.lower()} ticket cannot be set to "
            f"{Status(new_status).label.lower()}."
        )
    fields = {"status", "sla_pauses"}
    stamp = at.isoformat()
    pauses = [list(p) for p in ticket.sla_pauses]
    # The SLA clock stops while we wait on the customer, and restarts when they answer.
    if new_status == Status.PENDING:
        pauses.append([stamp, None])
    elif old == Status.PENDING and pauses and pauses[-1][1] is None:
        pauses[-1][1] = stamp
    ticket.sla_pauses = pauses
    if new_status in (Status.RESOLVED, Status.CLOSED) and ticket.resolved_at is None:
        ticket.resolved_at = at
        fields.add("resolved_at")
    if old in (Status.RESOLVED,) and new_status == Status.OPEN:
        ticket.resolved_at = None
        ticket.sla_breached = [t for t in ticket.sla_breached if t != "resolution"]
        fields |= {"resolved_at", "sla_breached"}
    ticket.status = new_status
    event_record(
        ticket=ticket,
        kind=EventKind.STATUS_CHANGED,
        actor=actor,
        data={"from": old, "to": new_status},
        at=at,
    )
    return fields


@transaction.atomic
def ticket_change_status(
    *, ticket: Ticket, actor: User, status: str, expected_version: int | None = None
) -> Ticket:
    ticket = lock_ticket(ticket.pk, expected_version=expected_version)
    now = timezone.now()
    fields = apply_status(ticket, status, actor=actor, at=now)
    if fields:
        fields |= set(ticket_refresh(ticket, now=now))
        touch(ticket, fields)
    return ticket


@transaction.atomic
def ticket_assign(
    *, ticket: Ticket, actor: User, assignee: User | None, expected_version: int | None = None
) -> Ticket:
    ticket = lock_ticket(ticket.pk, expected_version=expected_version)
    if assign(ticket, assignee, actor=actor, reason="manual"):
        touch(ticket, {"assignee"})
    return ticket


@transaction.atomic
def ticket_take(*, ticket: Ticket, agent: User) -> Ticket:
    """ "Take" an unassigned ticket; refuses to steal one another agent already holds."""
    ticket = lock_ticket(ticket.pk)
    if ticket.assignee_id not in (None, agent.pk):
        raise TicketError(f"{ticket.assignee} already took this ticket.", code="taken")
    if assign(ticket, agent, actor=agent, reason="taken"):
        touch(ticket, {"assignee"})
    return ticket


@transaction.atomic
def ticket_set_priority(
    *, ticket: Ticket, actor: User, priority: str, expected_version: int | None = None
) -> Ticket:
    if priority not in Priority.values:
        raise TicketError(f"Unknown priority {priority!r}.")
    ticket = lock_ticket(ticket.pk, expected_version=expected_version)
    if ticket.priority == priority:
        return ticket
    event_record(
        ticket=ticket,
        kind=EventKind.PRIORITY_CHANGED,
        actor=actor,
        data={"from": ticket.priority, "to": priority},
    )
    ticket.priority = priority
    touch(ticket, {"priority", *ticket_refresh(ticket)})
    return ticket


@transaction.atomic
def ticket_set_tags(
    *,
    ticket: Ticket,
    actor: User | None,
    tags: Sequence[str],
    expected_version: int | None = None,
) -> Ticket:
    """Replace the ticket's tags. The tag field holds the whole list, so a page read before
    someone else's change would silently drop their tags: the page sends its version."""
    from tickets.services.intake import tags_get_or_create

    ticket = lock_ticket(ticket.pk, expected_version=expected_version)
    before = sorted(ticket.tags.values_list("name", flat=True))
    new_tags = tags_get_or_create(tags)
    after = sorted(t.name for t in new_tags)
    if before != after:
        ticket.tags.set(new_tags)
        event_record(
            ticket=ticket,
            kind=EventKind.TAGS_CHANGED,
            actor=actor,
            data={
                "added": sorted(set(after) - set(before)),
                "removed": sorted(set(before) - set(after)),
            },
        )
        touch(ticket, set())
    return ticket


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: User) -> Ticket:
    """Move the source's conversation into the target and close the source.

    Both tickets must belong to the same requester: merging would otherwise show one
    customer's messages to another.
    """
    if source.pk == target.pk:
        raise TicketError("A ticket cannot be merged into itself.")
    # Lock in id order so two opposite merges cannot deadlock.
    first, second = sorted([source.pk, target.pk])
    locked = {first: lock_ticket(first), second: lock_ticket(second)}
    source, target = locked[source.pk], locked[target.pk]
    if source.requester_id != target.requester_id:
        raise TicketError("Only tickets from the same customer can be merged.")
    if source.merged_into_id or target.merged_into_id:
        raise TicketError("One of these tickets was already merged.")
    now = timezone.now()
    moved = Message.objects.filter(ticket=source).update(ticket=target)
    event_record(
        ticket=target,
        kind=EventKind.MERGED,
        actor=actor,
        data={"merged_from": source.pk, "messages": moved, "subject": source.subject},
        at=now,
    )
    event_record(
        ticket=source,
        kind=EventKind.MERGED,
        actor=actor,
        data={"merged_into": target.pk},
        at=now,
    )
    source.merged_into = target
    fields = {"merged_into"}
    if source.status != Status.CLOSED:
        fields |= apply_status(source, Status.CLOSED, actor=actor, at=now)
    fields |= set(ticket_refresh(source, now=now))
    touch(source, fields)
    target_fields: set[str] = set()
    if target.status == Status.RESOLVED:
        # New messages arrived on a resolved ticket: it needs attention again.
        target_fields |= apply_status(target, Status.OPEN, actor=actor, at=now)
    touch(target, target_fields | set(ticket_refresh(target, now=now)))
    return target
