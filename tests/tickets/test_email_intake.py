"""Inbound mail, from the .eml corpus: store raw, then thread or open a ticket."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from accounts.models import Role
from tickets.models import (
    Channel,
    Customer,
    EventKind,
    InboundEmail,
    Message,
    MessageKind,
    Status,
    Ticket,
)
from tickets.services import ticket_change_status, ticket_reply
from tickets.services.email_intake import email_process, email_receive
from tickets.tokens import reply_token

pytestmark = pytest.mark.django_db

EML = Path(__file__).parent / "eml"
MARIA = "maria.lopez@lumenrye.example"
# The Message-ID of Attune's reply that the corpus replies quote.
OUR_REPLY_ID = "ticket-1042-reply-1.1764150060@attune.example"
CORPUS_TOKEN = b"t1042.q8ZkR2vN"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def eml(name: str) -> bytes:
    return (EML / f"{name}.eml").read_bytes()


def deliver(raw: bytes) -> InboundEmail:
    inbound, _ = email_receive(raw)
    email_process(inbound.pk)
    inbound.refresh_from_db()
    return inbound


@pytest.fixture
def marias_ticket(queue, agent) -> Ticket:
    """Maria's ticket, opened by mail, with an agent reply mailed as OUR_REPLY_ID."""
    inbound = deliver(eml("new_request_plain"))
    ticket = inbound.ticket
    reply = ticket_reply(ticket=ticket, author=agent, body="Please tap Re-authorise.")
    Message.objects.filter(pk=reply.pk).update(email_message_id=OUR_REPLY_ID)
    return ticket


# New mail and threading -------------------------------------------------------------


def test_it_opens_a_ticket_from_a_new_mail(queue) -> None:
    inbound = deliver(eml("new_request_plain"))

    assert inbound.state == InboundEmail.State.PROCESSED
    assert inbound.processed_at is not None
    ticket = Ticket.objects.get()
    assert inbound.ticket == ticket
    assert ticket.channel == Channel.EMAIL
    assert ticket.subject == "Order tablet stopped syncing since this morning"
    assert ticket.requester.user.email == MARIA
    assert ticket.requester.user.role == Role.CUSTOMER
    message = ticket.messages.get()
    assert message.email_message_id == "CAH7Fq9x=pLm3kQ2bZ8w@mail.lumenrye.example"
    assert message.channel == Channel.EMAIL
    assert "order tablet at the front counter" in message.body
    assert ticket.events.filter(kind=EventKind.CREATED).count() == 1


def test_it_enqueues_processing_only_after_commit(queue, django_capture_on_commit_callbacks):
    with (
        mock.patch("tickets.tasks.email_process.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        inbound, created = email_receive(eml("new_request_plain"))
        assert not delay.called
    assert created
    delay.assert_called_once_with(inbound.pk)


def test_it_threads_a_reply_to_a_message_we_sent(marias_ticket) -> None:
    inbound = deliver(eml("reply_gmail_quoted"))

    assert inbound.state == InboundEmail.State.PROCESSED
    assert inbound.ticket == marias_ticket
    assert Ticket.objects.count() == 1
    last = marias_ticket.messages.order_by("created_at", "id").last()
    assert (last.kind, last.channel) == (MessageKind.CUSTOMER, Channel.EMAIL)
    assert last.email_message_id == "CAH7Fq9yT0vW2nS-Kq1f@mail.lumenrye.example"
    assert "tablet is back online" in last.body
    marias_ticket.refresh_from_db()
    assert marias_ticket.status == Status.OPEN  # was pending on the customer


def test_it_threads_a_reply_that_only_references_the_first_mail(marias_ticket) -> None:
    raw = eml("reply_gmail_quoted")
    raw = raw.replace(OUR_REPLY_ID.encode(), b"CAH7Fq9x=pLm3kQ2bZ8w@mail.lumenrye.example")
    assert deliver(raw).ticket == marias_ticket
    assert Ticket.objects.count() == 1


def test_it_stores_a_message_delivered_three_times_once(queue) -> None:
    first, created_1 = email_receive(eml("new_request_plain"))
    second, created_2 = email_receive(eml("duplicate_message_id"))
    third, created_3 = email_receive(eml("new_request_plain"))
    assert (created_1, created_2, created_3) == (True, False, False)
    assert first.pk == second.pk == third.pk

    for inbound in (first, second, third):
        email_process(inbound.pk)

    assert InboundEmail.objects.count() == 1
    assert Message.objects.count() == 1
    assert Ticket.objects.count() == 1


def test_it_ignores_a_message_id_it_already_stored_on_a_message(marias_ticket) -> None:
    # The same mail again, with its Message-ID header folded: the raw dedup key differs
    # (a content hash), the parsed Message-ID does not.
    raw = eml("reply_gmail_quoted")
    first = deliver(raw)
    again = deliver(raw.replace(b"Message-ID: <", b"Message-ID:\n <", 1))
    assert again.pk != first.pk
    assert again.state == InboundEmail.State.IGNORED
    assert marias_ticket.messages.filter(kind=MessageKind.CUSTOMER).count() == 2


@pytest.mark.parametrize(
    "name",
    [
        "auto_reply_out_of_office",
        "auto_reply_x_autoreply",
        "bounce_dsn",
        "newsletter_precedence_bulk",
        "mailing_list_list_id",
    ],
)
def test_it_ignores_automatic_mail(name, queue) -> None:
    inbound = deliver(eml(name))

    assert inbound.state == InboundEmail.State.IGNORED
    assert inbound.detail.startswith("Automatic message")
    assert inbound.ticket is None
    assert not Ticket.objects.exists()
    assert not Customer.objects.exists()


def test_it_keeps_unparseable_mail_raw_with_its_error(queue) -> None:
    raw = eml("not_an_email")
    inbound = deliver(raw)

    assert inbound.state == InboundEmail.State.FAILED
    assert inbound.detail
    assert bytes(inbound.raw) == raw
    assert not Ticket.objects.exists()


def test_it_processes_a_stored_message_only_once(queue) -> None:
    inbound = deliver(eml("new_request_plain"))
    assert email_process(inbound.pk) == InboundEmail.State.PROCESSED
    assert Message.objects.count() == 1


# Nobody writes into someone else's ticket --------------------------------------------


def test_it_does_not_thread_a_stranger_quoting_our_message_id(marias_ticket) -> None:
    raw = eml("reply_gmail_quoted").replace(
        b"From: Maria Lopez <maria.lopez@lumenrye.example>",
        b"From: Mallory <mallory@evil.example>",
    )
    inbound = deliver(raw)

    assert inbound.state == InboundEmail.State.PROCESSED
    assert inbound.ticket != marias_ticket
    assert inbound.ticket.requester.user.email == "mallory@evil.example"
    assert marias_ticket.messages.filter(author__email="mallory@evil.example").count() == 0
    assert marias_ticket.messages.count() == 2


def test_it_does_not_thread_a_stranger_quoting_the_ticket_number(marias_ticket) -> None:
    raw = (
        eml("subject_tag_ticket_ref")
        .replace(b"[Attune #1042]", f"[Attune #{marias_ticket.pk}]".encode())
        .replace(b"maria.lopez@lumenrye.example", b"someone@else.example")
    )
    inbound = deliver(raw)

    assert inbound.state == InboundEmail.State.PROCESSED
    assert inbound.ticket != marias_ticket
    assert marias_ticket.messages.count() == 2


def test_it_refuses_mail_from_a_staff_address(marias_ticket, make_user) -> None:
    make_user(Role.AGENT, email="sam.rivera@attune.example")
    before = Message.objects.count()

    inbound = deliver(eml("spoofed_agent_from"))

    assert inbound.state == InboundEmail.State.FAILED
    assert "staff" in inbound.detail
    assert Message.objects.count() == before
    assert Ticket.objects.count() == 1


def test_it_threads_a_reply_with_a_valid_signed_token(queue, customer) -> None:
    ticket = deliver(eml("new_request_plain")).ticket
    raw = eml("reply_plus_address_token").replace(
        CORPUS_TOKEN + b"-x_7", reply_token(ticket.pk).encode()
    )

    inbound = deliver(raw)

    assert inbound.ticket == ticket
    assert ticket.messages.count() == 2
    assert Ticket.objects.count() == 1


def test_it_threads_a_signed_token_whose_signature_changed_case(queue) -> None:
    # Some clients and MTAs change the case of the local part.
    ticket = deliver(eml("new_request_plain")).ticket
    prefix, _, signature = reply_token(ticket.pk).partition(".")
    token = f"{prefix}.{signature.upper()}"
    raw = eml("reply_plus_address_token").replace(CORPUS_TOKEN + b"-x_7", token.encode())
    assert deliver(raw).ticket == ticket


def test_it_does_not_thread_a_forged_token(queue) -> None:
    ticket = deliver(eml("new_request_plain")).ticket
    forged = f"t{ticket.pk}.q8ZkR2vNq8ZkR2vN".encode()
    raw = eml("reply_plus_address_token").replace(CORPUS_TOKEN + b"-x_7", forged)

    inbound = deliver(raw)

    assert inbound.ticket != ticket
    assert Ticket.objects.count() == 2
    assert ticket.messages.count() == 1


def test_it_follows_a_merge_when_a_reply_token_names_the_merged_ticket(queue, agent) -> None:
    from tickets.services import ticket_merge

    target = deliver(eml("new_request_plain")).ticket
    source = deliver(eml("subject_tag_ticket_ref")).ticket  # Maria again, new thread
    assert source.requester == target.requester
    ticket_merge(source=source, target=target, actor=agent)
    # The customer answers the confirmation mail of the ticket that was merged away.
    reply = eml("reply_plus_address_token").replace(
        CORPUS_TOKEN + b"-x_7", reply_token(source.pk).encode()
    )

    inbound = deliver(reply)

    assert inbound.state == InboundEmail.State.PROCESSED
    assert inbound.ticket == target
    assert Ticket.objects.count() == 2
    assert target.messages.filter(email_message_id="token-reply-1@lumenrye.example").exists()


def test_it_opens_a_new_ticket_for_a_reply_to_a_closed_one(marias_ticket, agent) -> None:
    ticket_change_status(ticket=marias_ticket, actor=agent, status=Status.CLOSED)
    inbound = deliver(eml("reply_gmail_quoted"))
    assert inbound.ticket != marias_ticket
    assert Ticket.objects.count() == 2


def test_it_notes_attachments_it_could_not_keep(settings, queue) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10
    inbound = deliver(eml("attachment_pdf"))
    assert inbound.state == InboundEmail.State.PROCESSED
    message = inbound.ticket.messages.get()
    assert message.attachments.count() == 0
    assert "not kept" in message.body


def test_it_keeps_html_and_svg_attachments_inert(queue) -> None:
    inbound = deliver(eml("attachment_html_svg_script"))
    message = inbound.ticket.messages.get()
    names = sorted(a.file.name.rsplit("/", 1)[-1] for a in message.attachments.all())
    assert all(len(name) == 64 for name in names)  # the hash, never the sender's name
    assert "<script" not in message.body


# The MTA endpoint -------------------------------------------------------------------

URL = "/inbound/email/"


SECRET = "inbound-test-secret"  # helpdesk.settings_test


def post(client, raw: bytes, secret: str | None = SECRET):
    headers = {"X-Attune-Secret": secret} if secret is not None else {}
    return client.post(URL, data=raw, content_type="message/rfc822", headers=headers)


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "-and-more", SECRET.upper()])
def test_it_refuses_the_endpoint_without_the_right_secret(client, secret) -> None:
    response = post(client, eml("new_request_plain"), secret)
    assert response.status_code == 403
    assert not InboundEmail.objects.exists()


def test_it_accepts_mail_with_the_right_secret(client) -> None:
    response = post(client, eml("new_request_plain"))

    assert response.status_code == 202
    inbound = InboundEmail.objects.get()
    assert response.json() == {
        "id": inbound.pk,
        "message_id": "CAH7Fq9x=pLm3kQ2bZ8w@mail.lumenrye.example",
        "duplicate": False,
    }
    assert inbound.state == InboundEmail.State.RECEIVED
    assert bytes(inbound.raw) == eml("new_request_plain")


def test_it_answers_200_with_duplicate_for_a_known_message(client) -> None:
    post(client, eml("new_request_plain"))
    response = post(client, eml("duplicate_message_id"))
    assert response.status_code == 200
    assert response.json()["duplicate"] is True
    assert InboundEmail.objects.count() == 1


def test_it_accepts_mail_larger_than_the_form_upload_limit(client, settings) -> None:
    # A few MB of attachments is ordinary mail; the 2 MB limit is for form posts.
    big = eml("new_request_plain") + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = post(client, big)
    assert response.status_code == 202
    assert bytes(InboundEmail.objects.get().raw) == big


def test_it_refuses_mail_over_the_raw_size_limit(client) -> None:
    with mock.patch("tickets.services.email_intake.MAX_RAW_BYTES", 1000):
        response = post(client, eml("new_request_plain") + b"x" * 1000)
    assert response.status_code == 400
    assert not InboundEmail.objects.exists()


@pytest.mark.parametrize(
    "message_id", [b"<a\x00b@evil.example>", b"<caf\xc3\xa9 \x7f@x.example>", b"<\x00>"]
)
def test_it_stores_mail_with_a_hostile_message_id(client, message_id) -> None:
    raw = eml("new_request_plain").replace(
        b"<CAH7Fq9x=pLm3kQ2bZ8w@mail.lumenrye.example>", message_id
    )
    response = post(client, raw)

    assert response.status_code == 202
    inbound = InboundEmail.objects.get()
    assert "\x00" not in inbound.message_id
    assert inbound.message_id.isprintable()
    assert post(client, raw).json()["duplicate"] is True


def test_it_refuses_an_empty_body(client) -> None:
    response = post(client, b"  \r\n")
    assert response.status_code == 400
    assert not InboundEmail.objects.exists()


def test_it_answers_503_when_inbound_mail_is_not_configured(client, settings) -> None:
    settings.ATTUNE_INBOUND_EMAIL_SECRET = ""
    assert post(client, eml("new_request_plain"), "").status_code == 503


def test_it_only_accepts_post(client) -> None:
    assert client.get(URL, headers={"X-Attune-Secret": SECRET}).status_code == 405
