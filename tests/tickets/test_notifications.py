"""Customer mail sent by the outbox handlers: threading, reply tokens, no internal notes."""

from __future__ import annotations

import re
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from tickets.models import Channel, EventDelivery, EventKind, Message, Status, Ticket, TicketEvent
from tickets.outbox import event_deliver, handlers_for
from tickets.services import (
    ticket_change_status,
    ticket_customer_reply,
    ticket_note_add,
    ticket_reply,
)
from tickets.tokens import reply_token_ticket_id

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Internal: customer owes 3 invoices, do not refund"


def deliver(event: TicketEvent, handler: str) -> bool:
    return event_deliver(event.pk, handler)


def deliver_all(ticket: Ticket) -> None:
    """Run every tickets.* handler for every event of the ticket, as the worker would."""
    for event in ticket.events.order_by("created_at", "id"):
        for handler in handlers_for(event.kind):
            if handler.name.startswith("tickets."):
                event_deliver(event.pk, handler.name)


def portal_path(text: str) -> str:
    url = re.search(r"https?://\S+/portal/login/\S+/", text)
    assert url is not None, text
    return urlsplit(url.group(0)).path


@pytest.fixture
def email_ticket(make_ticket) -> Ticket:
    return make_ticket(channel=Channel.EMAIL, email_message_id="first-mail@customer.example")


def test_it_confirms_a_new_ticket_with_a_working_portal_link(ticket, customer) -> None:
    event = ticket.events.get(kind=EventKind.CREATED)

    assert deliver(event, "tickets.notify_created")

    [sent] = mail.outbox
    assert sent.to == [customer.user.email]
    assert f"#{ticket.pk}" in sent.subject
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    path = portal_path(sent.body)
    html = sent.alternatives[0][0]
    assert path in html

    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert client.get("/portal/").context["user"] == customer.user


def test_it_sends_a_confirmation_only_once(ticket) -> None:
    event = ticket.events.get(kind=EventKind.CREATED)
    assert deliver(event, "tickets.notify_created")
    assert not deliver(event, "tickets.notify_created")
    assert len(mail.outbox) == 1
    assert EventDelivery.objects.filter(event=event).count() == 1


def test_it_threads_agent_replies_and_signs_the_reply_address(email_ticket, agent) -> None:
    first = ticket_reply(ticket=email_ticket, author=agent, body="Please restart it.")
    deliver(first.events.get(kind=EventKind.AGENT_REPLIED), "tickets.notify_replied")
    second = ticket_reply(ticket=email_ticket, author=agent, body="Any luck?")
    deliver(second.events.get(kind=EventKind.AGENT_REPLIED), "tickets.notify_replied")

    one, two = mail.outbox
    first.refresh_from_db()
    second.refresh_from_db()
    assert one.extra_headers["Message-ID"] == f"<{first.email_message_id}>"
    assert one.extra_headers["In-Reply-To"] == "<first-mail@customer.example>"
    assert one.extra_headers["References"] == "<first-mail@customer.example>"
    assert two.extra_headers["Message-ID"] == f"<{second.email_message_id}>"
    assert two.extra_headers["In-Reply-To"] == f"<{first.email_message_id}>"
    assert two.extra_headers["References"] == (
        f"<first-mail@customer.example> <{first.email_message_id}>"
    )
    assert one.subject == f"Re: [Attune #{email_ticket.pk}] {email_ticket.subject}"
    assert "Please restart it." in one.body
    for sent in (one, two):
        [reply_to] = sent.reply_to
        local = parseaddr(reply_to)[1].partition("@")[0]
        assert local.startswith("support+")
        assert reply_token_ticket_id(local.partition("+")[2]) == email_ticket.pk


def test_it_threads_onto_the_latest_mail_of_a_long_conversation(email_ticket, agent) -> None:
    for n in range(25):
        reply = ticket_reply(ticket=email_ticket, author=agent, body=f"Reply {n}")
        Message.objects.filter(pk=reply.pk).update(email_message_id=f"reply-{n}@attune.example")
    last = ticket_reply(ticket=email_ticket, author=agent, body="The latest")

    deliver(last.events.get(kind=EventKind.AGENT_REPLIED), "tickets.notify_replied")

    [sent] = mail.outbox
    assert sent.extra_headers["In-Reply-To"] == "<reply-24@attune.example>"
    references = sent.extra_headers["References"].split()
    assert references[0] == "<first-mail@customer.example>"  # the root stays
    assert references[-2:] == ["<reply-23@attune.example>", "<reply-24@attune.example>"]
    assert len(references) == 20


def test_it_never_mails_internal_notes(email_ticket, agent, customer) -> None:
    ticket_note_add(ticket=email_ticket, author=agent, body=SECRET_NOTE)
    Message.objects.filter(body=SECRET_NOTE).update(email_message_id="note-1@attune.example")
    ticket_reply(ticket=email_ticket, author=agent, body="We are on it.")
    ticket_customer_reply(ticket=email_ticket, customer=customer, body="Thanks", channel="email")
    ticket_note_add(ticket=email_ticket, author=agent, body=SECRET_NOTE + " (2)")
    ticket_change_status(ticket=email_ticket, actor=agent, status=Status.RESOLVED)

    deliver_all(email_ticket)

    assert len(mail.outbox) == 3  # received, replied, resolved
    for sent in mail.outbox:
        rendered = sent.message().as_string()
        assert "owes 3 invoices" not in rendered
        assert "note-1@attune.example" not in rendered


def test_it_sends_nothing_for_an_agent_replied_event_pointing_at_a_note(ticket, agent) -> None:
    note = ticket_note_add(ticket=ticket, author=agent, body=SECRET_NOTE)
    forged = TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.AGENT_REPLIED,
        actor=agent,
        message=note,
        created_at=note.created_at,
    )

    deliver(forged, "tickets.notify_replied")

    assert mail.outbox == []


def test_it_cannot_be_made_to_inject_headers_through_the_subject(ticket) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(
        subject="Help\r\nBcc: victim@evil.example\r\nX-Injected: yes"
    )

    deliver(ticket.events.get(kind=EventKind.CREATED), "tickets.notify_created")

    [sent] = mail.outbox
    assert "\n" not in sent.subject
    assert "\r" not in sent.subject
    message = sent.message()
    assert message["Bcc"] is None
    assert message["X-Injected"] is None
    assert sent.recipients() == [ticket.requester.user.email]


def test_it_mails_the_customer_when_the_ticket_is_resolved(ticket, agent) -> None:
    ticket_change_status(ticket=ticket, actor=agent, status=Status.OPEN)
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    for event in ticket.events.filter(kind=EventKind.STATUS_CHANGED):
        deliver(event, "tickets.notify_status")

    [sent] = mail.outbox
    assert "Resolved" in sent.subject


def test_it_escapes_customer_markup_in_the_html_mail(make_ticket) -> None:
    ticket = make_ticket(subject='<img src=x onerror="alert(1)">')

    deliver(ticket.events.get(kind=EventKind.CREATED), "tickets.notify_created")

    [sent] = mail.outbox
    html = sent.alternatives[0][0]
    assert "<img" not in html
    assert "&lt;img" in html
    assert '<img src=x onerror="alert(1)">' in sent.subject  # plain text stays verbatim


def test_it_keeps_apostrophes_and_ampersands_in_the_subject_as_written(make_ticket) -> None:
    ticket = make_ticket(subject="Can't log in & stuck")

    deliver(ticket.events.get(kind=EventKind.CREATED), "tickets.notify_created")

    [sent] = mail.outbox
    assert sent.subject == f"[Attune #{ticket.pk}] We received your request: Can't log in & stuck"
    assert "Can't log in & stuck" in sent.body
