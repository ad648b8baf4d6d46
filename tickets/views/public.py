"""The public web form: no login, rate limited, every field treated as hostile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from helpdesk.http import client_ip
from tickets import ratelimit
from tickets.errors import TicketError
from tickets.forms import PublicTicketForm, to_attachment_inputs
from tickets.models import Channel
from tickets.services import customer_get_or_create, ticket_create


@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = PublicTicketForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        limit = settings.ATTUNE_PUBLIC_FORM_RATE
        email = form.cleaned_data["email"]
        if not (
            ratelimit.hit("form-ip", client_ip(request), limit=limit)
            and ratelimit.hit("form-email", email, limit=limit)
        ):
            form.add_error(
                None,
                "We received several requests from you in the last hour. Please wait a little, "
                "or reply to the confirmation email of your earlier request.",
            )
            return render(request, "tickets/public/new.html", {"form": form}, status=429)
        try:
            customer = customer_get_or_create(email=email, name=form.cleaned_data["name"])
            ticket_create(
                requester=customer,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["description"],
                urgency=form.cleaned_data["urgency"],
                channel=Channel.WEB,
                attachments=to_attachment_inputs(form.cleaned_data["attachments"]),
            )
        except TicketError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                "Thank you, we received your request. We sent a confirmation to "
                f"{email} with a link to follow it.",
            )
            return redirect("public:thanks")
    status = 400 if request.method == "POST" else 200
    return render(request, "tickets/public/new.html", {"form": form}, status=status)


def ticket_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/public/thanks.html")
