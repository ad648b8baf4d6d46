"""Customers, macros, the empathy dashboard figures and reviews over the API."""

import pytest

from empathy.models import Review
from empathy.services import reply_score
from tickets.models import Macro
from tickets.services import ticket_reply

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_staff_list_only_customers_of_tickets_they_can_see(
    make_ticket, client_for, agent, other_agent, customer, other_customer, other_queue
):
    make_ticket(requester=customer)
    make_ticket(requester=other_customer, queue=other_queue)
    assert ids(client_for(agent).get("/api/v1/customers/")) == {customer.pk}
    assert ids(client_for(other_agent).get("/api/v1/customers/")) == {other_customer.pk}
    row = client_for(agent).get("/api/v1/customers/").json()["results"][0]
    assert (row["tickets"], row["open_tickets"]) == (1, 1)
    assert client_for(agent).get(f"/api/v1/customers/{other_customer.pk}/").status_code == 404
    assert client_for(customer.user).get("/api/v1/customers/").status_code == 403


def test_staff_manage_macros_over_the_api(client_for, agent, queue, other_queue, customer):
    client = client_for(agent)
    created = client.post(
        "/api/v1/macros/",
        {"name": "Thanks", "body": "Thank you {{ customer.first_name }}!", "queue": queue.slug},
        content_type="application/json",
    )
    assert created.status_code == 201
    refused = client.post(
        "/api/v1/macros/",
        {"name": "x", "body": "y", "queue": other_queue.slug},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert [m["name"] for m in client.get("/api/v1/macros/").json()] == ["Thanks"]
    macro_id = created.json()["id"]
    assert client_for(customer.user).delete(f"/api/v1/macros/{macro_id}/").status_code == 403
    assert client.delete(f"/api/v1/macros/{macro_id}/").status_code == 204
    assert not Macro.objects.exists()


def test_managers_read_dashboard_figures_and_review_their_agents(
    ticket, client_for, agent, manager, other_agent, make_user, other_team
):
    score = reply_score(message=ticket_reply(ticket=ticket, author=agent, body="Just restart it."))
    figures = client_for(manager).get("/api/v1/empathy/dashboard/").json()
    assert [a["agent_id"] for a in figures["agents"]] == [agent.pk]
    assert figures["agents"][0]["replies"] == 1
    url = f"/api/v1/empathy/scores/{score.pk}/review/"
    body = {"validation": 0, "tone": 0, "feedback": "Acknowledge first.", "exemplary": False}
    response = client_for(manager).put(url, body, content_type="application/json")
    assert response.status_code == 200
    assert Review.objects.get().feedback == "Acknowledge first."
    bad = client_for(manager).put(url, {"tone": 3}, content_type="application/json")
    assert bad.status_code == 400
    stranger = make_user("manager")
    other_team.managers.add(stranger)
    assert client_for(stranger).put(url, body, content_type="application/json").status_code == 404
    assert client_for(agent).get("/api/v1/empathy/dashboard/").status_code == 403
    inverted = client_for(manager).get("/api/v1/empathy/dashboard/?start=2026-02-01&end=2026-01-01")
    assert inverted.status_code == 400


def test_the_ticket_list_can_be_ordered_by_priority_and_still_pages_by_cursor(
    make_ticket, client_for, agent
):
    low = make_ticket(subject="Question", urgency="low")
    urgent = make_ticket(subject="Outage", urgency="urgent")
    normal = make_ticket(subject="Normal")
    client = client_for(agent)
    first = client.get("/api/v1/tickets/", {"ordering": "-priority_score", "page_size": 2}).json()
    assert [t["id"] for t in first["results"]] == [urgent.pk, normal.pk]
    rest = client.get(first["next"]).json()
    assert [t["id"] for t in rest["results"]] == [low.pk]
    default = client.get("/api/v1/tickets/").json()["results"]
    assert [t["id"] for t in default] == [normal.pk, urgent.pk, low.pk]
