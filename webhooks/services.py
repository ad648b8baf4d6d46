"""Fan ticket events out to subscribers and deliver them, signed, with retries."""

from __future__ import annotations

import http.client
import json
import logging
import secrets
import socket
import ssl
from functools import partial
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from helpdesk.resilience import redis_failed, redis_usable
from tickets.errors import TicketError
from tickets.models import EventKind, TicketEvent
from webhooks.models import EVENT_CHOICES, Webhook, WebhookDelivery
from webhooks.signing import HEADER, sign
from webhooks.ssrf import AddressNotAllowed, resolve_public

logger = logging.getLogger(__name__)

EVENT_NAMES: dict[str, str] = {
    EventKind.CREATED: "ticket.created",
    EventKind.AGENT_REPLIED: "ticket.replied",
    EventKind.STATUS_CHANGED: "ticket.status_changed",
    EventKind.SURVEY_ANSWERED: "survey.answered",
    EventKind.LOW_EMPATHY_SCORE: "reply.low_empathy_score",
}
TIMEOUT_SECONDS = 5


class RetryableDeliveryError(Exception):
    """The receiver was unreachable or answered 5xx/429: try again later."""


def webhook_create(
    *, user: User, url: str, events: list[str], allow_private_network: bool = False
) -> Webhook:
    known = {name for name, _ in EVENT_CHOICES}
    unknown = sorted(set(events) - known)
    if unknown or not events:
        raise TicketError(f"Choose events among {', '.join(sorted(known))}.")
    if allow_private_network and user.role != Role.ADMIN:
        raise TicketError("Only an admin can allow private network addresses.")
    try:
        resolve_public(url, allow_private=allow_private_network)
    except AddressNotAllowed as exc:
        raise TicketError(str(exc)) from None
    return Webhook.objects.create(
        url=url,
        events=sorted(set(events)),
        secret=secrets.token_hex(32),
        allow_private_network=allow_private_network,
        created_by=user,
    )


def payload_for(event: TicketEvent) -> dict[str, object]:
    """What subscribers receive: ids and public facts, never internal notes' text."""
    ticket = event.ticket
    data: dict[str, object] = {
        "id": event.pk,
        "event": EVENT_NAMES[event.kind],
        "occurred_at": event.created_at.isoformat(),
        "ticket": {
            "id": ticket.pk,
            "subject": ticket.subject,
            "status": ticket.status,
            "priority": ticket.priority,
            "queue": ticket.queue.slug,
        },
    }
    if event.kind == EventKind.AGENT_REPLIED and event.message is not None:
        data["message"] = {"id": event.message.pk, "body": event.message.body}
    if event.kind == EventKind.STATUS_CHANGED:
        data["change"] = {"from": event.data.get("from"), "to": event.data.get("to")}
    if event.kind == EventKind.LOW_EMPATHY_SCORE:
        data["empathy"] = {
            "message": event.message_id,
            "overall": event.data.get("overall"),
            "version": event.data.get("version"),
        }
    if event.kind == EventKind.SURVEY_ANSWERED:
        data["survey"] = {"id": event.data.get("survey"), "rating": event.data.get("rating")}
    return data


def webhooks_fan_out(event: TicketEvent) -> int:
    name = EVENT_NAMES.get(event.kind)
    if name is None:
        return 0
    created = 0
    payload = payload_for(event)
    for webhook in Webhook.objects.filter(active=True):
        if name not in webhook.events:
            continue
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    webhook=webhook, event=event, name=name, payload=payload
                )
        except IntegrityError:
            continue
        created += 1
        transaction.on_commit(partial(_enqueue, delivery.pk))
    return created


def _enqueue(delivery_id: int) -> None:
    from webhooks.tasks import webhook_deliver

    if not redis_usable():
        return  # still pending in the database; a later sweep or retry sends it
    try:
        webhook_deliver.delay(delivery_id)
    except Exception as exc:
        redis_failed(exc)
        logger.warning("Broker unavailable; webhook delivery %s waits for the sweep", delivery_id)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address we checked, while TLS still verifies the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def webhook_deliver(delivery_id: int, *, final_attempt: bool = False) -> str:
    """POST one delivery. Raises RetryableDeliveryError for the task to retry."""
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if delivery.state != WebhookDelivery.State.PENDING:
        return delivery.state
    webhook = delivery.webhook
    delivery.attempts += 1
    try:
        addresses = resolve_public(webhook.url, allow_private=webhook.allow_private_network)
    except AddressNotAllowed as exc:
        return _finish(delivery, WebhookDelivery.State.REFUSED, error=str(exc))
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    parts = urlsplit(webhook.url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn = connection_class(parts.hostname or "", addresses[0], port, TIMEOUT_SECONDS)
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Attune-Webhooks/1",
                HEADER: sign(webhook.secret, body),
                "X-Attune-Event": delivery.name,
                "X-Attune-Delivery": str(delivery.pk),
            },
        )
        response = conn.getresponse()
        response.read(65536)
        conn.close()
    except (OSError, http.client.HTTPException) as exc:
        return _retry_or_fail(delivery, f"{type(exc).__name__}: {exc}", None, final_attempt)
    if 200 <= response.status < 300:
        delivery.delivered_at = timezone.now()
        return _finish(delivery, WebhookDelivery.State.DELIVERED, status=response.status)
    if response.status >= 500 or response.status == 429:
        return _retry_or_fail(delivery, f"HTTP {response.status}", response.status, final_attempt)
    return _finish(delivery, WebhookDelivery.State.FAILED, status=response.status)


def _retry_or_fail(
    delivery: WebhookDelivery, error: str, status: int | None, final_attempt: bool
) -> str:
    if final_attempt:
        return _finish(delivery, WebhookDelivery.State.FAILED, status=status, error=error)
    delivery.error = error[:2000]
    delivery.response_status = status
    delivery.save(update_fields=["attempts", "error", "response_status"])
    raise RetryableDeliveryError(error)


def _finish(
    delivery: WebhookDelivery, state: str, *, status: int | None = None, error: str = ""
) -> str:
    delivery.state = state
    delivery.response_status = status
    delivery.error = error[:2000]
    delivery.save(update_fields=["state", "attempts", "response_status", "error", "delivered_at"])
    return state
