"""Queue filters, bulk actions, collision hints and shortcuts' markup."""

import pytest
from django.core.cache import cache

from tickets.models import Channel, EventKind, TicketEvent
from tickets.services import ticket_customer_reply, ticket_reply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def rows(response) -> list[int]:
    return [t.pk for t in response.context["tickets"]]


def test_it_filters_the_queue_by_priority_channel_tag_and_assignee(
    make_ticket, client_agent, agent
):
    urgent = make_ticket(subject="Down", urgency="urgent", tags=["outage"])
    calm = make_ticket(subject="Question", urgency="low", channel=Channel.EMAIL)
    response = client_agent.get("/tickets/", {"view": "all", "priority": "urgent"})
    assert rows(response) == [urgent.pk]
    assert rows(client_agent.get("/tickets/", {"view": "all", "channel": "email"})) == [calm.pk]
    assert rows(client_agent.get("/tickets/", {"view": "all", "tag": "outage"})) == [urgent.pk]
    client_agent.post("/tickets/bulk/", {"tickets": [calm.pk], "action": "assign_me"})
    response = client_agent.get("/tickets/", {"view": "all", "assignee": agent.pk})
    assert rows(response) == [calm.pk]


def test_an_unknown_filter_value_is_ignored_not_an_error(make_ticket, client_agent):
    ticket = make_ticket()
    response = client_agent.get("/tickets/", {"view": "nonsense", "priority": "<script>"})
    assert response.status_code == 200
    assert rows(client_agent.get("/tickets/", {"view": "all", "priority": "bogus"})) == [ticket.pk]


def test_bulk_assign_status_and_tag_change_every_selected_ticket(make_ticket, client_agent, agent):
    first, second = make_ticket(), make_ticket(subject="Second")
    ids = [first.pk, second.pk]
    assert (
        client_agent.post("/tickets/bulk/", {"tickets": ids, "action": "assign_me"}).status_code
        == 302
    )
    client_agent.post("/tickets/bulk/", {"tickets": ids, "action": "status", "status": "on_hold"})
    client_agent.post("/tickets/bulk/", {"tickets": ids, "action": "tag", "tag": "Billing"})
    for ticket in (first, second):
        ticket.refresh_from_db()
        assert ticket.assignee == agent
        assert ticket.status == "on_hold"
        assert list(ticket.tags.values_list("name", flat=True)) == ["billing"]
        assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ASSIGNED).count() == 1


def test_bulk_actions_skip_tickets_outside_the_agents_queues(
    make_ticket, client_agent, other_queue, other_customer
):
    mine = make_ticket()
    theirs = make_ticket(queue=other_queue, requester=other_customer)
    response = client_agent.post(
        "/tickets/bulk/", {"tickets": [mine.pk, theirs.pk], "action": "status", "status": "on_hold"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "on_hold"
    assert theirs.status == "new"


def test_bulk_needs_staff(make_ticket, client_customer):
    ticket = make_ticket()
    response = client_customer.post(
        "/tickets/bulk/", {"tickets": [ticket.pk], "action": "assign_me"}
    )
    assert response.status_code == 403


def test_presence_tells_who_else_is_replying_and_what_arrived(
    ticket, agent, make_user, queue, client_for, customer
):
    colleague = make_user("agent", first_name="Sam")
    queue.agents.add(colleague)
    mine, theirs = client_for(agent), client_for(colleague)
    seen = ticket.messages.order_by("-pk").first().pk
    theirs.post(f"/tickets/{ticket.pk}/presence/", {"mode": "replying", "last_message": seen})
    ticket_reply(ticket=ticket, author=colleague, body="On it.")
    ticket_customer_reply(ticket=ticket, customer=customer, body="Any news?", channel=Channel.WEB)
    data = mine.post(
        f"/tickets/{ticket.pk}/presence/", {"mode": "viewing", "last_message": seen}
    ).json()
    assert data["others"] == [{"name": colleague.display_name, "mode": "replying"}]
    assert [m["kind"] for m in data["arrived"]] == ["reply", "customer"]


def test_presence_is_refused_outside_the_agents_queues(
    make_ticket, client_agent, other_queue, other_customer
):
    theirs = make_ticket(queue=other_queue, requester=other_customer)
    assert client_agent.post(f"/tickets/{theirs.pk}/presence/").status_code == 404


def test_the_ticket_page_links_the_next_ticket_and_the_shortcut_help(make_ticket, client_agent):
    top = make_ticket(subject="Top", urgency="urgent")
    following = make_ticket(subject="Following", urgency="low")
    page = client_agent.get(f"/tickets/{top.pk}/")
    assert page.context["next_ticket"] == following
    html = page.content.decode()
    assert 'id="shortcuts-help"' in html
    assert 'data-shortcut="next"' in html
