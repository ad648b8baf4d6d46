"""Inbound mail: keep the raw message first, then thread it onto a ticket or open one.

Both the MTA-pipe endpoint and the IMAP poller call `email_receive`, so they behave
the same: a duplicate Message-ID is ignored, auto-replies and bounces never create
tickets (no mail loops), a staff address is not trusted as an agent, and a message
that cannot be parsed is kept with its error instead of being lost.
"""

from __future__ import annotations

import hashlib
import logging
import ssl
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpdesk.resilience import redis_failed, redis_usable
from tickets.email_auth import SenderCheck, sender_check
from tickets.email_parsing import (
    EmailParseError,
    ParsedEmail,
    normalize_message_id,
    parse_email,
)
from tickets.errors import TicketError
from tickets.models import Channel, InboundEmail, Message, Status, Ticket
from tickets.services.attachments import AttachmentInput
from tickets.services.conversation import ticket_customer_reply
from tickets.services.customers import customer_get_or_create
from tickets.services.intake import ticket_create
from tickets.tokens import reply_token_ticket_id

logger = logging.getLogger(__name__)

MAX_RAW_BYTES = 40 * 1024 * 1024
UNVERIFIED_SENDER_TAG = "unverified-sender"


def _raw_message_id(raw: bytes) -> str:
    """A dedup key before parsing, normalised exactly as the parser will normalise it."""
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    for line in head.splitlines():
        if line[:11].lower() == b"message-id:":
            value = normalize_message_id(line[11:].decode("ascii", "replace"))
            if value:
                return value[:255]
    return f"{hashlib.sha256(raw).hexdigest()}@attune.invalid"


def email_receive(raw: bytes) -> tuple[InboundEmail, bool]:
    """Store a raw message; returns (row, created). A known Message-ID is not stored twice."""
    if len(raw) > MAX_RAW_BYTES:
        raise TicketError(f"Message larger than {MAX_RAW_BYTES // 1_048_576} MB refused.")
    if not raw.strip():
        raise TicketError("Empty message.")
    message_id = _raw_message_id(raw)
    try:
        with transaction.atomic():
            inbound = InboundEmail.objects.create(
                message_id=message_id, raw=raw, received_at=timezone.now()
            )
    except IntegrityError:
        return InboundEmail.objects.get(message_id=message_id), False
    transaction.on_commit(lambda: _enqueue(inbound.pk))
    return inbound, True


def _enqueue(inbound_id: int) -> None:
    from tickets.tasks import email_process

    if not redis_usable():
        return  # the outbox sweep picks up stored mail that was never processed
    try:
        email_process.delay(inbound_id)
    except Exception as exc:
        redis_failed(exc)
        logger.warning("Broker unavailable; inbound mail %s waits for the sweep", inbound_id)


def email_pending_ids(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Stored messages never processed (their task was lost): the outbox sweep re-enqueues."""
    cutoff = timezone.now() - older_than
    return list(
        InboundEmail.objects.filter(state=InboundEmail.State.RECEIVED, received_at__lte=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )


def _finish(
    inbound: InboundEmail, state: str, detail: str = "", ticket: Ticket | None = None
) -> str:
    inbound.state = state
    inbound.detail = detail[:2000]
    inbound.ticket = ticket
    inbound.processed_at = timezone.now()
    inbound.save(update_fields=["state", "detail", "ticket", "processed_at"])
    return state


def _thread_target(parsed: ParsedEmail) -> Ticket | None:
    """The ticket this mail replies to, from headers we issued or a signed reply token."""
    ids = [i for i in (parsed.in_reply_to, *parsed.references) if i]
    if ids:
        message = Message.objects.filter(email_message_id__in=ids).select_related("ticket").first()
        if message is not None:
            return message.ticket
    for token in parsed.reply_tokens:
        ticket_id = reply_token_ticket_id(token)
        if ticket_id is not None:
            ticket = Ticket.objects.filter(pk=ticket_id).first()
            # A token names the ticket as it was when we mailed: follow later merges
            # (the conversation moved; the merged-away ticket is closed).
            for _ in range(5):
                if ticket is None or not ticket.merged_into_id:
                    break
                ticket = Ticket.objects.filter(pk=ticket.merged_into_id).first()
            return ticket
    return None


def email_process(inbound_id: int) -> str:
    """Parse and apply one stored message; idempotent (a processed row is left alone)."""
    with transaction.atomic():
        inbound = InboundEmail.objects.select_for_update().get(pk=inbound_id)
        if inbound.state != InboundEmail.State.RECEIVED:
            return inbound.state
        try:
            parsed = parse_email(
                bytes(inbound.raw), max_attachment_bytes=settings.ATTACHMENT_MAX_BYTES
            )
        except EmailParseError as exc:
            return _finish(inbound, InboundEmail.State.FAILED, f"Unparseable message: {exc}")
        if parsed.is_auto_generated:
            return _finish(
                inbound, InboundEmail.State.IGNORED, f"Automatic message: {parsed.auto_reason}"
            )
        if Message.objects.filter(email_message_id=parsed.message_id).exists():
            return _finish(inbound, InboundEmail.State.IGNORED, "Duplicate Message-ID")
        try:
            with transaction.atomic():
                ticket, detail = _apply(parsed)
        except TicketError as exc:
            return _finish(inbound, InboundEmail.State.FAILED, "; ".join(exc.messages))
        return _finish(inbound, InboundEmail.State.PROCESSED, detail, ticket=ticket)


def _apply(parsed: ParsedEmail) -> tuple[Ticket, str]:
    """The ticket the mail landed on, and a note for the inbound log (else empty)."""
    customer = customer_get_or_create(email=parsed.from_email, name=parsed.from_name)
    attachments = [
        AttachmentInput(a.filename, a.content_type, a.data, inline=a.inline)
        for a in parsed.attachments
    ]
    body = parsed.text
    if parsed.rejected_attachments:
        notes = "\n".join(
            f"[{r.filename} not kept: {r.reason}]" for r in parsed.rejected_attachments
        )
        body = f"{body}\n\n{notes}".strip()
    target = _thread_target(parsed)
    check = sender_check(
        parsed.authentication_results,
        authserv_id=settings.ATTUNE_INBOUND_AUTHSERV_ID,
        from_email=parsed.from_email,
    )
    # A reply only threads onto a ticket of the same requester: knowing a ticket number
    # or a Message-ID must not let a stranger write into someone else's conversation.
    # A From our MTA could not authenticate may be that stranger wearing the requester's
    # address: it opens a ticket of its own, tagged, for an agent to look at.
    if (
        target is not None
        and check != SenderCheck.FAILED
        and target.requester_id == customer.pk
        and not target.merged_into_id
        and target.status != Status.CLOSED
    ):
        ticket_customer_reply(
            ticket=target,
            customer=customer,
            body=body,
            channel=Channel.EMAIL,
            attachments=attachments,
            email_message_id=parsed.message_id,
        )
        return target, ""
    ticket = ticket_create(
        requester=customer,
        subject=parsed.subject or "(no subject)",
        body=body,
        channel=Channel.EMAIL,
        attachments=attachments,
        email_message_id=parsed.message_id,
        tags=[UNVERIFIED_SENDER_TAG] if check == SenderCheck.FAILED else [],
    )
    if check == SenderCheck.FAILED:
        server = settings.ATTUNE_INBOUND_AUTHSERV_ID
        joined = " instead of joining its thread" if target is not None else ""
        return ticket, f"Sender not verified by {server}: opened its own ticket{joined}."
    return ticket, ""


def email_poll_imap() -> int:
    """Fetch unseen mail from ATTUNE_IMAP_URL (imaps://user:pass@host/INBOX); returns count."""
    if not settings.ATTUNE_IMAP_URL:
        return 0
    from imapclient import IMAPClient

    url = urlsplit(settings.ATTUNE_IMAP_URL)
    folder = unquote(url.path.lstrip("/")) or "INBOX"
    use_ssl = url.scheme == "imaps"
    received = 0
    with IMAPClient(
        url.hostname or "localhost",
        port=url.port or (993 if use_ssl else 143),
        ssl=use_ssl,
        ssl_context=ssl.create_default_context() if use_ssl else None,
        timeout=30,
    ) as client:
        client.login(unquote(url.username or ""), unquote(url.password or ""))
        client.select_folder(folder)
        for uid, data in client.fetch(client.search(["UNSEEN"])[:200], ["RFC822"]).items():
            raw = data.get(b"RFC822")
            if isinstance(raw, bytes):
                try:
                    email_receive(raw)
                    received += 1
                except TicketError as exc:
                    logger.warning("IMAP message %s refused: %s", uid, exc)
            # Only mark as seen once stored: a crash before this re-fetches, and the
            # Message-ID dedup makes the second copy harmless.
            client.add_flags([uid], [b"\\Seen"])
    return received
