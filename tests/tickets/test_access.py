"""Role rules of the access module: who sees which tickets."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tickets.access import (
    can_see_internal_notes,
    queues_visible_to,
    ticket_get_for_user,
    tickets_visible_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(make_ticket, queue, other_queue, customer, other_customer):
    return {
        "mine_x": make_ticket(requester=customer, queue=queue),
        "theirs_y": make_ticket(requester=other_customer, queue=other_queue),
    }


def visible(user) -> set[int]:
    return set(tickets_visible_to(user).values_list("pk", flat=True))


def test_anonymous_sees_nothing(tickets) -> None:
    assert visible(AnonymousUser()) == set()


def test_a_customer_sees_only_their_own_tickets(tickets, customer, other_customer) -> None:
    assert visible(customer.user) == {tickets["mine_x"].pk}
    assert visible(other_customer.user) == {tickets["theirs_y"].pk}


def test_an_agent_sees_only_the_queues_they_belong_to(tickets, agent, other_agent) -> None:
    assert visible(agent) == {tickets["mine_x"].pk}
    assert visible(other_agent) == {tickets["theirs_y"].pk}


def test_a_manager_sees_the_queues_of_the_teams_they_manage(tickets, manager) -> None:
    assert visible(manager) == {tickets["mine_x"].pk}
    assert list(queues_visible_to(manager).values_list("slug", flat=True)) == ["general"]


def test_an_admin_sees_everything(tickets, admin_user) -> None:
    assert visible(admin_user) == {t.pk for t in tickets.values()}


def test_an_inactive_agent_sees_nothing(tickets, agent) -> None:
    agent.is_active = False
    agent.save()
    assert visible(agent) == set()


def test_a_ticket_outside_your_reach_is_a_404_not_a_403(tickets, customer, agent) -> None:
    with pytest.raises(Http404):
        ticket_get_for_user(user=customer.user, ticket_id=tickets["theirs_y"].pk)
    with pytest.raises(Http404):
        ticket_get_for_user(user=agent, ticket_id=tickets["theirs_y"].pk)
    with pytest.raises(Http404):
        ticket_get_for_user(user=agent, ticket_id="1 OR 1=1")
    assert ticket_get_for_user(user=agent, ticket_id=tickets["mine_x"].pk) == tickets["mine_x"]


def test_only_staff_see_internal_notes(customer, agent, manager) -> None:
    assert not can_see_internal_notes(customer.user)
    assert not can_see_internal_notes(AnonymousUser())
    assert can_see_internal_notes(agent)
    assert can_see_internal_notes(manager)
