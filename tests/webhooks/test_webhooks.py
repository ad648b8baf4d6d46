"""Outgoing webhooks: signed, delivered once per event, retried, and never aimed inside."""

import http.server
import threading
from collections.abc import Iterator

import pytest

from tickets.models import EventKind, TicketEvent
from tickets.outbox import event_deliver
from tickets.services import ticket_reply
from webhooks.models import Webhook, WebhookDelivery
from webhooks.services import RetryableDeliveryError, webhook_create, webhook_deliver
from webhooks.signing import HEADER, sign, verify

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on loopback that records what it receives."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append((dict(self.headers), self.rfile.read(length)))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/attune"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def hook(receiver, admin_user) -> Webhook:
    return webhook_create(
        user=admin_user,
        url=receiver.url,
        events=["ticket.created", "ticket.replied"],
        allow_private_network=True,  # loopback is only allowed because an admin said so
    )


def test_the_signature_verifies_and_rejects_tampering_and_old_timestamps() -> None:
    header = sign("s3cret", b'{"a":1}', timestamp=1_000_000)
    assert verify("s3cret", b'{"a":1}', header, now=1_000_010)
    assert not verify("s3cret", b'{"a":2}', header, now=1_000_010)
    assert not verify("other", b'{"a":1}', header, now=1_000_010)
    assert not verify("s3cret", b'{"a":1}', header, now=1_000_000 + 3600)
    assert not verify("s3cret", b'{"a":1}', "garbage", now=1_000_000)


def deliver_outbox_for(ticket) -> None:
    for event in TicketEvent.objects.filter(ticket=ticket):
        event_deliver(event.pk, "webhooks.fan_out")


def test_a_created_ticket_is_posted_once_signed_to_the_receiver(hook, receiver, ticket) -> None:
    deliver_outbox_for(ticket)
    deliver_outbox_for(ticket)  # a redelivered outbox task adds nothing
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver(delivery.pk) == WebhookDelivery.State.DELIVERED
    assert webhook_deliver(delivery.pk) == WebhookDelivery.State.DELIVERED  # no second POST
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert verify(hook.secret, body, headers[HEADER])
    assert headers["X-Attune-Event"] == "ticket.created"
    assert b'"subject":"Export stops at 40%"' in body


def test_internal_notes_are_never_sent(hook, receiver, ticket, agent) -> None:
    from tickets.services import ticket_note_add

    ticket_note_add(ticket=ticket, author=agent, body="secret internal remark")
    ticket_reply(ticket=ticket, author=agent, body="Public answer")
    deliver_outbox_for(ticket)
    for delivery in WebhookDelivery.objects.all():
        webhook_deliver(delivery.pk)
    bodies = b"".join(body for _, body in receiver.requests)
    assert b"Public answer" in bodies
    assert b"secret internal remark" not in bodies


def test_a_failing_receiver_is_retried_then_given_up(hook, receiver, ticket) -> None:
    receiver.status = 503
    deliver_outbox_for(ticket)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(RetryableDeliveryError):
        webhook_deliver(delivery.pk)
    assert webhook_deliver(delivery.pk, final_attempt=True) == WebhookDelivery.State.FAILED
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.response_status == 503


def test_loopback_and_private_targets_are_refused_without_an_admins_permission(
    admin_user, manager
) -> None:
    from tickets.errors import TicketError

    for url in ("http://127.0.0.1:8000/x", "http://10.0.0.5/x", "http://[::1]/x"):
        with pytest.raises(TicketError, match="non-public address"):
            webhook_create(user=admin_user, url=url, events=["ticket.created"])
    with pytest.raises(TicketError, match="Only an admin"):
        webhook_create(
            user=manager, url="http://127.0.0.1/x", events=["ticket.created"],
            allow_private_network=True,
        )  # fmt: skip


def test_a_delivery_whose_target_became_private_is_refused_not_sent(hook, receiver, ticket) -> None:
    Webhook.objects.filter(pk=hook.pk).update(allow_private_network=False)
    deliver_outbox_for(ticket)
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver(delivery.pk) == WebhookDelivery.State.REFUSED
    assert receiver.requests == []


def test_only_admins_manage_webhooks_over_the_api(client_for, admin_user, manager, receiver):
    body = {"url": receiver.url, "events": ["ticket.created"], "allow_private_network": True}
    response = client_for(admin_user).post(
        "/api/v1/webhooks/", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert len(response.json()["secret"]) == 64
    assert client_for(manager).get("/api/v1/webhooks/").status_code == 403
    assert "secret" not in client_for(admin_user).get("/api/v1/webhooks/").json()[0]


def test_event_kinds_without_a_webhook_name_are_ignored(hook, ticket) -> None:
    event = TicketEvent.objects.create(
        ticket=ticket, kind=EventKind.NOTE_ADDED, created_at=ticket.created_at
    )
    from webhooks.services import webhooks_fan_out

    assert webhooks_fan_out(event) == 0


def test_a_cold_reply_to_an_upset_customer_is_announced_as_a_low_empathy_score(
    receiver, admin_user, make_ticket, agent
) -> None:
    from empathy.services import reply_score

    hook = webhook_create(
        user=admin_user,
        url=receiver.url,
        events=["reply.low_empathy_score"],
        allow_private_network=True,
    )
    upset = make_ticket(body="Third time I write!!! This is unacceptable, I am furious.")
    score = reply_score(message=ticket_reply(ticket=upset, author=agent, body="Restart it."))
    assert score is not None
    assert score.overall < 40
    event = TicketEvent.objects.get(ticket=upset, kind=EventKind.LOW_EMPATHY_SCORE)
    assert event.data["overall"] == score.overall
    event_deliver(event.pk, "webhooks.fan_out")
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert webhook_deliver(delivery.pk) == WebhookDelivery.State.DELIVERED
    assert b'"event":"reply.low_empathy_score"' in receiver.requests[0][1]


def test_a_short_answer_to_a_calm_question_is_not_flagged(make_ticket, agent) -> None:
    from empathy.services import reply_score

    calm = make_ticket(subject="Opening hours", body="When do you open on Saturdays?")
    reply_score(message=ticket_reply(ticket=calm, author=agent, body="At 9am."))
    assert not TicketEvent.objects.filter(ticket=calm, kind=EventKind.LOW_EMPATHY_SCORE).exists()
