"""ticket_create, the one creation path of every channel, and its helpers."""

from __future__ import annotations

import hashlib
from unittest import mock

import pytest
from django.db import connection

from accounts.models import Role, User
from tickets.errors import TicketError
from tickets.models import (
    AgentProfile,
    Attachment,
    Channel,
    Customer,
    EventKind,
    Message,
    MessageKind,
    Organisation,
    Status,
    Ticket,
    TicketEvent,
)
from tickets.services import AttachmentInput, customer_get_or_create, ticket_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def nothing_written() -> bool:
    return not (
        Ticket.objects.exists()
        or Message.objects.exists()
        or TicketEvent.objects.exists()
        or Attachment.objects.exists()
    )


# Channels ---------------------------------------------------------------------------


@pytest.mark.parametrize("channel", Channel.values)
def test_it_creates_ticket_message_and_created_event_from_every_channel(
    channel, customer, queue
) -> None:
    ticket = ticket_create(
        requester=customer, queue=queue, subject="Export fails", body="It fails.", channel=channel
    )

    ticket.refresh_from_db()
    assert (ticket.channel, ticket.status, ticket.queue, ticket.requester) == (
        channel,
        Status.NEW,
        queue,
        customer,
    )
    message = Message.objects.get(ticket=ticket)
    assert (message.kind, message.author, message.channel, message.body) == (
        MessageKind.CUSTOMER,
        customer.user,
        channel,
        "It fails.",
    )
    event = TicketEvent.objects.get(ticket=ticket)
    assert (event.kind, event.actor, event.message) == (EventKind.CREATED, customer.user, message)
    assert event.data == {"channel": channel, "on_behalf": False}


def test_it_records_the_agent_who_filed_on_behalf_but_keeps_the_customer_as_author(
    customer, queue, agent
) -> None:
    ticket = ticket_create(
        requester=customer,
        queue=queue,
        subject="Called in",
        body="Customer phoned about the export.",
        channel=Channel.AGENT,
        created_by=agent,
    )

    assert ticket.messages.get().author == customer.user
    event = ticket.events.get(kind=EventKind.CREATED)
    assert event.actor == agent
    assert event.data["on_behalf"] is True


def test_it_writes_nothing_when_a_later_step_fails(customer, queue) -> None:
    with (
        mock.patch("tickets.services.intake.ticket_refresh", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        ticket_create(requester=customer, queue=queue, subject="S", body="B", channel=Channel.WEB)

    assert nothing_written()


def test_it_refuses_an_unknown_channel(customer, queue) -> None:
    with pytest.raises(TicketError):
        ticket_create(requester=customer, queue=queue, subject="S", body="B", channel="fax")
    assert nothing_written()


def test_it_refuses_an_unknown_urgency_instead_of_crashing(customer, queue) -> None:
    with pytest.raises(TicketError):
        ticket_create(
            requester=customer, queue=queue, subject="S", body="B", channel="api", urgency="asap"
        )
    assert nothing_written()


def test_it_files_into_the_default_queue_when_none_is_given(customer, queue, other_queue) -> None:
    ticket = ticket_create(requester=customer, subject="S", body="B", channel=Channel.WEB)
    assert ticket.queue == queue  # slug "general" is ATTUNE_DEFAULT_QUEUE


# Cleaning ---------------------------------------------------------------------------


def test_it_stores_markup_as_plain_text(customer, queue) -> None:
    body = "<script>alert('x')</script><b>bold</b>"
    ticket = ticket_create(
        requester=customer, queue=queue, subject="<img src=x onerror=alert(1)>", body=body,
        channel=Channel.WEB,
    )  # fmt: skip

    ticket.refresh_from_db()
    assert ticket.subject == "<img src=x onerror=alert(1)>"
    assert ticket.messages.get().body == body


def test_it_removes_line_breaks_from_the_subject(customer, queue) -> None:
    ticket = ticket_create(
        requester=customer,
        queue=queue,
        subject="Help\r\nBcc: victim@example.com\nX-Injected: 1",
        body="B",
        channel=Channel.WEB,
    )
    ticket.refresh_from_db()
    assert "\r" not in ticket.subject
    assert "\n" not in ticket.subject
    assert ticket.subject == "Help Bcc: victim@example.com X-Injected: 1"


def test_it_removes_nul_control_and_bidi_characters(customer, queue) -> None:
    ticket = ticket_create(
        requester=customer,
        queue=queue,
        subject="Invoice\u202efdp.exe\x00",
        body="Line one\x00\x07\r\nLine \u2066two\u2069",
        channel=Channel.WEB,
    )
    ticket.refresh_from_db()
    assert ticket.subject == "Invoicefdp.exe"
    assert ticket.messages.get().body == "Line one\nLine two"


def test_it_refuses_a_subject_that_is_empty_after_cleaning(customer, queue) -> None:
    with pytest.raises(TicketError):
        ticket_create(
            requester=customer, queue=queue, subject="\r\n\x00\u202e ", body="B",
            channel=Channel.WEB,
        )  # fmt: skip
    assert nothing_written()


# Attachments ------------------------------------------------------------------------


def test_it_refuses_an_oversized_attachment_and_writes_nothing(
    settings, customer, queue, media
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    files = [
        AttachmentInput("small.txt", "text/plain", b"ok"),
        AttachmentInput("big.pdf", "application/pdf", b"x" * 1025),
    ]
    with pytest.raises(TicketError) as excinfo:
        ticket_create(
            requester=customer, queue=queue, subject="S", body="B", channel=Channel.WEB,
            attachments=files,
        )  # fmt: skip

    assert "big.pdf" in " ".join(excinfo.value.messages)
    assert nothing_written()
    assert not [path for path in media.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    "filename", ["setup.exe", "SETUP.EXE", "report.pdf.exe", "run.ps1", "invoice\u202efdp.exe"]
)
def test_it_refuses_executables(filename, customer, queue) -> None:
    with pytest.raises(TicketError):
        ticket_create(
            requester=customer, queue=queue, subject="S", body="B", channel=Channel.WEB,
            attachments=[AttachmentInput(filename, "application/octet-stream", b"MZ")],
        )  # fmt: skip
    assert nothing_written()


@pytest.mark.parametrize("filename", ["setup.exe.", "setup.exe. . ", "run.BAT..."])
def test_it_refuses_executables_disguised_by_trailing_dots(filename, customer, queue) -> None:
    # Windows drops trailing dots and spaces: "setup.exe." saves as "setup.exe".
    with pytest.raises(TicketError):
        ticket_create(
            requester=customer, queue=queue, subject="S", body="B", channel=Channel.WEB,
            attachments=[AttachmentInput(filename, "application/octet-stream", b"MZ")],
        )  # fmt: skip
    assert nothing_written()


def test_it_accepts_html_and_svg_but_stores_them_under_their_hash(customer, queue, media) -> None:
    html = b"<html><script>alert(1)</script></html>"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    ticket = ticket_create(
        requester=customer, queue=queue, subject="S", body="", channel=Channel.EMAIL,
        attachments=[
            AttachmentInput("../../page.html", "text/html", html),
            AttachmentInput("logo.svg", "image/svg+xml", svg),
        ],
    )  # fmt: skip

    stored = {a.filename: a for a in Attachment.objects.filter(message__ticket=ticket)}
    assert set(stored) == {"page.html", "logo.svg"}
    for name, data in (("page.html", html), ("logo.svg", svg)):
        digest = hashlib.sha256(data).hexdigest()
        attachment = stored[name]
        assert attachment.sha256 == digest
        assert attachment.size == len(data)
        assert attachment.file.name == f"attachments/{digest[:2]}/{digest}"
        assert (media / attachment.file.name).read_bytes() == data


def test_it_accepts_a_ticket_with_only_an_attachment_but_not_an_empty_one(customer, queue) -> None:
    with pytest.raises(TicketError):
        ticket_create(requester=customer, queue=queue, subject="S", body=" ", channel="web")
    ticket = ticket_create(
        requester=customer, queue=queue, subject="S", body=" ", channel=Channel.WEB,
        attachments=[AttachmentInput("shot.png", "image/png", b"\x89PNG")],
    )  # fmt: skip
    assert ticket.messages.get().attachments.count() == 1


# SLA and priority -------------------------------------------------------------------


def test_it_sets_sla_deadlines(customer, queue) -> None:
    ticket = ticket_create(
        requester=customer, queue=queue, subject="S", body="B", channel=Channel.WEB
    )
    ticket.refresh_from_db()
    assert ticket.first_response_due is not None
    assert ticket.resolution_due is not None
    assert ticket.first_response_due > ticket.created_at
    assert ticket.resolution_due > ticket.first_response_due
    # No customer reply waits for an answer after the first one yet.
    assert ticket.next_response_due is None


def test_it_sets_the_priority_score_with_reasons_that_add_up(customer, queue) -> None:
    ticket = ticket_create(
        requester=customer, queue=queue, subject="Site offline", body="Everything is down.",
        channel=Channel.WEB, urgency="high",
    )  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.priority_score > 0
    codes = {r["code"] for r in ticket.priority_reasons}
    assert {"urgency", "impact.outage"} <= codes
    assert sum(r["points"] for r in ticket.priority_reasons) == ticket.priority_score


def test_it_orders_example_tickets_by_urgency_impact_and_tier(make_customer, queue) -> None:
    vip = make_customer(tier="vip")
    angry = make_customer()
    calm = make_customer()
    how_to = ticket_create(
        requester=calm, queue=queue, subject="How do I change my avatar?",
        body="Hi, where can I change my profile picture? Thanks!", channel=Channel.WEB,
        urgency="low",
    )  # fmt: skip
    outage = ticket_create(
        requester=vip, queue=queue, subject="Outage: checkout is offline",
        body="Our whole shop is offline, customers cannot pay.", channel=Channel.EMAIL,
        urgency="urgent",
    )  # fmt: skip
    frustrated = ticket_create(
        requester=angry, queue=queue, subject="Still not fixed",
        body="This is the third time I write. I am furious, still not fixed!!",
        channel=Channel.WEB,
    )  # fmt: skip

    order = list(Ticket.objects.filter(queue=queue).in_queue_order())
    assert order == [outage, frustrated, how_to]
    frustrated.refresh_from_db()
    assert any(r["code"] == "frustration" for r in frustrated.priority_reasons)
    outage.refresh_from_db()
    assert any(r["code"] == "tier" for r in outage.priority_reasons)


# Round robin ------------------------------------------------------------------------


@pytest.fixture
def auto_queue(queue):
    queue.auto_assign = True
    queue.save(update_fields=["auto_assign"])
    return queue


def test_it_assigns_round_robin_to_the_agent_assigned_longest_ago(
    auto_queue, make_user, make_ticket
) -> None:
    first, second = make_user(Role.AGENT), make_user(Role.AGENT)
    auto_queue.agents.add(first, second)

    assignees = [make_ticket(queue=auto_queue).assignee for _ in range(4)]

    assert assignees == [first, second, first, second]
    assert (
        TicketEvent.objects.filter(kind=EventKind.ASSIGNED, data__reason="round robin").count() == 4
    )


def test_it_skips_agents_at_capacity_or_unavailable(auto_queue, make_user, make_ticket) -> None:
    full, away, free = make_user(Role.AGENT), make_user(Role.AGENT), make_user(Role.AGENT)
    auto_queue.agents.add(full, away, free)
    AgentProfile.objects.create(user=full, capacity=1)
    AgentProfile.objects.create(user=away, available=False)
    AgentProfile.objects.create(user=free, capacity=2)
    held = make_ticket(queue=auto_queue)
    # `full` now holds one open ticket, its whole capacity.
    Ticket.objects.filter(pk=held.pk).update(assignee=full)

    assignees = [make_ticket(queue=auto_queue).assignee for _ in range(2)]

    assert assignees == [free, free]
    # Everybody is full or away: the ticket stays unassigned rather than overloading.
    assert make_ticket(queue=auto_queue).assignee is None


def test_it_does_not_count_resolved_tickets_against_capacity(
    auto_queue, make_user, make_ticket
) -> None:
    only = make_user(Role.AGENT)
    auto_queue.agents.add(only)
    AgentProfile.objects.create(user=only, capacity=1)
    first = make_ticket(queue=auto_queue)
    assert first.assignee == only
    Ticket.objects.filter(pk=first.pk).update(status=Status.RESOLVED)

    assert make_ticket(queue=auto_queue).assignee == only


def test_it_leaves_tickets_unassigned_when_the_queue_does_not_auto_assign(
    queue, agent, make_ticket
) -> None:
    assert make_ticket(queue=queue).assignee is None


# customer_get_or_create -------------------------------------------------------------


def test_it_creates_a_portal_only_customer_for_a_new_address() -> None:
    customer = customer_get_or_create(email="  New.Person@Example.COM ", name="New Person")
    assert customer.user.email == "new.person@example.com"
    assert customer.user.role == Role.CUSTOMER
    assert not customer.user.has_usable_password()
    assert (customer.user.first_name, customer.user.last_name) == ("New", "Person")


def test_it_returns_the_existing_customer_whatever_the_case(customer) -> None:
    again = customer_get_or_create(email=customer.user.email.upper())
    assert again == customer
    assert Customer.objects.count() == 1


def test_it_finds_a_returning_customer_with_its_user_and_organisation_in_one_query(
    make_customer, django_assert_num_queries
) -> None:
    customer = make_customer(organisation=Organisation.objects.create(name="Acme"))

    with django_assert_num_queries(1):
        again = customer_get_or_create(email=customer.user.email)
        assert (again, again.user, again.organisation) == (
            customer,
            customer.user,
            customer.organisation,
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_case_insensitive_address_lookup_can_use_an_index() -> None:
    """Every creation looks its address up; without the index, a scan of all users."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test's table is tiny

    plan = User.objects.filter(email__iexact="Anna@Example.com").explain()

    assert "accounts_user_email_upper" in plan


def test_it_gives_a_customer_account_without_a_customer_row_one(make_user) -> None:
    user = make_user(Role.CUSTOMER)

    customer = customer_get_or_create(email=user.email)

    assert customer.user == user
    assert Customer.objects.get(user=user) == customer


@pytest.mark.parametrize("role", [Role.AGENT, Role.MANAGER, Role.ADMIN])
def test_it_refuses_a_staff_address_as_a_customer(role, make_user) -> None:
    staff = make_user(role)
    with pytest.raises(TicketError) as excinfo:
        customer_get_or_create(email=staff.email.upper(), name="Not Me")
    assert excinfo.value.code == "staff_email"
    assert not Customer.objects.filter(user=staff).exists()


def test_it_refuses_an_invalid_address() -> None:
    with pytest.raises(TicketError):
        customer_get_or_create(email="not an address")


def test_it_creates_a_customer_whose_address_was_someone_elses_username() -> None:
    # A customer changed their address; their username is still the old one.
    moved = customer_get_or_create(email="old@example.com")
    moved.user.email = "new@example.com"
    moved.user.save(update_fields=["email"])

    newcomer = customer_get_or_create(email="old@example.com", name="New Comer")

    assert newcomer != moved
    assert newcomer.user.email == "old@example.com"
    assert customer_get_or_create(email="old@example.com") == newcomer
