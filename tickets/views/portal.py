"""The customer portal: a customer sees and answers only their own tickets."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import ticket_get_for_user, tickets_visible_to
from tickets.errors import TicketError
from tickets.forms import CustomerReplyForm, to_attachment_inputs
from tickets.models import Channel, MessageKind
from tickets.services import ticket_customer_reply
from tickets.tokens import portal_token_check


def customer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_customer:
            return HttpResponseForbidden("The portal is for customers.")
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return wrapper


@require_http_methods(["GET", "POST"])
def magic_login(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST signs in: mail scanners that open links sign no one in.

    Signing in retires the link (and every older one): it opens one session only.
    """
    state, customer = portal_token_check(token)
    if customer is None:
        return render(
            request, "tickets/portal/link_invalid.html", {"reason": state.value}, status=400
        )
    if request.method == "POST":
        login(request, customer.user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("portal:list")
    return render(request, "tickets/portal/magic_login.html", {"customer": customer})


@require_GET
@customer_required
def ticket_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tickets = tickets_visible_to(request.user).order_by("-updated_at")[:100]
    return render(request, "tickets/portal/list.html", {"tickets": tickets})


@require_GET
@customer_required
def ticket_detail(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    return _render_detail(request, ticket, CustomerReplyForm())


def _render_detail(
    request: AuthenticatedHttpRequest, ticket: Any, form: CustomerReplyForm, status: int = 200
) -> HttpResponse:
    conversation = (
        ticket.messages.exclude(kind=MessageKind.NOTE)
        .select_related("author")
        .prefetch_related("attachments")
    )
    return render(
        request,
        "tickets/portal/detail.html",
        {"ticket": ticket, "conversation": conversation, "form": form},
        status=status,
    )


@require_POST
@customer_required
def ticket_reply(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    form = CustomerReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ticket_customer_reply(
                ticket=ticket,
                customer=request.user.customer,
                body=form.cleaned_data["body"],
                channel=Channel.PORTAL,
                attachments=to_attachment_inputs(form.cleaned_data["attachments"]),
            )
        except TicketError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your reply was sent.")
            return redirect("portal:detail", ticket_id=ticket.pk)
    return _render_detail(request, ticket, form, status=400)
