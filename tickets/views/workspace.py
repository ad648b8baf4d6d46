"""The agent workspace: the queue, a ticket, and the actions on it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import is_staff_user, queues_visible_to, ticket_get_for_user
from tickets.errors import StaleTicketError, TicketError
from tickets.extensions import customer_panel_annotations, customer_panels, reply_panels
from tickets.forms import (
    AgentReplyForm,
    AgentTicketForm,
    AssignForm,
    BulkActionForm,
    MergeForm,
    PriorityForm,
    QueueFilterForm,
    StatusForm,
    TagsForm,
    to_attachment_inputs,
)
from tickets.models import Channel, Status, Ticket
from tickets.selectors import (
    Cursor,
    conversation_for_display,
    queue_page,
    queue_tickets,
    ticket_neighbours,
    timeline_for_display,
)
from tickets.services import (
    customer_get_or_create,
    ticket_assign,
    ticket_change_status,
    ticket_create,
    ticket_merge,
    ticket_note_add,
    ticket_reply,
    ticket_set_priority,
    ticket_set_tags,
    ticket_take,
)
from tickets.services.macros import macro_render, macros_for


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_user(request.user):
            raise PermissionDenied("The workspace is for support staff.")
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@staff_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    queues = list(queues_visible_to(request.user).order_by("name"))
    agents = [
        (u.pk, u.display_name)
        for u in User.objects.filter(queues__in=queues, is_active=True)
        .distinct()
        .order_by("first_name", "pk")
    ]
    form = QueueFilterForm(request.GET, queues=queues, agents=agents)
    filters = form.filters()
    tickets, next_cursor = queue_page(
        queue_tickets(user=request.user, **filters),  # type: ignore[arg-type]
        after=Cursor.decode(request.GET.get("after")),
    )
    params = request.GET.copy()
    params.pop("after", None)
    context = {
        "tickets": tickets,
        "form": form,
        "view": filters["view"],
        "views": QueueFilterForm.VIEW_CHOICES,
        "agents": agents,
        "statuses": Status.choices,
        "filter_query": params.urlencode(),
        "next_cursor": next_cursor.encode() if next_cursor else None,
        "bulk_actions": BulkActionForm.ACTIONS,
    }
    if request.htmx:
        return render(request, "tickets/workspace/queue.html#ticket-rows", context)
    return render(request, "tickets/workspace/queue.html", context)


def _detail_context(
    user: User, ticket: Ticket, reply_form: AgentReplyForm | None = None
) -> dict[str, Any]:
    messages_list = conversation_for_display(ticket)
    next_ticket, other_tickets = ticket_neighbours(user=user, ticket=ticket)
    return {
        "ticket": ticket,
        "conversation": messages_list,
        "last_message_id": max((m.pk for m in messages_list), default=0),
        "next_ticket": next_ticket,
        "events": timeline_for_display(ticket),
        "other_tickets": other_tickets,
        "reply_panels": reply_panels(),
        "customer_panels": customer_panels(),
        "macros": macros_for(user=user, ticket=ticket),
        "reply_form": reply_form or AgentReplyForm(initial={"version": ticket.version}),
        **_controls_context(ticket),
    }


def _controls_context(ticket: Ticket) -> dict[str, Any]:
    """What the ticket's controls section shows: on the page and in its htmx answers."""
    return {
        "ticket": ticket,
        "tags": ticket.tags.all(),
        "status_form": StatusForm(initial={"status": ticket.status, "version": ticket.version}),
        "queue_agents": User.objects.filter(queues=ticket.queue_id, is_active=True).order_by(
            "first_name", "pk"
        ),
        "priority_form": PriorityForm(
            initial={"priority": ticket.priority, "version": ticket.version}
        ),
    }


def _ticket_for_page(user: User, ticket_id: int) -> Ticket:
    """The ticket with what the sidebar panels show read in the same query."""
    return ticket_get_for_user(
        user=user,
        ticket_id=ticket_id,
        queryset=Ticket.objects.annotate(**customer_panel_annotations()),
    )


@require_GET
@staff_required
def ticket_detail(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket_for_page(request.user, ticket_id)
    reply_form = None
    macro_id = request.GET.get("macro", "")
    if macro_id.isdigit():
        # "Insert macro" works without JavaScript: the page comes back with the text filled.
        macro = macros_for(user=request.user, ticket=ticket).filter(pk=int(macro_id)).first()
        if macro is not None:
            body = macro_render(macro=macro, ticket=ticket, agent=request.user)
            reply_form = AgentReplyForm(initial={"version": ticket.version, "body": body})
    return render(
        request,
        "tickets/workspace/detail.html",
        _detail_context(request.user, ticket, reply_form),
    )


@require_POST
@staff_required
def ticket_reply_post(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    # With the panels' figures: a refused reply renders the whole ticket page again.
    ticket = _ticket_for_page(request.user, ticket_id)
    form = AgentReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == "note":
                ticket_note_add(
                    ticket=ticket,
                    author=request.user,
                    body=data["body"],
                    attachments=to_attachment_inputs(data["attachments"]),
                    expected_version=data["version"],
                )
            else:
                ticket_reply(
                    ticket=ticket,
                    author=request.user,
                    body=data["body"],
                    attachments=to_attachment_inputs(data["attachments"]),
                    set_status=data["set_status"] or None,
                    expected_version=data["version"],
                )
        except StaleTicketError as exc:
            form.add_error(None, exc)
            # Show the latest state, keep the agent's text, and accept the next submit.
            ticket.refresh_from_db()
            fresh = request.POST.copy()
            fresh["version"] = str(ticket.version)
            form.data = fresh
        except TicketError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Note added." if data["kind"] == "note" else "Reply sent.")
            return redirect("workspace:detail", ticket_id=ticket.pk)
    return render(
        request,
        "tickets/workspace/detail.html",
        _detail_context(request.user, ticket, form),
        status=400,
    )


@require_POST
@staff_required
def ticket_status_post(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    form = StatusForm(request.POST)
    return _apply(
        request,
        ticket,
        form,
        lambda d: ticket_change_status(
            ticket=ticket, actor=request.user, status=d["status"], expected_version=d["version"]
        ),
        "Status updated.",
    )


@require_POST
@staff_required
def ticket_priority_post(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    form = PriorityForm(request.POST)
    return _apply(
        request,
        ticket,
        form,
        lambda d: ticket_set_priority(
            ticket=ticket, actor=request.user, priority=d["priority"], expected_version=d["version"]
        ),
        "Priority updated.",
    )


@require_POST
@staff_required
def ticket_take_post(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    try:
        ticket_take(ticket=ticket, agent=request.user)
    except TicketError as exc:
        return _answer(request, ticket, messages.ERROR, " ".join(exc.messages))
    return _answer(request, ticket, messages.SUCCESS, "The ticket is yours.")


def _apply(
    request: AuthenticatedHttpRequest,
    ticket: Ticket,
    form: StatusForm | PriorityForm | AssignForm | TagsForm,
    action: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    if not form.is_valid():
        return _answer(
            request, ticket, messages.ERROR, "That change could not be read; please try again."
        )
    try:
        action(form.cleaned_data)
    except TicketError as exc:
        return _answer(request, ticket, messages.ERROR, " ".join(exc.messages))
    return _answer(request, ticket, messages.SUCCESS, success)


def _answer(
    request: AuthenticatedHttpRequest, ticket: Ticket, level: int, text: str
) -> HttpResponse:
    """How a ticket control answers: its section for htmx, else back to the whole page.

    Without JavaScript the message is flashed and the page reloads (post/redirect/get).
    An htmx request gets the controls section, read again after the write (or the
    refusal), so it shows the new state, the message, and the version the next submit
    must carry. Refusals answer 200 too: htmx does not swap 4xx responses, and a refusal
    the agent cannot see would be a silent failure.
    """
    if not request.htmx:
        messages.add_message(request, level, text)
        return redirect("workspace:detail", ticket_id=ticket.pk)
    fresh = ticket_get_for_user(user=request.user, ticket_id=ticket.pk)
    context = _controls_context(fresh)
    context["events"] = timeline_for_display(fresh)
    context["controls_notice"] = {"level": messages.DEFAULT_TAGS[level], "text": text}
    # The page's reply editor carries the version it was rendered at. After the agent's
    # own change it would be refused as stale, so it follows along, but only when this
    # change alone moved the version: a colleague's change in between must still stop
    # a reply written against what the page showed.
    page_version = request.POST.get("version", "")
    context["refresh_reply_version"] = (
        level == messages.SUCCESS
        and page_version.isdigit()
        and fresh.version in (int(page_version), int(page_version) + 1)
    )
    return render(request, "tickets/workspace/detail.html#ticket-controls", context)


@require_POST
@staff_required
def ticket_assign_post(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, ticket, messages.ERROR, "That assignment could not be read; please try again."
        )
    assignee = None
    if form.cleaned_data["assignee"]:
        assignee = User.objects.filter(pk=form.cleaned_data["assignee"], is_active=True).first()
        if assignee is None:
            return _answer(request, ticket, messages.ERROR, "No such agent.")
    return _apply(
        request,
        ticket,
        form,
        lambda d: ticket_assign(
            ticket=ticket, actor=request.user, assignee=assignee, expected_version=d["version"]
        ),
        "Assignment updated.",
    )


@require_POST
@staff_required
def ticket_tags_post(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    form = TagsForm(request.POST)
    return _apply(
        request,
        ticket,
        form,
        lambda d: ticket_set_tags(
            ticket=ticket, actor=request.user, tags=d["tags"], expected_version=d["version"]
        ),
        "Tags updated.",
    )


@require_POST
@staff_required
def ticket_merge_post(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the number of the ticket to merge into.")
        return redirect("workspace:detail", ticket_id=ticket.pk)
    try:
        # The target goes through the same access check: no merging into hidden tickets.
        target = ticket_get_for_user(user=request.user, ticket_id=form.cleaned_data["into"])
        merged = ticket_merge(source=ticket, target=target, actor=request.user)
    except Http404:
        messages.error(request, f"Ticket #{form.cleaned_data['into']} was not found.")
    except TicketError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Merged into #{merged.pk}.")
        return redirect("workspace:detail", ticket_id=merged.pk)
    return redirect("workspace:detail", ticket_id=ticket.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def ticket_new_for_customer(request: AuthenticatedHttpRequest) -> HttpResponse:
    queues = list(queues_visible_to(request.user).order_by("name"))
    form = AgentTicketForm(request.POST or None, request.FILES or None, queues=queues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        queue = next(q for q in queues if q.slug == data["queue"])
        try:
            with transaction.atomic():
                customer = customer_get_or_create(
                    email=data["customer_email"], name=data["customer_name"]
                )
                ticket = ticket_create(
                    requester=customer,
                    subject=data["subject"],
                    body=data["description"],
                    urgency=data["urgency"],
                    channel=Channel.AGENT,
                    queue=queue,
                    created_by=request.user,
                    attachments=to_attachment_inputs(data["attachments"]),
                )
        except TicketError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Ticket #{ticket.pk} created for {customer.user.email}.")
            return redirect("workspace:detail", ticket_id=ticket.pk)
    return render(
        request,
        "tickets/workspace/new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
