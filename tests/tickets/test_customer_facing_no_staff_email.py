"""Customers see an agent's first name, never a staff email address: pages and mail."""

from __future__ import annotations

from email.utils import parseaddr

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tickets.models import Channel, Status, Ticket
from tickets.outbox import event_deliver, handlers_for
from tickets.services import ticket_change_status, ticket_reply
from tickets.tokens import portal_token

pytestmark = pytest.mark.django_db

NAMED = "priya.shah@staff.attune.example"
UNNAMED = "ops-7@staff.attune.example"


@pytest.fixture
def answered(queue, make_user, make_ticket, settings, tmp_path) -> Ticket:
    """A ticket answered by two agents whose usernames are their addresses, one unnamed."""
    settings.MEDIA_ROOT = tmp_path
    settings.DEFAULT_FROM_EMAIL = "Attune Support <support@attune.example>"
    named = make_user(Role.AGENT, username=NAMED, email=NAMED, first_name="Priya", last_name="Shah")
    unnamed = make_user(Role.AGENT, username=UNNAMED, email=UNNAMED, first_name="", last_name="")
    queue.agents.add(named, unnamed)
    ticket = make_ticket(channel=Channel.EMAIL)
    ticket_reply(ticket=ticket, author=named, body="Please restart the tablet.")
    ticket_reply(ticket=ticket, author=unnamed, body="Following up on this.")
    ticket_change_status(ticket=ticket, status=Status.RESOLVED, actor=named)
    for event in ticket.events.order_by("created_at", "id"):
        for handler in handlers_for(event.kind):
            if handler.name.startswith("tickets."):
                event_deliver(event.pk, handler.name)
    return ticket


def assert_no_staff_address(text: str, where: str) -> None:
    for address in (NAMED, UNNAMED, "staff.attune.example"):
        assert address not in text.lower(), f"{address} leaked in {where}"


def test_no_customer_mail_names_a_staff_address(answered) -> None:
    assert len(mail.outbox) == 4  # received, two replies, resolved
    for sent in mail.outbox:
        message = sent.message()
        for header, value in message.items():
            assert_no_staff_address(str(value), f"{header} of {sent.subject!r}")
        assert_no_staff_address(sent.body, f"body of {sent.subject!r}")
        for html, _ in sent.alternatives:
            assert_no_staff_address(str(html), f"html of {sent.subject!r}")


def test_customer_mail_comes_from_the_desk_with_the_agents_first_name(answered) -> None:
    received, named_reply, unnamed_reply, resolved = mail.outbox

    desk = "support@attune.example"
    assert parseaddr(named_reply.from_email) == ("Priya at Attune Support", desk)
    assert "Priya" in named_reply.body
    assert "Shah" not in named_reply.body
    # No first name: the desk speaks, not the username.
    for sent in (received, unnamed_reply, resolved):
        assert parseaddr(sent.from_email) == ("Attune Support", desk)


def test_no_customer_page_names_a_staff_address(answered, client) -> None:
    customer = answered.requester
    token_url = reverse("portal:login", args=[portal_token(customer)])
    public_pages = [reverse("public:new"), reverse("public:thanks"), token_url]
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == 200
        assert_no_staff_address(response.content.decode(), url)

    assert client.post(token_url).status_code == 302
    for url in (reverse("portal:list"), reverse("portal:detail", args=[answered.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert_no_staff_address(response.content.decode(), url)


def test_the_portal_shows_agents_by_first_name_only(answered, customer) -> None:
    client = Client()
    client.force_login(customer.user)

    page = client.get(reverse("portal:detail", args=[answered.pk])).content.decode()

    assert "<strong>Priya</strong>" in page
    assert "Shah" not in page
    assert "<strong>Support team</strong>" in page
    assert "<strong>You</strong>" in page
