"""Security headers on every response class, CSRF on every state change, redirects that
stay on site, login lockout, attachment serving, and outgoing mail that cannot be forged."""

from __future__ import annotations

from collections.abc import Callable
from email import message_from_bytes
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.security.conftest import A_NOTE, ROLES, World
from tests.security.matrix import LOGIN, POST_OPS, Op
from tests.security.requests import DENIED, global_state, path_for, send
from tickets.models import Attachment, Channel, EventKind, Message, Status, TicketEvent
from tickets.outbox import event_deliver, handlers_for
from tickets.services import (
    customer_get_or_create,
    ticket_change_status,
    ticket_create,
    ticket_reply,
)

pytestmark = pytest.mark.django_db

# --- headers ----------------------------------------------------------------------------------

RESPONSE_CLASSES: dict[str, tuple[str, Callable[[World], str], int]] = {
    # name: (role, path, expected status)
    "html page": ("anon", lambda w: reverse("public:new"), 200),
    "json api": ("agent_x", lambda w: reverse("api-v1:queues"), 200),
    "json api error": ("anon", lambda w: reverse("api-v1:tickets"), 401),
    "redirect": ("anon", lambda w: reverse("home"), 302),
    "404": ("agent_x", lambda w: reverse("workspace:detail", args=[w.ticket_b.pk]), 404),
    "403": ("cust_a", lambda w: reverse("workspace:queue"), 403),
    "attachment": ("cust_a", lambda w: reverse("files:attachment", args=[w.att_a.pk]), 200),
    "static file": ("anon", lambda w: "/static/css/attune.css", 200),
    "static svg": ("anon", lambda w: "/static/favicon.svg", 200),
}


def _header_problems(response: HttpResponse) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    if "unsafe-eval" in csp or "unsafe-inline" in csp:
        problems.append(f"unsafe CSP: {csp}")
    if "frame-ancestors 'none'" not in csp and "sandbox" not in csp:
        problems.append("CSP does not deny framing")
    if response.get("X-Frame-Options") != "DENY" and "sandbox" not in csp:
        problems.append(f"X-Frame-Options {response.get('X-Frame-Options')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if response.get("Referrer-Policy") != "same-origin":
        problems.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
    hsts = response.get("Strict-Transport-Security", "")
    if "max-age=31536000" not in hsts or "includeSubDomains" not in hsts:
        problems.append(f"HSTS {hsts!r}")
    return problems


@pytest.mark.parametrize("kind", RESPONSE_CLASSES)
def test_every_response_class_carries_the_security_headers(
    kind: str, world: World, role_client: Callable[..., Client]
) -> None:
    role, path, status = RESPONSE_CLASSES[kind]
    # secure=True: HSTS is only sent over HTTPS, as production serves it.
    response = role_client(role).get(path(world), secure=True)
    assert response.status_code == status
    assert _header_problems(response) == []


def test_the_csp_has_no_unsafe_sources_at_all() -> None:
    csp = django_settings.CONTENT_SECURITY_POLICY
    assert "unsafe" not in csp
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp


# --- attachments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "data"),
    [
        ("page.html", "text/html", b"<script>alert(1)</script>"),
        ("image.svg", "image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'),
        ("doc.pdf", "application/pdf", b"%PDF-1.4 <script>alert(1)</script>"),
        ("noext", "text/html", b"<html><body onload=alert(1)>"),
    ],
)
def test_an_uploaded_active_file_is_only_ever_downloaded(
    name: str, content_type: str, data: bytes, world: World, role_client: Callable[..., Client]
) -> None:
    client = role_client("cust_a")
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    response = client.post(
        reverse("portal:reply", args=[world.ticket_a.pk]),
        {"body": "See attached.", "attachments": [upload]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.filter(message__ticket=world.ticket_a).latest("pk")
    download = client.get(reverse("files:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.parametrize("name", ["setup.exe", "run.sh", "x.js", "evil.exe.", "a.HTA", "b.ps1 "])
def test_a_blocked_upload_is_refused_and_nothing_is_written(
    name: str, world: World, role_client: Callable[..., Client]
) -> None:
    before = global_state()
    response = role_client("cust_a").post(
        reverse("portal:reply", args=[world.ticket_a.pk]),
        {"body": "Run this.", "attachments": [SimpleUploadedFile(name, b"MZ...")]},
    )
    assert response.status_code == 400
    assert global_state() == before


def test_an_oversized_upload_is_refused_and_nothing_is_written(
    world: World, role_client: Callable[..., Client], settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 2048
    before = global_state()
    response = role_client("cust_a").post(
        reverse("portal:reply", args=[world.ticket_a.pk]),
        {"body": "Big.", "attachments": [SimpleUploadedFile("big.txt", b"x" * 4096)]},
    )
    assert response.status_code == 400
    assert global_state() == before


# --- CSRF -------------------------------------------------------------------------------------

CSRF_EXEMPT = {"inbound:email"}  # the MTA pipe authenticates by shared secret


def _allowed_role(op: Op) -> str:
    """A role the matrix lets past authentication, so a 403 can only come from CSRF."""
    roles = list(zip(ROLES, op.expect, strict=True))
    allowed = [role for role, e in roles if e not in DENIED]
    past_auth = [role for role, e in roles if e not in (LOGIN, 401, 403, 405)]
    return (allowed or past_auth or ["admin"])[0]


@pytest.mark.parametrize("op", POST_OPS, ids=[op.id for op in POST_OPS])
def test_every_state_change_is_refused_without_a_csrf_token(
    op: Op, world: World, role_client: Callable[..., Client]
) -> None:
    client = role_client(_allowed_role(op), enforce_csrf_checks=True)
    before = global_state()
    response = send(op, world, client)
    if op.route in CSRF_EXEMPT:
        assert response.status_code != 403 or "X-Attune-Secret" in response.content.decode()
        return
    assert response.status_code == 403, response.content[:300]
    assert b"CSRF" in response.content
    assert global_state() == before


def test_the_inbound_mail_endpoint_still_needs_its_secret(
    world: World, role_client: Callable[..., Client]
) -> None:
    op = next(op for op in POST_OPS if op.route == "inbound:email" and op.note == "no-secret")
    response = send(op, world, role_client("admin", enforce_csrf_checks=True))
    assert response.status_code == 403
    forged = role_client("anon").post(
        reverse("inbound:email"),
        b"From: a@example.com\r\n\r\nhi",
        content_type="message/rfc822",
        HTTP_X_ATTUNE_SECRET="inbound-test-secret-but-longer",
    )
    assert forged.status_code == 403


# --- redirects --------------------------------------------------------------------------------

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
    "/%2F%2Fevil.example",
    " //evil.example",
    "\t//evil.example",
]


def _on_site(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_never_redirects_off_site(target: str, world: World) -> None:
    client = Client()
    response = client.post(
        reverse("login") + "?next=x",
        {"username": world.user("agent_x").username, "password": "pw-for-tests-1", "next": target},
    )
    assert response.status_code == 302
    assert _on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT[:4])
def test_a_signed_in_user_opening_login_is_not_sent_off_site(
    target: str, role_client: Callable[..., Client]
) -> None:
    response = role_client("agent_x").get(reverse("login"), {"next": target})
    assert response.status_code == 302
    assert _on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize(
    "next_query", ["view=all", "//evil.example", "a\r\nSet-Cookie: x=1", "@evil.example", "\\evil"]
)
def test_the_bulk_form_returns_to_the_queue_only(
    next_query: str, world: World, role_client: Callable[..., Client]
) -> None:
    response = role_client("agent_x").post(
        reverse("workspace:bulk"),
        {"tickets": [world.ticket_a.pk], "action": "tag", "tag": "x", "next_query": next_query},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/tickets/")
    assert "\n" not in response["Location"]
    assert "Set-Cookie" not in response.headers or "x=1" not in response.headers["Set-Cookie"]


# --- login lockout ----------------------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_account_out(world: World, settings: Any) -> None:
    settings.AXES_ENABLED = True
    username = world.user("agent_x").username
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": username, "password": "guess"})
        assert response.status_code in (200, 429)
    # Even the right password is refused now, and no session is opened.
    response = client.post(reverse("login"), {"username": username, "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


# --- outgoing mail ----------------------------------------------------------------------------


def _deliver_mail(ticket_id: int) -> None:
    for event in TicketEvent.objects.filter(ticket_id=ticket_id).order_by("pk"):
        for handler in handlers_for(event.kind):
            if handler.queue == "mail":
                event_deliver(event.pk, handler.name)


MAIL_HEADERS = {
    "Content-Type", "MIME-Version", "Content-Transfer-Encoding", "Subject", "From", "To",
    "Reply-To", "Date", "Message-ID", "Auto-Submitted", "In-Reply-To", "References",
}  # fmt: skip
INJECTIONS = [
    "Hello\r\nBcc: victim@evil.example",
    "Hello\nBcc: victim@evil.example",
    "Hello\rBcc: victim@evil.example",
    "Hello\r\n\r\n<html>forged body</html>",
    "=?utf-8?q?Hello=0D=0ABcc=3A_victim=40evil.example?=",
    "Hello\u2028Bcc: victim@evil.example",
    "Hello\x85Bcc: victim@evil.example",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_a_crlf_in_subject_or_name_cannot_add_mail_headers(text: str, world: World) -> None:
    mail.outbox.clear()
    customer = customer_get_or_create(email="mail.victim@example.org", name=text)
    ticket = ticket_create(requester=customer, subject=text, body=text, channel=Channel.WEB)
    ticket_reply(ticket=ticket, author=world.user("admin"), body="Answer " + text)
    _deliver_mail(ticket.pk)
    assert len(mail.outbox) == 2
    for sent in mail.outbox:
        message = sent.message()
        assert message["Bcc"] is None
        assert sent.bcc == []
        assert sent.to == ["mail.victim@example.org"]
        assert "\n" not in sent.subject
        assert "\r" not in sent.subject
        parsed = message_from_bytes(message.as_bytes())
        assert set(parsed.keys()) <= MAIL_HEADERS, set(parsed.keys()) - MAIL_HEADERS
        assert parsed.get_all("To") == ["mail.victim@example.org"]


def test_customer_mail_never_carries_internal_notes_or_other_customers(world: World) -> None:
    mail.outbox.clear()
    ticket_reply(ticket=world.ticket_a, author=world.user("agent_x"), body="Public answer.")
    ticket_change_status(ticket=world.ticket_a, actor=world.user("agent_x"), status=Status.RESOLVED)
    _deliver_mail(world.ticket_a.pk)
    # Every kind of customer mail: received, each reply, resolved.
    subjects = " ".join(sent.subject for sent in mail.outbox)
    assert "Re:" in subjects
    assert "resolved" in subjects.lower()
    assert "received" in subjects.lower()
    for sent in mail.outbox:
        text = sent.body + "".join(str(part[0]) for part in sent.alternatives)  # type: ignore[attr-defined]
        assert A_NOTE not in text
        for marker in world.forbidden_markers("cust_a"):
            assert marker not in text
            assert marker not in sent.subject
        assert sent.to == [world.customer_a.user.email]
    notes = Message.objects.filter(ticket=world.ticket_a, kind="note")
    assert not TicketEvent.objects.filter(kind=EventKind.AGENT_REPLIED, message__in=notes).exists()


def test_path_for_resolves_every_post_row(world: World) -> None:
    assert all(path_for(op, world).startswith("/") for op in POST_OPS)


def test_a_spoofed_forwarded_for_does_not_escape_the_lockout(world: World, settings: Any) -> None:
    settings.AXES_ENABLED = True
    username = world.user("agent_y").username
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            reverse("login"),
            {"username": username, "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": username, "password": "pw-for-tests-1"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 429


def test_the_public_form_limit_ignores_a_spoofed_forwarded_for(settings: Any) -> None:
    cache.clear()
    settings.ATTUNE_PUBLIC_FORM_RATE = 2
    statuses = []
    for n in range(4):
        response = Client().post(
            reverse("public:new"),
            {
                "name": "Flood",
                "email": f"flood{n}@example.org",  # a new address each time: only the IP limits
                "subject": "Flood",
                "description": "Flood",
                "urgency": "normal",
            },
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429, 429]


def test_html_mail_renders_hostile_text_escaped(world: World) -> None:
    mail.outbox.clear()
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    customer = customer_get_or_create(email="html.mail@example.org", name=hostile)
    ticket = ticket_create(requester=customer, subject=hostile, body=hostile, channel=Channel.WEB)
    ticket_reply(ticket=ticket, author=world.user("admin"), body=hostile)
    _deliver_mail(ticket.pk)
    htmls = [str(alt[0]) for sent in mail.outbox for alt in sent.alternatives]  # type: ignore[attr-defined]
    assert htmls
    for html in htmls:
        assert "<script" not in html
        assert "<img" not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html
