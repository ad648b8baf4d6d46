"""Customer mail for ticket events, delivered through the outbox after commit.

Customer-facing mail never contains internal notes: only the public message that
the event points at is ever rendered. Each mail carries its own Message-ID and
References to the ticket's earlier mail so clients thread the conversation, and a
Reply-To with a signed token so the customer's answer lands on the right ticket.
"""

from __future__ import annotations

from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from tickets.models import EventKind, Message, MessageKind, Status, TicketEvent
from tickets.outbox import register
from tickets.tokens import portal_token, reply_token


def _reply_to() -> tuple[str, str]:
    """(local part, domain) of the support address, for plus-addressed Reply-To."""
    address = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">")
    local, _, domain = address.partition("@")
    return local, domain


def _from_address(message: Message | None) -> str:
    """The desk's address; on an agent's reply, "<first name> at <desk>" as display name.

    Never the agent's own address: customers write to the desk, and staff addresses
    (often their usernames) are not for customers to collect.
    """
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    author = message.author if message is not None else None
    if author is not None and author.is_staff_member and author.first_name:
        name = f"{author.first_name} at {name}" if name else author.first_name
    return formataddr((" ".join(name.split()), address))


def _send(event: TicketEvent, template: str, *, message: Message | None) -> None:
    ticket = event.ticket
    customer = ticket.requester
    recipient = customer.user.email
    if not recipient:
        return
    local, domain = _reply_to()
    message_id = make_msgid(domain=domain or "attune.localhost").strip("<>")
    mailed = (
        Message.objects.filter(ticket=ticket, email_message_id__isnull=False)
        .exclude(kind=MessageKind.NOTE)
        .values_list("email_message_id", flat=True)
    )
    # In-Reply-To is the latest mail; References keeps the root and the 19 latest
    # (RFC 5322 3.6.4), so long conversations still thread onto the right message.
    latest = list(mailed.order_by("-created_at", "-id")[:19])[::-1]
    root = mailed.order_by("created_at", "id").first()
    earlier = ([root] if root and root not in latest else []) + latest
    context = {
        "ticket": ticket,
        "customer": customer,
        "message": message,
        "portal_url": settings.SITE_URL + reverse("portal:login", args=[portal_token(customer)]),
        "event": event,
    }
    # Subjects come from customers: strip line breaks so no header can be injected.
    raw_subject = render_to_string(f"tickets/email/{template}_subject.txt", context)
    subject = " ".join(raw_subject.split())[:200]
    mail = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"tickets/email/{template}.txt", context),
        from_email=_from_address(message),
        to=[recipient],
        reply_to=[f"{local}+{reply_token(ticket.pk)}@{domain}"],
        headers={
            "Message-ID": f"<{message_id}>",
            "Auto-Submitted": "auto-generated" if message is None else "no",
            **(
                {
                    "In-Reply-To": f"<{earlier[-1]}>",
                    "References": " ".join(f"<{m}>" for m in earlier),
                }
                if earlier
                else {}
            ),
        },
    )
    mail.attach_alternative(
        render_to_string(f"tickets/email/{template}.html", context), "text/html"
    )
    mail.send()
    if message is not None and not message.email_message_id:
        Message.objects.filter(pk=message.pk).update(email_message_id=message_id)


@register("tickets.notify_created", kinds={EventKind.CREATED}, queue="mail")
def notify_created(event: TicketEvent) -> None:
    _send(event, "ticket_received", message=None)


@register("tickets.notify_replied", kinds={EventKind.AGENT_REPLIED}, queue="mail")
def notify_replied(event: TicketEvent) -> None:
    message = event.message
    # Defence in depth: an agent-replied event never points at a note, but if it did
    # the note must not leave the building.
    if message is None or message.kind != MessageKind.REPLY:
        return
    _send(event, "agent_replied", message=message)


@register("tickets.notify_status", kinds={EventKind.STATUS_CHANGED}, queue="mail")
def notify_status(event: TicketEvent) -> None:
    if event.data.get("to") == Status.RESOLVED:
        _send(event, "ticket_resolved", message=None)
