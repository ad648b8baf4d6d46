"""Sending a matrix row's request, reading any response's body, and what must not change."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Count
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from empathy.models import Reflection, Review
from surveys.models import Survey
from tests.security.conftest import World
from tests.security.matrix import LOGIN, Op
from tickets.models import Attachment, Macro, Message, Ticket, TicketEvent
from webhooks.models import Webhook

DENIED = {LOGIN, 400, 401, 403, 404, 405}


def path_for(op: Op, world: World) -> str:
    args = []
    for name in op.args:
        value = getattr(world, name)
        args.append(value.pk if hasattr(value, "pk") else value)
    path = reverse(op.route, args=args)
    return f"{path}?{op.query.format(w=world)}" if op.query else path


def send(op: Op, world: World, client: Client) -> Any:
    path = path_for(op, world)
    data = op.data(world) if op.data else {}
    if op.raw is not None:
        return client.generic(
            op.method, path, op.raw(world), content_type="message/rfc822", **op.headers
        )
    if op.method == "GET":
        return client.get(path, **op.headers)
    if op.json:
        return client.generic(
            op.method, path, json.dumps(data), content_type="application/json", **op.headers
        )
    if op.method == "POST":
        return client.post(path, data, **op.headers)
    return client.generic(op.method, path, **op.headers)


def body_of(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        raw = response.content
    return raw.decode("utf-8", "replace")


def outcome_matches(response: HttpResponse, expected: int | str) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith("/login/")
    return response.status_code == expected


def ticket_state(ticket_ids: set[int]) -> dict[int, tuple[object, ...]]:
    """What a write to a ticket would change: version, status, merge, messages, tags."""
    rows = (
        Ticket.objects.filter(pk__in=ticket_ids)
        .annotate(n_messages=Count("messages", distinct=True), n_tags=Count("tags", distinct=True))
        .values_list(
            "pk", "version", "status", "priority", "merged_into", "assignee", "n_messages", "n_tags"
        )
    )
    return {row[0]: row[1:] for row in rows}


def global_state() -> dict[str, object]:
    """Row counts and values a refused request must leave exactly as they were."""
    return {
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
        "events": TicketEvent.objects.count(),
        "attachments": Attachment.objects.count(),
        "macros": sorted(Macro.objects.values_list("pk", "name", "body")),
        "reviews": sorted(Review.objects.values_list("pk", "feedback", "acknowledged_at")),
        "reflections": Reflection.objects.count(),
        "tokens": sorted(ApiToken.objects.values_list("pk", "revoked_at")),
        "webhooks": Webhook.objects.count(),
        "surveys": sorted(Survey.objects.values_list("pk", "rating", "comment")),
    }
