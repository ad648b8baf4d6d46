"""Tickets and messages over /api/v1/: visibility per role, filters, writes, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from tickets.models import (
    Attachment,
    Channel,
    Customer,
    EventKind,
    Message,
    MessageKind,
    Priority,
    Queue,
    Status,
    Ticket,
)
from tickets.services import ticket_assign, ticket_change_status, ticket_note_add, ticket_reply

TICKETS = "/api/v1/tickets/"


def detail(ticket: Ticket) -> str:
    return f"{TICKETS}{ticket.pk}/"


def messages_url(ticket: Ticket) -> str:
    return f"{TICKETS}{ticket.pk}/messages/"


def post_json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def patch_json(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, data, content_type="application/json")


def ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert set(error) <= {"code", "message", "fields"}
    assert isinstance(error["message"], str)
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return dict(error)


# --- list: visibility -----------------------------------------------------------------------


@pytest.fixture
def desk(
    make_ticket: Callable[..., Ticket],
    customer: Customer,
    other_customer: Customer,
    other_queue: Queue,
) -> dict[str, Ticket]:
    """Customer A in queue X, customer B in queue X, customer B in queue Y."""
    return {
        "a_x": make_ticket(subject="A in X"),
        "b_x": make_ticket(requester=other_customer, subject="B in X"),
        "b_y": make_ticket(requester=other_customer, queue=other_queue, subject="B in Y"),
    }


def test_it_lists_only_the_customers_own_tickets(
    client_for: Callable[[User], Client],
    customer: Customer,
    other_customer: Customer,
    desk: dict[str, Ticket],
) -> None:
    response_a = client_for(customer.user).get(TICKETS)
    response_b = client_for(other_customer.user).get(TICKETS)

    assert response_a.status_code == 200
    assert ids(response_a) == {desk["a_x"].pk}
    assert response_b.status_code == 200
    assert ids(response_b) == {desk["b_x"].pk, desk["b_y"].pk}


def test_it_lists_only_tickets_in_the_agents_queues(
    client_for: Callable[[User], Client],
    agent: User,
    other_agent: User,
    desk: dict[str, Ticket],
) -> None:
    assert ids(client_for(agent).get(TICKETS)) == {desk["a_x"].pk, desk["b_x"].pk}
    assert ids(client_for(other_agent).get(TICKETS)) == {desk["b_y"].pk}


def test_it_lists_the_managed_teams_tickets_to_a_manager_and_all_to_an_admin(
    client_for: Callable[[User], Client],
    manager: User,
    admin_user: User,
    desk: dict[str, Ticket],
) -> None:
    assert ids(client_for(manager).get(TICKETS)) == {desk["a_x"].pk, desk["b_x"].pk}
    assert ids(client_for(admin_user).get(TICKETS)) == {t.pk for t in desk.values()}


def test_it_refuses_the_list_to_anonymous_callers(client: Client, desk: dict[str, Ticket]) -> None:
    assert_error(client.get(TICKETS), 401, "not_authenticated")


# --- list: filters --------------------------------------------------------------------------


def test_it_filters_the_list(
    client_for: Callable[[User], Client],
    admin_user: User,
    agent: User,
    other_queue: Queue,
    make_ticket: Callable[..., Ticket],
) -> None:
    printer = make_ticket(subject="Printer on fire", urgency=Priority.URGENT, tags=["hardware"])
    export = make_ticket(subject="Export stops at 40%", tags=["export"])
    billing = make_ticket(subject="Invoice twice", queue=other_queue)
    ticket_assign(ticket=export, actor=admin_user, assignee=agent)
    ticket_change_status(ticket=billing, actor=admin_user, status=Status.PENDING)
    client = client_for(admin_user)

    def found(query: str) -> set[int]:
        response = client.get(f"{TICKETS}?{query}")
        assert response.status_code == 200, response.content
        return ids(response)

    assert found("status=pending") == {billing.pk}
    assert found("priority=urgent") == {printer.pk}
    assert found("queue=billing") == {billing.pk}
    assert found("tag=hardware") == {printer.pk}
    assert found(f"assignee={agent.pk}") == {export.pk}
    assert found("unassigned=true") == {printer.pk, billing.pk}
    assert found("unassigned=false") == {export.pk}
    assert found("q=PRINTER") == {printer.pk}
    assert found("q=printer&status=new") == {printer.pk}
    assert found("q=printer&status=open") == set()


def test_it_answers_400_for_an_invalid_filter_value(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    error = assert_error(client_for(agent).get(f"{TICKETS}?status=bogus"), 400, "invalid")
    assert "status" in error["fields"]


# --- list: pagination and query count -------------------------------------------------------


def test_it_walks_every_ticket_with_a_cursor_without_repeats(
    client_for: Callable[[User], Client], agent: User, make_ticket: Callable[..., Ticket]
) -> None:
    made = {make_ticket(subject=f"Ticket {n}").pk for n in range(7)}
    client = client_for(agent)
    seen: list[int] = []
    url: str | None = f"{TICKETS}?page_size=2"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        assert len(body["results"]) <= 2
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        pages += 1

    assert pages == 4
    assert len(seen) == len(set(seen))
    assert set(seen) == made


def test_it_answers_404_for_a_forged_cursor(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    assert_error(client_for(agent).get(f"{TICKETS}?cursor=bm9wZQ"), 404, "not_found")


# session, user, count-free cursor page of tickets (with its joins), tags prefetch
LIST_QUERIES = 4


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_tickets_in_a_fixed_number_of_queries(
    count: int,
    client_for: Callable[[User], Client],
    agent: User,
    other_agent: User,
    make_ticket: Callable[..., Ticket],
    admin_user: User,
    django_assert_num_queries: Any,
) -> None:
    for n in range(count):
        made = make_ticket(subject=f"Ticket {n}", tags=["a", f"t{n % 3}"])
        if n % 2:
            ticket_assign(ticket=made, actor=admin_user, assignee=agent)
    client = client_for(agent)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(f"{TICKETS}?page_size=50")

    assert response.status_code == 200
    assert len(response.json()["results"]) == count


# --- create ---------------------------------------------------------------------------------


def test_it_files_a_customers_ticket_for_themselves(
    client_for: Callable[[User], Client], customer: Customer, queue: Queue
) -> None:
    response = post_json(
        client_for(customer.user),
        TICKETS,
        {"subject": "Cannot log in", "body": "Since this morning.", "urgency": "high"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "api"
    assert body["requester"]["email"] == customer.user.email
    assert "tags" not in body  # staff labels are not shown to customers
    ticket = Ticket.objects.get(pk=body["id"])
    assert ticket.requester == customer
    assert ticket.channel == Channel.API
    assert ticket.queue == queue
    assert ticket.urgency == Priority.HIGH
    first = ticket.messages.get()
    assert (first.kind, first.body, first.author) == (
        MessageKind.CUSTOMER,
        "Since this morning.",
        customer.user,
    )
    assert ticket.events.filter(kind=EventKind.CREATED, actor=customer.user).exists()


def test_it_refuses_a_customer_filing_for_someone_else(
    client_for: Callable[[User], Client], customer: Customer, queue: Queue
) -> None:
    response = post_json(
        client_for(customer.user),
        TICKETS,
        {"subject": "Hi", "body": "x", "requester_email": "victim@example.com"},
    )

    assert_error(response, 403, "permission_denied")
    assert not Ticket.objects.exists()
    assert not Customer.objects.filter(user__email="victim@example.com").exists()


def test_it_requires_a_requester_email_from_staff(
    client_for: Callable[[User], Client], agent: User, queue: Queue
) -> None:
    response = post_json(client_for(agent), TICKETS, {"subject": "Phone call", "body": "x"})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Invalid input.",
            "fields": {"requester_email": ["Required for staff."]},
        }
    }
    assert not Ticket.objects.exists()


def test_it_lets_staff_file_for_a_customer_in_their_queue_with_tags(
    client_for: Callable[[User], Client], agent: User, queue: Queue
) -> None:
    response = post_json(
        client_for(agent),
        TICKETS,
        {
            "subject": "Phone call",
            "body": "Called about the export.",
            "requester_email": "New.Person@Example.com",
            "requester_name": "New Person",
            "queue": "general",
            "tags": ["phone"],
        },
    )

    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.requester.user.email == "new.person@example.com"
    assert list(ticket.tags.values_list("name", flat=True)) == ["phone"]
    assert ticket.events.get(kind=EventKind.CREATED).actor == agent


def test_it_refuses_staff_a_queue_they_do_not_work(
    client_for: Callable[[User], Client], agent: User, other_queue: Queue
) -> None:
    response = post_json(
        client_for(agent),
        TICKETS,
        {"subject": "x", "body": "y", "requester_email": "c@example.com", "queue": "billing"},
    )

    assert assert_error(response, 400)["fields"] == {"queue": ["No such queue."]}
    assert not Ticket.objects.exists()
    assert not User.objects.filter(email="c@example.com").exists()


def test_it_asks_staff_for_a_queue_when_the_default_is_not_theirs(
    client_for: Callable[[User], Client], other_agent: User, queue: Queue, other_queue: Queue
) -> None:
    """Filed into the default queue ("general"), the ticket would vanish from its author."""
    client = client_for(other_agent)
    data = {"subject": "Phone call", "body": "x", "requester_email": "c@example.com"}

    refused = post_json(client, TICKETS, data)
    filed = post_json(client, TICKETS, {**data, "queue": "billing"})

    assert assert_error(refused, 400)["fields"] == {
        "queue": ["Required: the default queue is not one you work."]
    }
    assert filed.status_code == 201
    assert Ticket.objects.get().queue == other_queue


def test_it_leaves_no_customer_behind_when_the_ticket_is_refused(
    client_for: Callable[[User], Client], agent: User, queue: Queue
) -> None:
    """A subject of only a bidi override passes the serializer; the service cleans it away."""
    response = post_json(
        client_for(agent),
        TICKETS,
        {"subject": "\u202e", "body": "x", "requester_email": "new@example.com"},
    )

    assert_error(response, 400)
    assert not User.objects.filter(email="new@example.com").exists()
    assert not Customer.objects.filter(user__email="new@example.com").exists()


def test_it_stores_a_script_in_the_subject_as_text(
    client_for: Callable[[User], Client], customer: Customer, queue: Queue
) -> None:
    subject = '<script>alert("x")</script> & <b>bold</b>'
    response = post_json(client_for(customer.user), TICKETS, {"subject": subject, "body": "b"})

    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["subject"] == subject
    assert Ticket.objects.get(pk=response.json()["id"]).subject == subject


def test_it_answers_400_when_the_subject_is_only_whitespace(
    client_for: Callable[[User], Client], customer: Customer, queue: Queue
) -> None:
    response = post_json(client_for(customer.user), TICKETS, {"subject": " \t ", "body": "b"})

    assert_error(response, 400)
    assert not Ticket.objects.exists()


# --- detail ---------------------------------------------------------------------------------


def test_it_shows_a_ticket_to_its_requester(
    client_for: Callable[[User], Client], customer: Customer, ticket: Ticket
) -> None:
    response = client_for(customer.user).get(detail(ticket))

    assert response.status_code == 200
    assert response.json()["id"] == ticket.pk
    assert response.json()["subject"] == ticket.subject


def test_it_hides_another_customers_ticket(
    client_for: Callable[[User], Client], other_customer: Customer, ticket: Ticket
) -> None:
    client = client_for(other_customer.user)

    assert_error(client.get(detail(ticket)), 404, "not_found")
    assert_error(client.get(messages_url(ticket)), 404, "not_found")
    assert_error(post_json(client, messages_url(ticket), {"kind": "customer", "body": "hi"}), 404)
    assert ticket.messages.count() == 1


def test_it_answers_json_404_for_a_malformed_ticket_url(
    client_for: Callable[[User], Client], agent: User
) -> None:
    assert_error(client_for(agent).get(f"{TICKETS}abc/"), 404, "not_found")


# --- update ---------------------------------------------------------------------------------


def test_it_lets_staff_change_status_priority_assignee_and_tags(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    response = patch_json(
        client_for(agent),
        detail(ticket),
        {
            "status": "pending",
            "priority": "urgent",
            "assignee": agent.pk,
            "tags": ["vip", "export"],
            "version": ticket.version,
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["priority"]) == ("pending", "urgent")
    assert body["assignee"] == {"id": agent.pk, "name": agent.display_name}
    assert body["tags"] == ["export", "vip"]
    ticket.refresh_from_db()
    assert ticket.status == Status.PENDING
    assert ticket.priority == Priority.URGENT
    assert ticket.assignee == agent
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["export", "vip"]
    assert body["version"] == ticket.version
    kinds = set(ticket.events.values_list("kind", flat=True))
    assert {
        EventKind.STATUS_CHANGED,
        EventKind.PRIORITY_CHANGED,
        EventKind.ASSIGNED,
        EventKind.TAGS_CHANGED,
    } <= kinds


def test_it_unassigns_with_null(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    ticket = ticket_assign(ticket=ticket, actor=agent, assignee=agent)

    response = patch_json(client_for(agent), detail(ticket), {"assignee": None})

    assert response.status_code == 200
    assert response.json()["assignee"] is None
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_it_refuses_an_unknown_assignee(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    response = patch_json(client_for(agent), detail(ticket), {"assignee": 999_999})

    assert assert_error(response, 400)["fields"] == {"assignee": ["No such user."]}
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_it_refuses_a_customer_patch(
    client_for: Callable[[User], Client], customer: Customer, ticket: Ticket
) -> None:
    response = patch_json(client_for(customer.user), detail(ticket), {"status": "closed"})

    assert_error(response, 403, "permission_denied")
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_it_answers_409_for_a_stale_version(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    read = ticket.version
    ticket_note_add(ticket=ticket, author=agent, body="Someone else worked on it.")
    ticket_change_status(ticket=ticket, actor=agent, status=Status.OPEN)

    response = patch_json(
        client_for(agent), detail(ticket), {"status": "pending", "priority": "low", "version": read}
    )

    assert_error(response, 409, "stale")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority) == (Status.OPEN, Priority.NORMAL)


@pytest.mark.parametrize("change", [{"tags": ["late"]}, {"assignee": None}, {"priority": "normal"}])
def test_it_answers_409_for_a_stale_version_whatever_the_fields(
    change: dict[str, Any], client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    read = ticket.version
    ticket_change_status(ticket=ticket, actor=agent, status=Status.OPEN)

    response = patch_json(client_for(agent), detail(ticket), {**change, "version": read})

    assert_error(response, 409, "stale")
    ticket.refresh_from_db()
    assert ticket.version == read + 1
    assert not ticket.tags.exists()


def test_it_answers_400_with_a_message_for_an_invalid_transition(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)

    response = patch_json(client_for(agent), detail(ticket), {"status": "pending"})

    error = assert_error(response, 400, "invalid")
    assert error["message"] == "A resolved ticket cannot be set to pending on customer."
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_it_changes_nothing_when_a_later_field_is_refused(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    """One PATCH is one change: a refused assignee must not leave the status applied."""
    response = patch_json(
        client_for(agent), detail(ticket), {"status": "pending", "assignee": 999_999}
    )

    assert_error(response, 400)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert not ticket.events.filter(kind=EventKind.STATUS_CHANGED).exists()


def test_it_refuses_staff_outside_the_queue(
    client_for: Callable[[User], Client], other_agent: User, ticket: Ticket
) -> None:
    assert_error(patch_json(client_for(other_agent), detail(ticket), {"status": "open"}), 404)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


# --- merge ----------------------------------------------------------------------------------


def test_it_merges_two_tickets_of_the_same_requester(
    client_for: Callable[[User], Client], agent: User, make_ticket: Callable[..., Ticket]
) -> None:
    source = make_ticket(subject="Export again", body="Still stuck.")
    target = make_ticket(subject="Export stops")

    response = post_json(client_for(agent), f"{detail(source)}merge/", {"into": target.pk})

    assert response.status_code == 200, response.content
    assert response.json()["id"] == target.pk
    source.refresh_from_db()
    assert source.merged_into == target
    assert source.status == Status.CLOSED
    assert target.messages.filter(body="Still stuck.").exists()
    assert not source.messages.exists()


def test_it_refuses_to_merge_tickets_of_different_requesters(
    client_for: Callable[[User], Client],
    agent: User,
    other_customer: Customer,
    make_ticket: Callable[..., Ticket],
) -> None:
    source = make_ticket()
    target = make_ticket(requester=other_customer)

    response = post_json(client_for(agent), f"{detail(source)}merge/", {"into": target.pk})

    error = assert_error(response, 400)
    assert error["message"] == "Only tickets from the same customer can be merged."
    source.refresh_from_db()
    assert source.merged_into is None
    assert source.messages.count() == 1


def test_it_refuses_a_customer_merge(
    client_for: Callable[[User], Client], customer: Customer, make_ticket: Callable[..., Ticket]
) -> None:
    source, target = make_ticket(), make_ticket()

    response = post_json(client_for(customer.user), f"{detail(source)}merge/", {"into": target.pk})

    assert_error(response, 403)
    source.refresh_from_db()
    assert source.merged_into is None


# --- messages -------------------------------------------------------------------------------


def test_it_hides_internal_notes_from_the_customer(
    client_for: Callable[[User], Client], customer: Customer, agent: User, ticket: Ticket
) -> None:
    ticket_reply(ticket=ticket, author=agent, body="We are on it.")
    ticket_note_add(ticket=ticket, author=agent, body="Secret: check the worker.")

    as_customer = client_for(customer.user).get(messages_url(ticket))
    as_agent = client_for(agent).get(messages_url(ticket))

    assert as_customer.status_code == 200
    assert [m["kind"] for m in as_customer.json()] == ["customer", "reply"]
    assert "Secret" not in as_customer.content.decode()
    assert [m["kind"] for m in as_agent.json()] == ["customer", "reply", "note"]


# session, user, the ticket (access check), its messages with authors, their attachments
MESSAGE_LIST_QUERIES = 5


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_messages_in_a_fixed_number_of_queries(
    count: int,
    client_for: Callable[[User], Client],
    agent: User,
    ticket: Ticket,
    django_assert_num_queries: Any,
) -> None:
    for n in range(count):
        upload = SimpleUploadedFile(f"log{n}.txt", b"x", content_type="text/plain")
        client_for(agent).post(
            messages_url(ticket), {"kind": "note", "body": f"Note {n}", "attachments": [upload]}
        )
    client = client_for(agent)

    with django_assert_num_queries(MESSAGE_LIST_QUERIES):
        response = client.get(messages_url(ticket))

    assert response.status_code == 200
    assert len(response.json()) == count + 1
    assert all(len(m["attachments"]) == 1 for m in response.json()[1:])


@pytest.mark.parametrize("kind", [MessageKind.REPLY, MessageKind.NOTE])
def test_it_lets_staff_reply_or_note(
    kind: str, client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    response = post_json(
        client_for(agent), messages_url(ticket), {"kind": kind, "body": "Thanks, looking now."}
    )

    assert response.status_code == 201, response.content
    assert response.json()["kind"] == kind
    assert response.json()["author"]["id"] == agent.pk
    message = ticket.messages.get(pk=response.json()["id"])
    assert (message.kind, message.author, message.body) == (kind, agent, "Thanks, looking now.")


def test_it_refuses_staff_a_customer_message(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    response = post_json(client_for(agent), messages_url(ticket), {"kind": "customer", "body": "x"})

    assert assert_error(response, 400)["fields"] == {"kind": ["Staff write replies or notes."]}
    assert ticket.messages.count() == 1


@pytest.mark.parametrize("kind", [MessageKind.REPLY, MessageKind.NOTE])
def test_it_lets_a_customer_post_only_their_own_replies(
    kind: str, client_for: Callable[[User], Client], customer: Customer, ticket: Ticket
) -> None:
    client = client_for(customer.user)

    refused = post_json(client, messages_url(ticket), {"kind": kind, "body": "I am staff now"})
    allowed = post_json(client, messages_url(ticket), {"kind": "customer", "body": "More info"})

    assert_error(refused, 403, "permission_denied")
    assert allowed.status_code == 201
    assert list(ticket.messages.values_list("kind", flat=True).order_by("pk")) == [
        MessageKind.CUSTOMER,
        MessageKind.CUSTOMER,
    ]


def test_it_uploads_attachments_with_multipart(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    upload = SimpleUploadedFile("worker.log", b"line 1\nline 2\n", content_type="text/plain")

    response = client_for(agent).post(
        messages_url(ticket), {"kind": "note", "body": "Log attached.", "attachments": [upload]}
    )

    assert response.status_code == 201, response.content
    [attached] = response.json()["attachments"]
    assert (attached["filename"], attached["size"]) == ("worker.log", 14)
    stored = Attachment.objects.get(pk=attached["id"])
    assert stored.message.ticket == ticket
    assert stored.file.read() == b"line 1\nline 2\n"


def test_it_refuses_an_oversize_attachment(
    client_for: Callable[[User], Client],
    agent: User,
    ticket: Ticket,
    settings: Any,
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("dump.bin", b"x" * 2048)

    response = client_for(agent).post(
        messages_url(ticket), {"kind": "reply", "body": "See dump.", "attachments": [upload]}
    )

    error = assert_error(response, 400)
    assert "dump.bin" in error["message"]
    assert "limit" in error["message"]
    assert not Message.objects.filter(body="See dump.").exists()
    assert not Attachment.objects.exists()


def test_it_answers_400_for_an_empty_reply(
    client_for: Callable[[User], Client], agent: User, ticket: Ticket
) -> None:
    response = post_json(client_for(agent), messages_url(ticket), {"kind": "reply", "body": "  "})

    assert_error(response, 400)
    assert ticket.messages.count() == 1


# --- queues ---------------------------------------------------------------------------------


def test_it_lists_the_queues_a_user_works(
    client_for: Callable[[User], Client],
    agent: User,
    customer: Customer,
    queue: Queue,
    other_queue: Queue,
) -> None:
    as_agent = client_for(agent).get("/api/v1/queues/")
    as_customer = client_for(customer.user).get("/api/v1/queues/")

    assert as_agent.status_code == 200
    assert [q["slug"] for q in as_agent.json()] == ["general"]
    assert as_customer.json() == []
