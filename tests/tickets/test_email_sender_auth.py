"""Inbound mail whose From the receiving MTA could not authenticate never joins a ticket."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from tickets.email_auth import SenderCheck, sender_check
from tickets.models import InboundEmail, Message, Ticket
from tickets.services import ticket_reply
from tickets.services.email_intake import UNVERIFIED_SENDER_TAG, email_process, email_receive

EML = Path(__file__).parent / "eml"
MARIA = "maria.lopez@lumenrye.example"
OUR_REPLY_ID = "ticket-1042-reply-1.1764150060@attune.example"
OURS = "mx.attune.example"

GENUINE = f"{OURS}; spf=pass smtp.mailfrom=lumenrye.example; dkim=pass header.d=lumenrye.example header.s=s1; dmarc=pass (p=reject) header.from=lumenrye.example"  # noqa: E501
FORGED = f"{OURS}; spf=fail smtp.mailfrom=evil.example; dkim=none; dmarc=fail (p=none) header.from=lumenrye.example"  # noqa: E501


def with_results(raw: bytes, *headers: str) -> bytes:
    added = b"".join(f"Authentication-Results: {h}\r\n".encode() for h in headers)
    return added + raw


# The verdict ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((GENUINE,), SenderCheck.VERIFIED),
        ((FORGED,), SenderCheck.FAILED),
        ((f"{OURS}; dmarc=pass header.from=evil.example",), SenderCheck.FAILED),  # not aligned
        ((f"{OURS}; dkim=pass header.d=mail.lumenrye.example",), SenderCheck.VERIFIED),
        ((f"{OURS}; spf=pass smtp.mailfrom=bounce@lumenrye.example",), SenderCheck.VERIFIED),
        ((f"{OURS}; spf=softfail smtp.mailfrom=lumenrye.example",), SenderCheck.FAILED),
        ((f"{OURS}; dkim=pass header.d=evil.example; spf=none",), SenderCheck.UNKNOWN),
        ((f"{OURS}; none",), SenderCheck.UNKNOWN),
        # Another server's header proves nothing, whatever it claims.
        (("mx.evil.example; dmarc=pass header.from=lumenrye.example",), SenderCheck.UNKNOWN),
        ((f"{OURS} 1; dmarc=fail", f"{OURS}; dmarc=pass"), SenderCheck.FAILED),  # top one wins
        ((), SenderCheck.UNKNOWN),
    ],
)
def test_it_reads_the_trusted_servers_verdict(headers, expected) -> None:
    assert sender_check(headers, authserv_id=OURS, from_email=MARIA) == expected


@pytest.mark.parametrize(
    "header",
    [
        "",
        ";;;;",
        OURS,
        f"{OURS};",
        f"{OURS}; dmarc",
        f"{OURS}; dmarc=",
        f"{OURS}; =pass",
        f"{OURS} (((nested) comment) ; dmarc=pass header.from=lumenrye.example",
        f"{OURS}; dmarc=pass header.from=",
        f"{OURS}; dkim=pass header.d=@",
        f"{OURS}; " + "spf=pass smtp.mailfrom=x; " * 2000,
        f"{OURS}; dmarc=pass header.from=lumenrye.example\r\nX-Injected: 1",
        "\x00\xff" * 100,
    ],
)
def test_hostile_headers_give_a_verdict_never_an_error(header) -> None:
    assert sender_check((header,), authserv_id=OURS, from_email=MARIA) in SenderCheck


def test_nested_comments_are_not_read_as_results() -> None:
    header = f"{OURS}; dmarc=fail (policy (p=reject) says dmarc=pass) header.from=lumenrye.example"
    assert sender_check((header,), authserv_id=OURS, from_email=MARIA) == SenderCheck.FAILED


def test_a_pass_for_a_lookalike_domain_is_not_aligned() -> None:
    header = f"{OURS}; dkim=pass header.d=notlumenrye.example; spf=pass smtp.mailfrom=a.example"
    assert sender_check((header,), authserv_id=OURS, from_email=MARIA) == SenderCheck.UNKNOWN


def test_without_a_trusted_server_there_is_no_verdict() -> None:
    assert sender_check((FORGED,), authserv_id="", from_email=MARIA) == SenderCheck.UNKNOWN


# Intake ------------------------------------------------------------------------------


@pytest.fixture
def marias_ticket(db, queue, agent, settings, tmp_path) -> Ticket:
    settings.MEDIA_ROOT = tmp_path
    settings.ATTUNE_INBOUND_AUTHSERV_ID = OURS
    inbound = deliver(with_results((EML / "new_request_plain.eml").read_bytes(), GENUINE))
    ticket = inbound.ticket
    reply = ticket_reply(ticket=ticket, author=agent, body="Please tap Re-authorise.")
    Message.objects.filter(pk=reply.pk).update(email_message_id=OUR_REPLY_ID)
    return ticket


def deliver(raw: bytes) -> InboundEmail:
    inbound, _ = email_receive(raw)
    email_process(inbound.pk)
    inbound.refresh_from_db()
    return inbound


def maria_replies(*headers: str) -> bytes:
    return with_results((EML / "reply_gmail_quoted.eml").read_bytes(), *headers)


def test_a_genuine_reply_joins_the_ticket(marias_ticket) -> None:
    inbound = deliver(maria_replies(GENUINE))

    assert inbound.ticket == marias_ticket
    assert marias_ticket.messages.count() == 3


def test_a_forged_reply_opens_its_own_flagged_ticket(marias_ticket) -> None:
    inbound = deliver(maria_replies(FORGED))

    assert inbound.state == InboundEmail.State.PROCESSED
    assert inbound.ticket != marias_ticket
    assert marias_ticket.messages.count() == 2
    assert list(inbound.ticket.tags.values_list("name", flat=True)) == [UNVERIFIED_SENDER_TAG]


def test_a_forged_header_from_another_server_is_not_believed(marias_ticket) -> None:
    # The attacker writes "dmarc=pass" under some other authserv-id; our MTA's own
    # verdict, on top, says fail.
    forged_claim = "mx.evil.example; dmarc=pass header.from=lumenrye.example"
    inbound = deliver(maria_replies(FORGED, forged_claim))

    assert inbound.ticket != marias_ticket


def test_without_a_configured_server_replies_thread_as_before(marias_ticket, settings) -> None:
    settings.ATTUNE_INBOUND_AUTHSERV_ID = ""

    inbound = deliver(maria_replies(FORGED))

    assert inbound.ticket == marias_ticket


def test_the_inbound_log_says_why_a_forged_reply_did_not_join(marias_ticket) -> None:
    inbound = deliver(maria_replies(FORGED))

    assert inbound.detail == (
        f"Sender not verified by {OURS}: opened its own ticket instead of joining its thread."
    )


# What agents see ---------------------------------------------------------------------

BADGE = "Sender not verified</span>"


def test_agents_are_told_mail_senders_are_unverified_when_no_server_vouches(
    marias_ticket, client_agent, settings
) -> None:
    settings.ATTUNE_INBOUND_AUTHSERV_ID = ""
    page = client_agent.get(reverse("workspace:detail", args=[marias_ticket.pk]))

    # Maria's mail is marked; the agent's reply is not.
    assert page.content.decode().count(BADGE) == 1


def test_no_mark_when_the_receiving_server_vouches_for_senders(marias_ticket, client_agent) -> None:
    page = client_agent.get(reverse("workspace:detail", args=[marias_ticket.pk]))

    assert page.status_code == 200
    assert BADGE not in page.content.decode()
