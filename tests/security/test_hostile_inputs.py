"""The hostile corpus through every door: no 500, no partial write, nothing executable.

For each case: the request never answers 5xx; a refused request changes nothing; an
accepted one is stored as the services promise (cleaned, not silently cut) and every
page that shows it renders it inert: no script element, event-handler attribute or
javascript: URL that the page did not have by itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from empathy.services import reply_score
from surveys.tokens import survey_token
from tests.security.conftest import World
from tests.security.hostile_corpus import (
    CASES,
    CORPUS_SIZE,
    CSV,
    DISTINCT_INPUTS,
    FILENAMES,
    MIME,
    QUERIES,
    TOKENS,
)
from tests.security.requests import body_of, global_state
from tickets.models import Attachment, Channel, Macro, Message, Ticket
from tickets.services import ticket_create, ticket_reply
from tickets.services.email_intake import email_process
from tickets.services.text import clean_body
from tickets.tokens import portal_token

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]
SECRET = {"HTTP_X_ATTUNE_SECRET": "inbound-test-secret"}


class _ActiveContent(HTMLParser):
    """Collects what a browser would execute: parsed the way a browser parses the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.found.append(f"<script {values}>")
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            link = "".join((value or "").split()).lower()
            if name in ("href", "src", "action", "formaction") and link.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def assert_inert(html: str, where: str) -> None:
    parser = _ActiveContent()
    parser.feed(html)
    assert parser.found == [], f"{where}: {parser.found[:3]}"


@dataclass
class Outcome:
    response: Any
    accepted: bool
    pages: list[tuple[str, str]] = field(default_factory=list)  # (role, url) showing the input
    stored: list[str] = field(default_factory=list)  # texts that must equal clean_body(payload)


def _newest_ticket(before: int) -> Ticket | None:
    return Ticket.objects.filter(pk__gt=before).order_by("-pk").first()


def _detail(ticket_id: int) -> str:
    return reverse("workspace:detail", args=[ticket_id])


def _public(field_name: str) -> Callable[[World, ClientFor, str], Outcome]:
    def submit(w: World, client_for: ClientFor, text: str) -> Outcome:
        last = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        data = {
            "name": "Hostile Tester",
            "email": "hostile@example.org",
            "subject": "Hostile subject",
            "description": "Hostile description",
            "urgency": "normal",
            field_name: text,
        }
        if field_name == "description":
            data["name"] = text[:150]
        response = client_for("anon").post(reverse("public:new"), data)
        ticket = _newest_ticket(last)
        pages = [("admin", _detail(ticket.pk))] if ticket else []
        return Outcome(response, response.status_code == 302, pages)

    return submit


def _portal_reply(w: World, client_for: ClientFor, text: str) -> Outcome:
    response = client_for("cust_a").post(
        reverse("portal:reply", args=[w.ticket_a.pk]), {"body": text}
    )
    pages = [
        ("cust_a", reverse("portal:detail", args=[w.ticket_a.pk])),
        ("admin", _detail(w.ticket_a.pk)),
    ]
    stored = _latest_body(w.ticket_a.pk, response.status_code == 302)
    return Outcome(response, response.status_code == 302, pages, stored)


def _latest_body(ticket_id: int, accepted: bool) -> list[str]:
    if not accepted:
        return []
    return [Message.objects.filter(ticket_id=ticket_id).latest("pk").body]


def _agent_reply(w: World, client_for: ClientFor, text: str) -> Outcome:
    ticket = Ticket.objects.get(pk=w.ticket_a.pk)
    response = client_for("agent_x").post(
        reverse("workspace:reply", args=[ticket.pk]),
        {"kind": "reply", "body": text, "version": ticket.version},
    )
    accepted = response.status_code == 302
    pages = [
        ("cust_a", reverse("portal:detail", args=[ticket.pk])),
        ("agent_x", _detail(ticket.pk)),
    ]
    return Outcome(response, accepted, pages, _latest_body(ticket.pk, accepted))


def _agent_new(w: World, client_for: ClientFor, text: str) -> Outcome:
    last = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    data = {
        "customer_email": w.customer_a.user.email,
        "customer_name": text[:150],
        "queue": w.queue_x.slug,
        "subject": text,
        "description": text,
        "urgency": "normal",
    }
    response = client_for("agent_x").post(reverse("workspace:new"), data)
    ticket = _newest_ticket(last)
    pages = [("agent_x", _detail(ticket.pk)), ("cust_a", reverse("portal:list"))] if ticket else []
    return Outcome(response, response.status_code == 302, pages)


def _api_ticket(w: World, client_for: ClientFor, text: str) -> Outcome:
    response = client_for("cust_a").post(
        reverse("api-v1:tickets"),
        json.dumps({"subject": text, "body": text}),
        content_type="application/json",
    )
    accepted = response.status_code == 201
    pages = []
    if accepted:
        ticket_id = response.json()["id"]
        pages = [
            ("admin", _detail(ticket_id)),
            ("cust_a", reverse("portal:detail", args=[ticket_id])),
        ]
    return Outcome(response, accepted, pages)


def _api_message(w: World, client_for: ClientFor, text: str) -> Outcome:
    response = client_for("cust_a").post(
        reverse("api-v1:messages", args=[w.ticket_a.pk]),
        json.dumps({"kind": "customer", "body": text}),
        content_type="application/json",
    )
    accepted = response.status_code == 201
    pages = [("agent_x", _detail(w.ticket_a.pk))]
    return Outcome(response, accepted, pages, _latest_body(w.ticket_a.pk, accepted))


def _post_mail(client: Client, raw: bytes) -> Any:
    """POST to the MTA endpoint, then process the stored mail as the worker would."""
    response = client.generic(
        "POST", reverse("inbound:email"), raw, content_type="message/rfc822", **SECRET
    )
    if response.status_code == 202:
        state = email_process(response.json()["id"])
        assert state in ("processed", "failed", "ignored"), state
    return response


def _mail(w: World, client_for: ClientFor, text: str) -> Outcome:
    last = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    raw = (
        f"From: Casey <{w.customer_a.user.email}>\r\nTo: support@attune.localhost\r\n"
        f"Message-ID: <hostile-{abs(hash(text))}@example.com>\r\nSubject: {text}\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    ).encode("utf-8", "surrogatepass")
    response = _post_mail(client_for("anon"), raw)
    ticket = _newest_ticket(last)
    pages = [("admin", _detail(ticket.pk))] if ticket else []
    return Outcome(response, response.status_code in (200, 202), pages)


def _survey_comment(w: World, client_for: ClientFor, text: str) -> Outcome:
    url = reverse("surveys:answer", args=[survey_token(w.survey_a.pk)])
    response = client_for("anon").post(url, {"rating": 3, "understood": 3, "comment": text})
    pages = [("mgr_x", reverse("surveys:report")), ("admin", _detail(w.ticket_a.pk))]
    return Outcome(response, response.status_code == 200, pages)


def _macro(w: World, client_for: ClientFor, text: str) -> Outcome:
    response = client_for("agent_x").post(
        reverse("workspace:macros"), {"name": text[:100], "body": text, "queue": ""}
    )
    accepted = response.status_code == 302
    pages = [("agent_x", reverse("workspace:macros"))]
    if accepted:
        macro = Macro.objects.latest("pk")
        pages += [
            ("agent_x", f"{_detail(w.ticket_a.pk)}?macro={macro.pk}"),
            ("agent_x", reverse("workspace:macro-edit", args=[macro.pk])),
        ]
    return Outcome(response, accepted, pages)


def _tags(w: World, client_for: ClientFor, text: str) -> Outcome:
    response = client_for("agent_x").post(
        reverse("workspace:tags", args=[w.ticket_a.pk]), {"tags": text}
    )
    pages = [
        ("agent_x", _detail(w.ticket_a.pk)),
        ("agent_x", reverse("workspace:queue") + "?view=all"),
    ]
    # The view answers with a redirect and a message either way; a write shows in the tags.
    return Outcome(response, True, pages)


def _search(w: World, client_for: ClientFor, text: str) -> Outcome:
    client = client_for("agent_x")
    response = client.get(reverse("workspace:search"), {"q": text})
    api = client.get(reverse("api-v1:tickets"), {"q": text})
    assert api.status_code in (200, 400)  # the filter form refuses a NUL
    return Outcome(
        response,
        True,
        [("agent_x", response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"])],
    )


SINKS: dict[str, Callable[[World, ClientFor, str], Outcome]] = {
    "public_subject": _public("subject"),
    "public_description": _public("description"),
    "portal_reply": _portal_reply,
    "agent_reply": _agent_reply,
    "agent_new": _agent_new,
    "api_ticket": _api_ticket,
    "api_message": _api_message,
    "mail": _mail,
    "survey_comment": _survey_comment,
    "macro": _macro,
    "tags": _tags,
    "search": _search,
}


def _check_pages(outcome: Outcome, client_for: ClientFor) -> None:
    for role, url in outcome.pages:
        page = client_for(role).get(url)
        assert page.status_code == 200, f"{url} as {role}: {page.status_code}"
        assert_inert(body_of(page), f"{url} as {role}")


@pytest.fixture
def client_for(role_client: Callable[..., Client], settings: Any) -> ClientFor:
    settings.ATTUNE_PUBLIC_FORM_RATE = 100_000
    return role_client


def test_the_corpus_has_at_least_200_cases() -> None:
    assert CORPUS_SIZE >= 200
    # Not only by crossing a few payloads with many fields: 200 inputs written by hand.
    assert DISTINCT_INPUTS >= 200


@pytest.mark.parametrize(("sink", "case", "text"), CASES, ids=[f"{s}-{c}" for s, c, _ in CASES])
def test_hostile_text_is_refused_cleanly_or_stored_inert(
    sink: str, case: str, text: str, world: World, client_for: ClientFor
) -> None:
    before = global_state()
    outcome = SINKS[sink](world, client_for, text)
    status = outcome.response.status_code
    assert status < 500
    if not outcome.accepted:
        assert status in (400, 403, 413, 429), status
        assert global_state() == before, "a refused request wrote something"
    for body in outcome.stored:
        assert body == clean_body(text), "the stored text is not what was sent (cleaned)"
    if outcome.response.get("Content-Type", "").startswith("text/html"):
        assert_inert(body_of(outcome.response), f"{sink} response")
    _check_pages(outcome, client_for)


@pytest.mark.parametrize("name", FILENAMES)
def test_hostile_filenames_are_stored_safely_and_only_downloaded(
    name: str, world: World, client_for: ClientFor
) -> None:
    before = global_state()
    client = client_for("cust_a")
    upload = SimpleUploadedFile(name, b"<script>alert(1)</script>", content_type="text/html")
    response = client.post(
        reverse("portal:reply", args=[world.ticket_a.pk]),
        {"body": "File.", "attachments": [upload]},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert global_state() == before
        return
    attachment = Attachment.objects.filter(message__ticket=world.ticket_a).latest("pk")
    assert "/" not in attachment.filename
    assert "\\" not in attachment.filename
    assert not attachment.filename.startswith(".")
    assert not set(attachment.filename) & {"\r", "\n", "\x00", "\u202e"}
    assert ".." not in attachment.file.name
    download = client.get(reverse("files:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/octet-stream"
    _check_pages(
        Outcome(
            response,
            True,
            [
                ("cust_a", reverse("portal:detail", args=[world.ticket_a.pk])),
                ("agent_x", _detail(world.ticket_a.pk)),
            ],
        ),
        client_for,
    )


@pytest.mark.parametrize("name", MIME)
def test_malformed_mail_is_refused_or_filed_never_a_500(
    name: str, world: World, client_for: ClientFor
) -> None:
    last = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before_messages = Message.objects.filter(ticket__in=[world.ticket_a, world.ticket_b]).count()
    # Customer A's ticket has had mail: its Message-ID is what a stranger would cite.
    a_mail = "a-mail-1@attune.localhost"
    Message.objects.filter(pk=world.ticket_a.messages.earliest("pk").pk).update(
        email_message_id=a_mail
    )
    raw = MIME[name].format(
        a_mail=a_mail,
        email=world.customer_a.user.email,
        other=world.customer_b.user.email,
        ticket=world.ticket_a.pk,
        mid=name,
    )
    response = _post_mail(client_for("anon"), raw.encode("latin-1", "replace"))
    assert response.status_code in (200, 202, 400), response.content[:300]
    # Nothing lands on someone else's ticket: a forged reply token opens a new ticket.
    after_messages = Message.objects.filter(ticket__in=[world.ticket_a, world.ticket_b]).count()
    assert after_messages == before_messages
    ticket = _newest_ticket(last)
    if ticket is not None:
        _check_pages(Outcome(response, True, [("admin", _detail(ticket.pk))]), client_for)


def _token_value(kind: str, value: str, w: World) -> str:
    specials = {
        "PORTAL": portal_token(w.customer_a),
        "PORTAL_V1": signing.dumps({"c": w.customer_a.pk}, salt="attune.portal.login"),
        "PORTAL_USED": w.used_portal_token_a,
        "SURVEY": survey_token(w.survey_a.pk),
        "RATING99": signing.dumps({"s": w.survey_a.pk, "r": 99}, salt="attune.survey"),
        "STRINGID": signing.dumps({"s": str(w.survey_a.pk)}, salt="attune.survey"),
    }
    return specials.get(value, value)


@pytest.mark.parametrize("name", TOKENS)
def test_forged_tokens_are_refused_without_a_500_or_a_write(
    name: str, world: World, client_for: ClientFor
) -> None:
    kind, raw = TOKENS[name]
    value = _token_value(kind, raw, world)
    before = global_state()
    anon = client_for("anon")
    if kind == "survey":
        responses = [
            anon.get(f"/surveys/s/{value}/"),
            anon.post(f"/surveys/s/{value}/", {"rating": 1, "comment": "forged"}),
        ]
    elif kind == "portal":
        responses = [anon.get(f"/portal/login/{value}/"), anon.post(f"/portal/login/{value}/")]
        assert "_auth_user_id" not in anon.session
    elif kind == "api":
        if value == "REVOKED":
            from accounts.services import api_token_create, api_token_revoke

            token, key = api_token_create(user=world.user("cust_b"), name="revoked")
            api_token_revoke(token=token)
            value = f"Bearer {key}"
            before = global_state()
        responses = [
            anon.get(reverse("api-v1:tickets"), HTTP_AUTHORIZATION=value),
            anon.post(
                reverse("api-v1:tickets"),
                json.dumps({"subject": "forged", "body": "x"}),
                content_type="application/json",
                HTTP_AUTHORIZATION=value,
            ),
        ]
    else:
        responses = [
            anon.generic(
                "POST",
                reverse("inbound:email"),
                b"From: a@example.com\r\n\r\nforged",
                content_type="message/rfc822",
                HTTP_X_ATTUNE_SECRET=value,
            )
        ]
    for response in responses:
        assert 400 <= response.status_code < 500, (name, response.status_code)
    assert global_state() == before


@pytest.mark.parametrize("formula", CSV)
def test_csv_export_neutralises_formulas(formula: str, world: World, client_for: ClientFor) -> None:
    ticket = ticket_create(
        requester=world.customer_a,
        queue=world.queue_x,
        subject=formula,
        body="x",
        channel=Channel.WEB,
    )
    reply = ticket_reply(ticket=ticket, author=world.user("agent_x"), body="We fixed it.")
    assert reply_score(message=reply) is not None
    response = client_for("mgr_x").get(reverse("empathy:export"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body_of(response))))
    row = next(r for r in rows[1:] if r[2] == str(ticket.pk))
    for cell in row:
        assert (
            not cell.startswith(("=", "+", "-", "@", "\t", "\r", "|", "%"))
            or cell.lstrip("-").replace(".", "").isdigit()
        ), cell


def test_a_huge_request_body_is_refused_not_a_500(world: World, client_for: ClientFor) -> None:
    before = global_state()
    response = client_for("cust_a").post(
        reverse("portal:reply", args=[world.ticket_a.pk]), {"body": "x" * (3 * 1024 * 1024)}
    )
    assert response.status_code in (400, 413)
    assert global_state() == before


@pytest.mark.parametrize(("role", "path"), QUERIES)
def test_hostile_query_strings_never_cause_a_500(
    role: str, path: str, world: World, client_for: ClientFor
) -> None:
    response = client_for(role).get(path)
    assert response.status_code < 500, path
    if response.get("Content-Type", "").startswith("text/html"):
        assert_inert(body_of(response), path)
