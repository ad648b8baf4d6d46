"""Bulk actions on the queue: every ticket is checked and changed through the services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.models import User
from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import ticket_get_for_user
from tickets.errors import TicketError
from tickets.forms import BulkActionForm
from tickets.services import ticket_assign, ticket_change_status, ticket_set_tags
from tickets.views.workspace import staff_required


@require_POST
@staff_required
def bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST)
    back = request.POST.get("next_query", "")
    target = f"/tickets/?{back}" if back else "/tickets/"
    if not form.is_valid():
        messages.error(request, "Choose at least one ticket and an action.")
        return redirect(target)
    data = form.cleaned_data
    action = data["action"]
    assignee = None
    if action == "assign":
        assignee = User.objects.filter(pk=data.get("assignee") or 0, is_active=True).first()
        if assignee is None:
            messages.error(request, "Choose the agent to assign to.")
            return redirect(target)
    if action == "status" and not data.get("status"):
        messages.error(request, "Choose the status to set.")
        return redirect(target)
    if action == "tag" and not (data.get("tag") or "").strip():
        messages.error(request, "Type the tag to add.")
        return redirect(target)
    done, problems = 0, []
    for ticket_id in data["tickets"]:
        try:
            # The same access check as opening the ticket: a forged id is simply skipped.
            ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
        except Http404:
            problems.append(f"#{ticket_id}: not found")
            continue
        try:
            if action == "assign_me":
                ticket_assign(ticket=ticket, actor=request.user, assignee=request.user)
            elif action == "assign":
                ticket_assign(ticket=ticket, actor=request.user, assignee=assignee)
            elif action == "unassign":
                ticket_assign(ticket=ticket, actor=request.user, assignee=None)
            elif action == "status":
                ticket_change_status(ticket=ticket, actor=request.user, status=data["status"])
            elif action == "tag":
                names = [*ticket.tags.values_list("name", flat=True), data["tag"]]
                ticket_set_tags(ticket=ticket, actor=request.user, tags=names)
        except TicketError as exc:
            problems.append(f"#{ticket_id}: {' '.join(exc.messages)}")
        else:
            done += 1
    if done:
        messages.success(request, f"Updated {done} ticket{'s' if done != 1 else ''}.")
    if problems:
        messages.error(request, "Not changed: " + "; ".join(problems[:10]))
    return redirect(target)
