"""Assignment, tags and merge from the ticket page."""

import pytest
from django.contrib.messages import get_messages

from tickets.models import Status
from tickets.services import ticket_set_tags

pytestmark = pytest.mark.django_db


def test_an_agent_assigns_a_ticket_to_a_colleague_of_the_queue(
    ticket, client_agent, make_user, queue
):
    colleague = make_user("agent")
    queue.agents.add(colleague)
    response = client_agent.post(
        f"/tickets/{ticket.pk}/assign/", {"assignee": colleague.pk, "version": ticket.version}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == colleague


def test_assigning_to_someone_outside_the_queue_is_refused(ticket, client_agent, other_agent):
    client_agent.post(
        f"/tickets/{ticket.pk}/assign/", {"assignee": other_agent.pk, "version": ticket.version}
    )
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_tags_are_replaced_from_a_comma_separated_list(ticket, client_agent):
    ticket.refresh_from_db()
    client_agent.post(
        f"/tickets/{ticket.pk}/tags/", {"tags": "Billing, refund ,  ", "version": ticket.version}
    )
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing", "refund"]


def test_a_stale_tags_form_keeps_a_colleagues_tag_and_says_why(ticket, client_agent, agent):
    ticket.refresh_from_db()
    page = client_agent.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'name="version" value="{ticket.version}"' in page
    seen = ticket.version
    # A colleague tags the ticket after the page was read.
    ticket_set_tags(ticket=ticket, actor=agent, tags=["vip"])

    response = client_agent.post(
        f"/tickets/{ticket.pk}/tags/", {"tags": "billing", "version": seen}
    )

    assert response.status_code == 302
    assert any(
        "changed while you were working" in str(m) for m in get_messages(response.wsgi_request)
    )
    assert list(ticket.tags.values_list("name", flat=True)) == ["vip"]


def test_merge_moves_the_conversation_and_closes_the_source(make_ticket, client_agent):
    source, target = make_ticket(subject="Dup"), make_ticket(subject="Original")
    response = client_agent.post(f"/tickets/{source.pk}/merge/", {"into": target.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/tickets/{target.pk}/"
    source.refresh_from_db()
    assert source.status == Status.CLOSED
    assert source.merged_into == target
    assert target.messages.count() == 2


def test_merge_into_a_ticket_the_agent_cannot_see_is_not_found(
    make_ticket, client_agent, other_queue
):
    source = make_ticket()
    hidden = make_ticket(queue=other_queue)
    client_agent.post(f"/tickets/{source.pk}/merge/", {"into": hidden.pk})
    source.refresh_from_db()
    assert source.merged_into is None
    assert hidden.messages.count() == 1


def test_merging_into_a_resolved_ticket_reopens_it_for_good(make_ticket, agent):
    from tickets.services import ticket_change_status, ticket_merge

    target = make_ticket(subject="Original")
    ticket_change_status(ticket=target, actor=agent, status="resolved")
    source = make_ticket(subject="Follow-up")
    ticket_merge(source=source, target=target, actor=agent)
    target.refresh_from_db()
    assert target.status == Status.OPEN
    assert target.resolved_at is None
