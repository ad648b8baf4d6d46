"""The one access module: who may see and do what.

Every view, API endpoint and task that takes a user-supplied id routes it through
these functions, so a list never shows what its detail would refuse.

- anonymous: nothing;
- customer: the tickets they requested;
- agent: tickets in the queues they belong to;
- manager: tickets in their own queues and in the queues of the teams they manage;
- admin: everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role, Team
from tickets.models import Queue, Ticket

if TYPE_CHECKING:
    from accounts.models import User


def queues_visible_to(user: User | AnonymousUser) -> QuerySet[Queue]:
    if not user.is_authenticated or not user.is_active:
        return Queue.objects.none()
    role = user.role
    if role == Role.ADMIN:
        return Queue.objects.all()
    if role == Role.MANAGER:
        # Two subqueries rather than joins, so no row is duplicated and no DISTINCT is needed.
        return Queue.objects.filter(
            Q(pk__in=Queue.objects.filter(agents=user).values("pk"))
            | Q(team__in=Team.objects.filter(managers=user).values("pk"))
        )
    if role == Role.AGENT:
        return Queue.objects.filter(agents=user)
    return Queue.objects.none()


def tickets_visible_to(
    user: User | AnonymousUser, queryset: QuerySet[Ticket] | None = None
) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return tickets.none()
    if user.role == Role.ADMIN:
        return tickets
    if user.role == Role.CUSTOMER:
        return tickets.filter(requester__user=user)
    # A subquery, not a join: the outer query keeps using the queue-order indexes.
    return tickets.filter(queue_id__in=queues_visible_to(user).values("pk"))


def ticket_get_for_user(
    *, user: User | AnonymousUser, ticket_id: object, queryset: QuerySet[Ticket] | None = None
) -> Ticket:
    """The ticket if `user` may see it; otherwise 404, never revealing that it exists.

    `queryset` lets a page read more with the ticket (annotations); access is the same.
    """
    try:
        pk = int(str(ticket_id))
    except ValueError:
        raise Http404("No such ticket.") from None
    ticket = (
        tickets_visible_to(user, queryset)
        .select_related("requester__user", "requester__organisation", "assignee", "queue")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def can_see_internal_notes(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.role != Role.CUSTOMER)


def is_staff_user(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role != Role.CUSTOMER)


def can_work_queue(user: User, queue: Queue) -> bool:
    """May `user` take, answer and change tickets in `queue`?"""
    return queues_visible_to(user).filter(pk=queue.pk).exists()


def teams_managed_by(user: User | AnonymousUser) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    if user.role == Role.ADMIN:
        return Team.objects.all()
    if user.role == Role.MANAGER:
        return Team.objects.filter(managers=user)
    return Team.objects.none()


def can_manage_agent(manager: User, agent: User) -> bool:
    """Managers see empathy data and feedback for the agents of the teams they manage."""
    if manager.role == Role.ADMIN:
        return True
    if manager.role != Role.MANAGER:
        return False
    return teams_managed_by(manager).filter(members=agent).exists()
