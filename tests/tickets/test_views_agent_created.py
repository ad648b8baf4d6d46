"""Agents file tickets for customers (after a phone call), in the queues they work."""

import pytest

from tickets.models import Channel, Customer, EventKind, Ticket

pytestmark = pytest.mark.django_db


def form(queue, **overrides):
    data = {
        "customer_email": "Dana@Example.org",
        "customer_name": "Dana Park",
        "queue": queue.slug,
        "subject": "Called about a double charge",
        "description": "Dana says May was charged twice.",
        "urgency": "high",
    }
    return {**data, **overrides}


def test_an_agent_files_a_ticket_on_behalf_of_a_customer(client_agent, agent, queue):
    response = client_agent.post("/tickets/new/", form(queue))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{ticket.pk}/"
    assert ticket.channel == Channel.AGENT
    assert ticket.requester.user.email == "dana@example.org"
    created = ticket.events.get(kind=EventKind.CREATED)
    assert created.actor == agent
    assert created.data["on_behalf"] is True
    # The message is the customer's words, authored by the customer.
    assert ticket.messages.get().author == ticket.requester.user


def test_it_offers_only_the_agents_queues(client_agent, queue, other_queue):
    response = client_agent.post("/tickets/new/", form(other_queue))
    assert response.status_code == 400
    assert not Ticket.objects.exists()
    assert [c[0] for c in response.context["form"].fields["queue"].choices] == [queue.slug]


def test_a_staff_address_cannot_be_the_customer_and_nothing_is_written(
    client_agent, queue, manager
):
    response = client_agent.post("/tickets/new/", form(queue, customer_email=manager.email))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_a_refused_ticket_leaves_no_new_customer_behind(client_agent, queue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # The service refuses the executable after the customer was created: all or nothing.
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/x-msdownload")
    response = client_agent.post("/tickets/new/", {**form(queue), "attachments": upload})
    assert response.status_code == 400
    assert not Customer.objects.filter(user__email="dana@example.org").exists()


def test_customers_cannot_use_the_agent_form(client_customer, queue):
    assert client_customer.get("/tickets/new/").status_code == 403
