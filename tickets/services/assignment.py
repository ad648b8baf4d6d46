"""Who answers a ticket: manual assignment, "take", and round robin within a queue."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Role, User
from tickets.errors import TicketError
from tickets.models import OPEN_STATUSES, AgentProfile, EventKind, Ticket
from tickets.outbox import event_record


def _check_assignable(ticket: Ticket, assignee: User) -> None:
    if assignee.role == Role.CUSTOMER or not assignee.is_active:
        raise TicketError("Tickets can only be assigned to active agents.")
    if assignee.role != Role.ADMIN and not ticket.queue.agents.filter(pk=assignee.pk).exists():
        raise TicketError(f"{assignee.display_name} is not a member of the {ticket.queue} queue.")


def assign(ticket: Ticket, assignee: User | None, *, actor: User | None, reason: str) -> bool:
    """Set the assignee on a locked ticket and record the event; False if unchanged."""
    if assignee is not None:
        _check_assignable(ticket, assignee)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return False
    previous = ticket.assignee
    ticket.assignee = assignee
    event_record(
        ticket=ticket,
        kind=EventKind.ASSIGNED,
        actor=actor,
        data={
            "from": previous.display_name if previous else None,
            "from_id": previous.pk if previous else None,
            "to": assignee.display_name if assignee else None,
            "to_id": assignee.pk if assignee else None,
            "reason": reason,
        },
    )
    if assignee is not None:
        AgentProfile.objects.update_or_create(
            user=assignee, defaults={"last_assigned_at": timezone.now()}
        )
    return True


def round_robin_pick(ticket: Ticket) -> User | None:
    """The available queue agent under capacity who was assigned longest ago.

    Call inside the transaction that assigns: the queue's agents stay locked until it
    commits, so a concurrent intake waits, then counts the ticket assigned here.
    """
    members = User.objects.filter(queues=ticket.queue, is_active=True).exclude(role=Role.CUSTOMER)
    # Without the lock two intakes both see an agent at capacity - 1 and both assign.
    # The user rows (not the profiles: an agent may have none) are locked in id order,
    # so intakes for queues sharing agents cannot deadlock. Under READ COMMITTED the
    # count below is a new statement, so it sees what the previous holder committed.
    # SQLite ignores FOR UPDATE; it allows one writer at a time anyway.
    list(members.order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True))
    candidates = (
        User.objects.filter(queues=ticket.queue, is_active=True)
        .exclude(role=Role.CUSTOMER)
        .exclude(agent_profile__available=False)
        .annotate(
            open_count=Count(
                "assigned_tickets", filter=Q(assigned_tickets__status__in=OPEN_STATUSES)
            )
        )
        .select_related("agent_profile")
        .order_by(F("agent_profile__last_assigned_at").asc(nulls_first=True), "pk")
    )
    for agent in candidates:
        profile = getattr(agent, "agent_profile", None)
        capacity = profile.capacity if profile else 10
        if agent.open_count < capacity:
            return agent
    return None
