"""Email intake end to end: the MTA endpoint stores the raw mail, the real worker files it."""

from pathlib import Path

import pytest

from tests.integration.fixtures import wait_until
from tickets.models import Channel, EventDelivery, InboundEmail, Ticket

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

EML = Path(__file__).resolve().parents[1] / "tickets" / "eml"
# helpdesk.settings_test, which the worker process runs with too.
SECRET = "inbound-test-secret"


def post_eml(client, name: str):
    return client.post(
        "/inbound/email/",
        data=(EML / f"{name}.eml").read_bytes(),
        content_type="message/rfc822",
        headers={"X-Attune-Secret": SECRET},
    )


def state(inbound_id: int) -> str:
    return InboundEmail.objects.get(pk=inbound_id).state


def test_a_posted_mail_becomes_a_ticket_through_the_worker(celery_worker, client, queue):
    response = post_eml(client, "new_request_plain")
    assert response.status_code == 202
    inbound_id = response.json()["id"]

    wait_until(lambda: state(inbound_id) == InboundEmail.State.PROCESSED)

    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.EMAIL
    assert ticket.requester.user.email == "maria.lopez@lumenrye.example"
    assert InboundEmail.objects.get(pk=inbound_id).ticket == ticket
    # The worker also ran the outbox: the customer's confirmation went out once.
    wait_until(
        lambda: EventDelivery.objects.filter(
            event__ticket=ticket, handler="tickets.notify_created"
        ).exists()
    )

    duplicate = post_eml(client, "duplicate_message_id")
    assert duplicate.status_code == 200
    assert duplicate.json() == {
        "id": inbound_id,
        "message_id": "CAH7Fq9x=pLm3kQ2bZ8w@mail.lumenrye.example",
        "duplicate": True,
    }
    assert Ticket.objects.count() == 1


def test_an_automatic_reply_is_ignored_by_the_worker(celery_worker, client, queue):
    response = post_eml(client, "auto_reply_out_of_office")
    assert response.status_code == 202
    inbound_id = response.json()["id"]

    wait_until(lambda: state(inbound_id) != InboundEmail.State.RECEIVED)

    assert state(inbound_id) == InboundEmail.State.IGNORED
    assert not Ticket.objects.exists()
