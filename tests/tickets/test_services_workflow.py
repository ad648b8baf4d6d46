"""Replies, status, assignment, merging, tags and the SLA sweep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tickets.errors import StaleTicketError, TicketError
from tickets.models import Channel, EventKind, Message, MessageKind, Status, Ticket, TicketEvent
from tickets.services import (
    sla_check,
    ticket_assign,
    ticket_change_status,
    ticket_customer_reply,
    ticket_merge,
    ticket_note_add,
    ticket_reply,
    ticket_set_priority,
    ticket_set_tags,
    ticket_take,
)

pytestmark = pytest.mark.django_db


def kinds(ticket: Ticket) -> list[str]:
    return list(ticket.events.order_by("created_at", "id").values_list("kind", flat=True))


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


# Replies ----------------------------------------------------------------------------


def test_it_marks_the_first_response_and_waits_on_the_customer_after_a_reply(ticket, agent) -> None:
    message = ticket_reply(ticket=ticket, author=agent, body="Please restart the export.")

    ticket = fresh(ticket)
    assert message.kind == MessageKind.REPLY
    assert ticket.first_responded_at == message.created_at
    assert ticket.status == Status.PENDING
    assert ticket.awaiting_reply_since is None
    assert ticket.sla_pauses == [[message.created_at.isoformat(), None]]
    assert ticket.assignee == agent  # the first agent to answer owns it
    assert ticket.version == 2
    assert kinds(ticket) == [
        EventKind.CREATED,
        EventKind.ASSIGNED,
        EventKind.AGENT_REPLIED,
        EventKind.STATUS_CHANGED,
    ]


def test_it_keeps_the_first_response_time_on_later_replies(ticket, agent) -> None:
    first = ticket_reply(ticket=ticket, author=agent, body="One")
    ticket_reply(ticket=ticket, author=agent, body="Two")
    assert fresh(ticket).first_responded_at == first.created_at


def test_it_reopens_on_a_customer_reply_and_closes_the_pause(ticket, agent, customer) -> None:
    ticket_reply(ticket=ticket, author=agent, body="Please restart the export.")

    message = ticket_customer_reply(
        ticket=ticket, customer=customer, body="Did that, still broken.", channel=Channel.PORTAL
    )

    ticket = fresh(ticket)
    assert ticket.status == Status.OPEN
    assert ticket.awaiting_reply_since == message.created_at
    assert len(ticket.sla_pauses) == 1
    assert ticket.sla_pauses[0][1] == message.created_at.isoformat()
    assert ticket.next_response_due is not None
    assert kinds(ticket)[-2:] == [EventKind.CUSTOMER_REPLIED, EventKind.STATUS_CHANGED]


def test_it_reopens_a_resolved_ticket_on_a_customer_reply(ticket, agent, customer) -> None:
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    ticket_customer_reply(ticket=ticket, customer=customer, body="It's back.", channel="email")
    ticket = fresh(ticket)
    assert ticket.status == Status.OPEN
    assert ticket.resolved_at is None


def test_it_refuses_a_customer_reply_from_someone_else(ticket, other_customer) -> None:
    with pytest.raises(TicketError):
        ticket_customer_reply(ticket=ticket, customer=other_customer, body="Hi", channel="portal")
    assert ticket.messages.count() == 1


def test_it_refuses_a_customer_reply_on_a_closed_ticket(ticket, agent, customer) -> None:
    ticket_change_status(ticket=ticket, actor=agent, status=Status.CLOSED)
    with pytest.raises(TicketError):
        ticket_customer_reply(ticket=ticket, customer=customer, body="Hi", channel="portal")
    assert ticket.messages.count() == 1


def test_it_adds_a_note_without_touching_status_or_sla(ticket, agent) -> None:
    before = fresh(ticket)
    note = ticket_note_add(ticket=ticket, author=agent, body="Customer is on the old plan.")

    after = fresh(ticket)
    assert note.kind == MessageKind.NOTE
    assert not note.is_public
    assert (after.status, after.first_responded_at, after.assignee) == (Status.NEW, None, None)
    assert after.first_response_due == before.first_response_due
    assert after.version == before.version + 1
    assert kinds(after)[-1] == EventKind.NOTE_ADDED


def test_it_refuses_an_empty_reply(ticket, agent) -> None:
    with pytest.raises(TicketError):
        ticket_reply(ticket=ticket, author=agent, body=" \x00 ")
    assert fresh(ticket).version == 1


# Status -----------------------------------------------------------------------------


def test_it_sets_resolved_at_when_resolving(ticket, agent) -> None:
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    ticket = fresh(ticket)
    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None
    assert ticket.priority_score == 0  # done tickets leave the queue order
    event = ticket.events.get(kind=EventKind.STATUS_CHANGED)
    assert (event.actor, event.data) == (agent, {"from": "new", "to": "resolved"})


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([Status.RESOLVED], Status.PENDING),
        ([Status.RESOLVED], Status.ON_HOLD),
        ([Status.CLOSED], Status.OPEN),
        ([Status.OPEN], Status.NEW),
        ([], "deleted"),
    ],
)
def test_it_refuses_invalid_transitions(ticket, agent, path, refused) -> None:
    for status in path:
        ticket_change_status(ticket=ticket, actor=agent, status=status)
    before = fresh(ticket)

    with pytest.raises(TicketError):
        ticket_change_status(ticket=ticket, actor=agent, status=refused)

    after = fresh(ticket)
    assert (after.status, after.version) == (before.status, before.version)
    assert after.events.count() == before.events.count()


def test_it_records_nothing_when_the_status_does_not_change(ticket, agent) -> None:
    ticket_change_status(ticket=ticket, actor=agent, status=Status.NEW)
    assert fresh(ticket).version == 1
    assert kinds(ticket) == [EventKind.CREATED]


@pytest.mark.parametrize(
    "action",
    [
        lambda t, a: ticket_change_status(ticket=t, actor=a, status="open", expected_version=1),
        lambda t, a: ticket_set_priority(ticket=t, actor=a, priority="high", expected_version=1),
        lambda t, a: ticket_reply(ticket=t, author=a, body="Hi", expected_version=1),
        lambda t, a: ticket_note_add(ticket=t, author=a, body="Hi", expected_version=1),
        lambda t, a: ticket_assign(ticket=t, actor=a, assignee=a, expected_version=1),
    ],
)
def test_it_refuses_a_stale_version_and_writes_nothing(ticket, agent, action) -> None:
    ticket_set_priority(ticket=ticket, actor=agent, priority="low")  # now version 2
    events = TicketEvent.objects.count()

    with pytest.raises(StaleTicketError):
        action(ticket, agent)

    assert fresh(ticket).version == 2
    assert TicketEvent.objects.count() == events
    assert Message.objects.count() == 1


def test_it_changes_priority_and_rescores(ticket, agent) -> None:
    before = fresh(ticket).priority_score
    ticket_set_priority(ticket=ticket, actor=agent, priority="urgent")
    ticket = fresh(ticket)
    assert ticket.priority == "urgent"
    assert ticket.urgency == "normal"  # what the customer said stays on record
    assert ticket.priority_score > before
    event = ticket.events.get(kind=EventKind.PRIORITY_CHANGED)
    assert event.data == {"from": "normal", "to": "urgent"}


def test_it_refuses_an_unknown_priority(ticket, agent) -> None:
    with pytest.raises(TicketError):
        ticket_set_priority(ticket=ticket, actor=agent, priority="asap")


# Assignment -------------------------------------------------------------------------


def test_it_lets_an_agent_take_an_unassigned_ticket(ticket, agent) -> None:
    ticket_take(ticket=ticket, agent=agent)
    ticket = fresh(ticket)
    assert ticket.assignee == agent
    event = ticket.events.get(kind=EventKind.ASSIGNED)
    assert (event.actor, event.data["to_id"], event.data["reason"]) == (agent, agent.pk, "taken")


def test_it_refuses_to_steal_a_taken_ticket(ticket, agent, make_user, queue) -> None:
    colleague = make_user(Role.AGENT)
    queue.agents.add(colleague)
    ticket_take(ticket=ticket, agent=agent)

    with pytest.raises(TicketError) as excinfo:
        ticket_take(ticket=ticket, agent=colleague)

    assert excinfo.value.code == "taken"
    assert fresh(ticket).assignee == agent
    assert ticket.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_it_assigns_only_to_members_of_the_queue(ticket, agent, other_agent, manager) -> None:
    with pytest.raises(TicketError):
        ticket_assign(ticket=ticket, actor=manager, assignee=other_agent)
    with pytest.raises(TicketError):
        ticket_assign(ticket=ticket, actor=manager, assignee=ticket.requester.user)
    assert fresh(ticket).assignee is None

    ticket_assign(ticket=ticket, actor=manager, assignee=agent)
    assert fresh(ticket).assignee == agent


def test_it_refuses_an_inactive_agent(ticket, agent, manager) -> None:
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    with pytest.raises(TicketError):
        ticket_assign(ticket=ticket, actor=manager, assignee=agent)


def test_it_unassigns_and_records_it(ticket, agent, manager) -> None:
    ticket_assign(ticket=ticket, actor=manager, assignee=agent)
    ticket_assign(ticket=ticket, actor=manager, assignee=None)
    ticket = fresh(ticket)
    assert ticket.assignee is None
    last = ticket.events.filter(kind=EventKind.ASSIGNED).last()
    assert (last.data["from_id"], last.data["to_id"]) == (agent.pk, None)


# Merge ------------------------------------------------------------------------------


def test_it_merges_tickets_of_the_same_requester(make_ticket, agent, customer) -> None:
    target = make_ticket(subject="Export fails")
    source = make_ticket(subject="Export still fails")
    ticket_customer_reply(ticket=source, customer=customer, body="Any news?", channel="portal")

    ticket_merge(source=source, target=target, actor=agent)

    source, target = fresh(source), fresh(target)
    assert source.messages.count() == 0
    assert target.messages.count() == 3
    assert source.merged_into == target
    assert source.status == Status.CLOSED
    assert source.events.filter(kind=EventKind.MERGED, data__merged_into=target.pk).exists()
    assert target.events.filter(kind=EventKind.MERGED, data__merged_from=source.pk).exists()


def test_it_refuses_to_merge_tickets_of_different_requesters(
    make_ticket, agent, other_customer
) -> None:
    target = make_ticket()
    source = make_ticket(requester=other_customer)
    with pytest.raises(TicketError):
        ticket_merge(source=source, target=target, actor=agent)
    assert fresh(source).messages.count() == 1
    assert fresh(source).merged_into is None
    assert fresh(source).status == Status.NEW


def test_it_refuses_to_merge_a_ticket_into_itself_or_twice(make_ticket, agent) -> None:
    one, two, three = make_ticket(), make_ticket(), make_ticket()
    with pytest.raises(TicketError):
        ticket_merge(source=one, target=one, actor=agent)
    ticket_merge(source=one, target=two, actor=agent)
    with pytest.raises(TicketError):
        ticket_merge(source=one, target=three, actor=agent)


def test_it_routes_a_customer_reply_on_a_merged_ticket_to_the_target(
    make_ticket, agent, customer
) -> None:
    target, source = make_ticket(), make_ticket()
    ticket_merge(source=source, target=target, actor=agent)
    message = ticket_customer_reply(
        ticket=source, customer=customer, body="Hello?", channel="email"
    )
    assert message.ticket_id == target.pk


# Tags -------------------------------------------------------------------------------


def test_it_records_added_and_removed_tags(ticket, agent) -> None:
    ticket_set_tags(ticket=ticket, actor=agent, tags=["Billing", "export "])
    ticket_set_tags(ticket=ticket, actor=agent, tags=["export", "vip"])
    ticket_set_tags(ticket=ticket, actor=agent, tags=["vip", "export"])  # unchanged

    assert sorted(fresh(ticket).tags.values_list("name", flat=True)) == ["export", "vip"]
    events = list(ticket.events.filter(kind=EventKind.TAGS_CHANGED).values_list("data", flat=True))
    assert events == [
        {"added": ["billing", "export"], "removed": []},
        {"added": ["vip"], "removed": ["billing"]},
    ]


# Every action leaves its event --------------------------------------------------------


def test_every_action_writes_its_event_with_its_actor(make_ticket, agent, customer) -> None:
    ticket = make_ticket()
    other = make_ticket()
    ticket_take(ticket=ticket, agent=agent)
    ticket_note_add(ticket=ticket, author=agent, body="Looking")
    ticket_reply(ticket=ticket, author=agent, body="Try this")
    ticket_customer_reply(ticket=ticket, customer=customer, body="Works", channel="email")
    ticket_set_priority(ticket=ticket, actor=agent, priority="high")
    ticket_set_tags(ticket=ticket, actor=agent, tags=["export"])
    ticket_merge(source=other, target=ticket, actor=agent)
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)

    rows = list(ticket.events.order_by("created_at", "id").values_list("kind", "actor"))
    assert rows == [
        (EventKind.CREATED, customer.user.pk),
        (EventKind.ASSIGNED, agent.pk),
        (EventKind.NOTE_ADDED, agent.pk),
        (EventKind.AGENT_REPLIED, agent.pk),
        (EventKind.STATUS_CHANGED, agent.pk),
        (EventKind.CUSTOMER_REPLIED, customer.user.pk),
        (EventKind.STATUS_CHANGED, customer.user.pk),
        (EventKind.PRIORITY_CHANGED, agent.pk),
        (EventKind.TAGS_CHANGED, agent.pk),
        (EventKind.MERGED, agent.pk),
        (EventKind.STATUS_CHANGED, agent.pk),
    ]


# SLA sweep --------------------------------------------------------------------------

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # business hours Mon-Fri 09-17 UTC


def test_it_writes_an_sla_warning_then_a_breach_once_each(make_ticket) -> None:
    # Normal priority, standard tier: first response within 8 business hours (17:00).
    ticket = make_ticket(created_at=MONDAY_9)
    assert fresh(ticket).first_response_due == MONDAY_9 + timedelta(hours=8)

    assert sla_check(now=MONDAY_9 + timedelta(hours=5)) == 0
    assert sla_check(now=MONDAY_9 + timedelta(hours=7)) == 1  # 60 of 480 min left
    assert sla_check(now=MONDAY_9 + timedelta(hours=7, minutes=30)) == 0
    assert sla_check(now=MONDAY_9 + timedelta(days=1, hours=1)) == 1
    assert sla_check(now=MONDAY_9 + timedelta(days=1, hours=2)) == 0

    ticket = fresh(ticket)
    events = ticket.events.filter(kind__in=[EventKind.SLA_WARNING, EventKind.SLA_BREACHED])
    assert [(e.kind, e.data["target"]) for e in events] == [
        (EventKind.SLA_WARNING, "first_response"),
        (EventKind.SLA_BREACHED, "first_response"),
    ]
    assert ticket.sla_warned == ["first_response"]
    assert ticket.sla_breached == ["first_response"]
    assert any(r["code"] == "sla" for r in ticket.priority_reasons)


def test_it_sweeps_tickets_of_customers_with_an_organisation(make_ticket, make_customer) -> None:
    from tickets.models import Organisation

    org = Organisation.objects.create(name="Lumen & Rye", domain="lumenrye.example", tier="vip")
    ticket = make_ticket(requester=make_customer(organisation=org), created_at=MONDAY_9)
    # VIP halves the targets: first response breached, resolution (20 h) 4 h from due.
    assert sla_check(now=MONDAY_9 + timedelta(days=2)) == 2
    assert fresh(ticket).sla_breached == ["first_response"]
    assert fresh(ticket).sla_warned == ["resolution"]


def test_it_writes_no_sla_event_for_a_ticket_pending_on_the_customer(make_ticket, agent) -> None:
    ticket = make_ticket(created_at=MONDAY_9)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Status.PENDING,
        first_responded_at=MONDAY_9,
        sla_pauses=[[MONDAY_9.isoformat(), None]],
    )
    assert sla_check(now=MONDAY_9 + timedelta(days=30)) == 0


def test_it_writes_no_sla_event_once_the_first_response_was_met(make_ticket, agent) -> None:
    ticket = make_ticket(created_at=MONDAY_9)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Status.OPEN, first_responded_at=MONDAY_9 + timedelta(hours=1)
    )
    # Seven hours later the (met) first response must not be reported.
    assert sla_check(now=MONDAY_9 + timedelta(hours=7)) == 0
    assert not TicketEvent.objects.filter(kind=EventKind.SLA_WARNING).exists()


def test_it_keeps_checking_new_tickets_when_old_breaches_fill_a_batch(make_ticket) -> None:
    old = make_ticket(created_at=MONDAY_9)
    assert sla_check(now=MONDAY_9 + timedelta(days=1, hours=1), limit=1) == 1
    new = make_ticket(created_at=MONDAY_9 + timedelta(hours=1))

    # `old` is still open and overdue; it must not take the whole batch forever.
    assert sla_check(now=MONDAY_9 + timedelta(days=2), limit=1) == 1

    assert fresh(new).sla_breached == ["first_response"]
    assert fresh(old).sla_breached == ["first_response"]


def test_it_reports_a_breach_of_each_next_response_cycle(ticket, agent, customer, queue) -> None:
    queue.business_hours = {}  # no opening hours: the clock runs 24/7
    queue.save(update_fields=["business_hours"])
    start = timezone.now()
    ticket_reply(ticket=ticket, author=agent, body="First answer")
    ticket_customer_reply(ticket=ticket, customer=customer, body="Still broken", channel="web")
    # Normal priority, standard tier: the next response is due within 8 hours.
    assert sla_check(now=start + timedelta(hours=9)) == 1

    ticket_reply(ticket=ticket, author=agent, body="Second answer")
    ticket_customer_reply(ticket=ticket, customer=customer, body="Broken again", channel="web")
    assert sla_check(now=start + timedelta(hours=10)) == 1

    breaches = ticket.events.filter(kind=EventKind.SLA_BREACHED)
    assert [e.data["target"] for e in breaches] == ["next_response", "next_response"]
