"""Heartbeat of the ticket page: who else is here, and what arrived meanwhile."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import ticket_get_for_user
from tickets.presence import presence_beat
from tickets.views.workspace import staff_required


@require_POST
@staff_required
def presence(request: AuthenticatedHttpRequest, ticket_id: int) -> JsonResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    others = presence_beat(
        ticket_id=ticket.pk,
        user_id=request.user.pk,
        name=request.user.display_name,
        mode=request.POST.get("mode", "viewing"),
    )
    try:
        seen = int(request.POST.get("last_message", "0"))
    except ValueError:
        seen = 0
    arrived = list(
        ticket.messages.filter(pk__gt=seen)
        .exclude(author=request.user)
        .select_related("author")
        .order_by("pk")
        .values_list("kind", "author__first_name", "author__last_name")[:20]
    )
    return JsonResponse(
        {
            "others": [{"name": p.name, "mode": p.mode} for p in others],
            "arrived": [
                {"kind": kind, "author": f"{first} {last}".strip()} for kind, first, last in arrived
            ],
            "version": ticket.version,
        }
    )
