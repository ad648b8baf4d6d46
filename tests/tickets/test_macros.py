"""Canned responses: placeholders filled safely, managed by staff, scoped to queues."""

import pytest

from tickets.errors import TicketError
from tickets.models import Macro
from tickets.services.macros import macro_render, macro_save, macros_for

pytestmark = pytest.mark.django_db


def test_it_fills_placeholders_with_the_ticket_customer_and_agent(ticket, agent) -> None:
    macro = Macro.objects.create(
        name="Hello",
        body="Hi {{ customer.first_name }}, {{agent.first_name}} here about #{{ ticket.number }}.",
    )
    text = macro_render(macro=macro, ticket=ticket, agent=agent)
    assert text == f"Hi Casey, Alex here about #{ticket.pk}."


def test_it_never_evaluates_macro_text_as_a_template(ticket, agent) -> None:
    macro = Macro.objects.create(name="x", body="{% load static %}{{ settings.SECRET_KEY }}")
    assert macro_render(macro=macro, ticket=ticket, agent=agent) == macro.body


def test_it_refuses_unknown_placeholders_and_empty_macros(agent) -> None:
    with pytest.raises(TicketError, match=r"Unknown placeholder ticket\.secret"):
        macro_save(user=agent, name="Bad", body="{{ ticket.secret }}", queue=None)
    with pytest.raises(TicketError, match="needs a name"):
        macro_save(user=agent, name=" ", body="text", queue=None)


def test_it_offers_shared_macros_and_those_of_the_tickets_queue_only(
    ticket, agent, queue, other_queue
) -> None:
    shared = Macro.objects.create(name="Shared", body="a")
    mine = Macro.objects.create(name="Mine", body="b", queue=queue)
    Macro.objects.create(name="Theirs", body="c", queue=other_queue)
    assert list(macros_for(user=agent, ticket=ticket)) == [mine, shared]


def test_an_agent_cannot_attach_a_macro_to_a_queue_they_do_not_work(agent, other_queue) -> None:
    with pytest.raises(TicketError, match="queues you work in"):
        macro_save(user=agent, name="x", body="y", queue=other_queue)


def test_inserting_a_macro_prefills_the_reply_without_javascript(ticket, client_agent) -> None:
    macro = Macro.objects.create(name="Thanks", body="Thank you, {{ customer.first_name }}!")
    response = client_agent.get(f"/tickets/{ticket.pk}/", {"macro": macro.pk})
    assert response.status_code == 200
    assert response.context["reply_form"].initial["body"] == "Thank you, Casey!"


def test_staff_manage_macros_and_customers_cannot(client_agent, client_customer) -> None:
    response = client_agent.post("/tickets/macros/", {"name": "Refund", "body": "Done."})
    assert response.status_code == 302
    macro = Macro.objects.get(name="Refund")
    response = client_agent.post(f"/tickets/macros/{macro.pk}/", {"name": "Refund", "body": "Ok"})
    assert response.status_code == 302
    macro.refresh_from_db()
    assert macro.body == "Ok"
    assert client_customer.get("/tickets/macros/").status_code == 403
    assert client_customer.post(f"/tickets/macros/{macro.pk}/delete/").status_code == 403
    assert client_agent.post(f"/tickets/macros/{macro.pk}/delete/").status_code == 302
    assert not Macro.objects.filter(pk=macro.pk).exists()


def test_a_macro_of_another_queue_is_not_found(client_agent, other_queue) -> None:
    macro = Macro.objects.create(name="Theirs", body="c", queue=other_queue)
    assert client_agent.get(f"/tickets/macros/{macro.pk}/").status_code == 404
