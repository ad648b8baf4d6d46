"""The public form, the magic-link portal and attachment downloads, through the client."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tickets.models import Channel, Customer, Message, MessageKind, Status, Ticket
from tickets.services import AttachmentInput, ticket_change_status, ticket_note_add, ticket_reply
from tickets.tokens import portal_token

pytestmark = pytest.mark.django_db

NEW = reverse("public:new")
NOTE_TEXT = "Internal: this customer is on a legacy contract"


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTUNE_PUBLIC_FORM_RATE = 2
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Maria Lopez",
        "email": "maria@lumenrye.example",
        "subject": "Tablet offline",
        "description": "The order tablet shows offline since 7am.",
        "urgency": "high",
    }
    data.update(overrides)
    return data


def templates(response) -> list[str]:
    return [t.name for t in response.templates]


# Public form ------------------------------------------------------------------------


def test_it_shows_the_public_form(client, queue) -> None:
    response = client.get(NEW)
    assert response.status_code == 200
    assert "tickets/public/new.html" in templates(response)


def test_it_creates_a_ticket_from_the_public_form(client, queue) -> None:
    response = client.post(NEW, form_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("public:thanks")
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel, ticket.urgency, ticket.queue) == (
        "Tablet offline",
        Channel.WEB,
        "high",
        queue,
    )
    assert ticket.requester.user.email == "maria@lumenrye.example"
    assert ticket.messages.get().body == "The order tablet shows offline since 7am."
    # Whoever filed is not signed in by filing.
    assert "_auth_user_id" not in client.session


def test_it_shows_field_errors_on_bad_input(client, queue) -> None:
    response = client.post(NEW, form_data(email="not-an-email", subject="", urgency="asap"))

    assert response.status_code == 400
    assert "tickets/public/new.html" in templates(response)
    form = response.context["form"]
    assert set(form.errors) == {"email", "subject", "urgency"}
    assert not Ticket.objects.exists()


def test_it_refuses_a_staff_address_on_the_public_form(client, queue, agent) -> None:
    response = client.post(NEW, form_data(email=agent.email))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Ticket.objects.exists()


def test_it_refuses_an_executable_on_the_public_form(client, queue) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(NEW, {**form_data(), "attachments": upload})
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_rate_limits_the_public_form_per_ip(client, queue) -> None:
    for n in range(2):
        assert client.post(NEW, form_data(email=f"p{n}@example.com")).status_code == 302

    response = client.post(NEW, form_data(email="p3@example.com"))

    assert response.status_code == 429
    assert "tickets/public/new.html" in templates(response)
    assert Ticket.objects.count() == 2
    # Another address from another IP is not affected.
    other = client.post(NEW, form_data(email="p4@example.com"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_it_rate_limits_the_public_form_per_email(client, queue) -> None:
    for n in range(2):
        response = client.post(NEW, form_data(), REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert response.status_code == 302

    response = client.post(NEW, form_data(email="MARIA@lumenrye.example"), REMOTE_ADDR="10.0.1.1")

    assert response.status_code == 429
    assert Ticket.objects.count() == 2


# Magic links ------------------------------------------------------------------------


def login_url(customer: Customer) -> str:
    return reverse("portal:login", args=[portal_token(customer)])


def test_it_does_not_sign_in_on_get_so_link_scanners_are_harmless(client, customer) -> None:
    response = client.get(login_url(customer))

    assert response.status_code == 200
    assert "tickets/portal/magic_login.html" in templates(response)
    assert "_auth_user_id" not in client.session


def test_it_signs_in_on_post(client, customer) -> None:
    response = client.post(login_url(customer))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:list")
    assert client.session["_auth_user_id"] == str(customer.user.pk)


def test_it_checks_csrf_on_the_magic_link_post(customer) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(login_url(customer))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_a_forged_token(client, customer, method) -> None:
    token = portal_token(customer)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    other_salt = signing.dumps({"c": customer.pk}, salt="attune.other", compress=False)
    for bad in (forged, "garbage", other_salt):
        response = getattr(client, method)(reverse("portal:login", args=[bad]))
        assert response.status_code == 400
        assert "tickets/portal/link_invalid.html" in templates(response)
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_expired_token(client, customer, settings) -> None:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 8 * 24 * 3600):
        old = portal_token(customer)
    response = client.post(reverse("portal:login", args=[old]))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_it_refuses_the_link_of_a_deactivated_customer(client, customer) -> None:
    customer.user.is_active = False
    customer.user.save(update_fields=["is_active"])
    assert client.post(login_url(customer)).status_code == 400


def test_it_never_signs_in_a_staff_account_by_magic_link(client, customer) -> None:
    # A customer account later promoted to agent: an old link in a mailbox must not
    # open the workspace without a password.
    url = login_url(customer)
    customer.user.role = "agent"
    customer.user.save(update_fields=["role"])

    assert client.post(url).status_code == 400
    assert "_auth_user_id" not in client.session


# Portal -----------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_of_the_portal_to_login(client) -> None:
    response = client.get(reverse("portal:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_the_portal_to_staff(client_agent) -> None:
    assert client_agent.get(reverse("portal:list")).status_code == 403


def test_it_lists_only_the_customers_own_tickets(
    client_customer, make_ticket, other_customer
) -> None:
    mine = make_ticket(subject="Mine: export")
    theirs = make_ticket(requester=other_customer, subject="Theirs: invoice")

    response = client_customer.get(reverse("portal:list"))

    assert response.status_code == 200
    assert "tickets/portal/list.html" in templates(response)
    assert list(response.context["tickets"]) == [mine]
    assert theirs.subject not in response.content.decode()


def test_it_hides_another_customers_ticket_behind_a_404(
    client_customer, make_ticket, other_customer
) -> None:
    theirs = make_ticket(requester=other_customer)
    assert client_customer.get(reverse("portal:detail", args=[theirs.pk])).status_code == 404
    response = client_customer.post(reverse("portal:reply", args=[theirs.pk]), {"body": "Hi"})
    assert response.status_code == 404
    assert theirs.messages.count() == 1


def test_it_shows_replies_but_never_notes_in_the_portal(client_customer, ticket, agent) -> None:
    ticket_note_add(ticket=ticket, author=agent, body=NOTE_TEXT)
    ticket_reply(ticket=ticket, author=agent, body="We are looking into it.")

    response = client_customer.get(reverse("portal:detail", args=[ticket.pk]))

    assert response.status_code == 200
    assert "tickets/portal/detail.html" in templates(response)
    content = response.content.decode()
    assert "We are looking into it." in content
    assert "legacy contract" not in content
    assert all(m.kind != MessageKind.NOTE for m in response.context["conversation"])


def test_it_takes_a_customer_reply_from_the_portal(client_customer, ticket, agent) -> None:
    ticket_reply(ticket=ticket, author=agent, body="Does it work now?")

    response = client_customer.post(
        reverse("portal:reply", args=[ticket.pk]), {"body": "Yes, <b>thanks</b>!"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:detail", args=[ticket.pk])
    last = ticket.messages.order_by("created_at", "id").last()
    assert (last.kind, last.channel, last.body) == (
        MessageKind.CUSTOMER,
        Channel.PORTAL,
        "Yes, <b>thanks</b>!",
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    page = client_customer.get(response["Location"]).content.decode()
    assert "Yes, &lt;b&gt;thanks&lt;/b&gt;!" in page


def test_it_shows_errors_for_an_empty_portal_reply(client_customer, ticket) -> None:
    response = client_customer.post(reverse("portal:reply", args=[ticket.pk]), {"body": ""})
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert ticket.messages.count() == 1


def test_it_refuses_a_portal_reply_on_a_closed_ticket(client_customer, ticket, agent) -> None:
    ticket_change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    response = client_customer.post(reverse("portal:reply", args=[ticket.pk]), {"body": "Hi"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert ticket.messages.count() == 1


# Attachment downloads ---------------------------------------------------------------


@pytest.fixture
def attached(make_ticket, agent):
    ticket = make_ticket(
        attachments=[AttachmentInput("page.html", "text/html", b"<script>alert(1)</script>")]
    )
    note = ticket_note_add(
        ticket=ticket,
        author=agent,
        body=NOTE_TEXT,
        attachments=[AttachmentInput("internal.pdf", "application/pdf", b"%PDF-1.4 secret")],
    )
    return {
        "public": ticket.messages.get(kind=MessageKind.CUSTOMER).attachments.get(),
        "note": note.attachments.get(),
    }


def download(client, attachment):
    return client.get(reverse("files:attachment", args=[attachment.pk]))


def test_it_serves_an_attachment_to_its_owner_as_an_inert_download(
    client_customer, attached
) -> None:
    response = download(client_customer, attached["public"])

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="page.html"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    response.close()


def test_it_hides_an_attachment_from_another_customer(client_for, other_customer, attached):
    assert download(client_for(other_customer.user), attached["public"]).status_code == 404


def test_it_hides_a_note_attachment_from_the_customer(client_customer, attached) -> None:
    assert download(client_customer, attached["note"]).status_code == 404


def test_it_serves_a_note_attachment_to_an_agent_of_the_queue(client_agent, attached) -> None:
    response = download(client_agent, attached["note"])
    assert response.status_code == 200
    response.close()


def test_it_hides_attachments_from_an_agent_of_another_queue(client_for, other_agent, attached):
    assert download(client_for(other_agent), attached["public"]).status_code == 404


def test_it_sends_anonymous_downloads_to_login(client, attached) -> None:
    response = download(client, attached["public"])
    assert response.status_code == 302
    assert Message.objects.count() == 2
