"""The agent workspace: queue, ticket detail and actions, through the client."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tickets.models import Channel, EventKind, Message, MessageKind, Status, Ticket, TicketEvent
from tickets.selectors import PAGE_SIZE
from tickets.services import ticket_customer_reply, ticket_reply, ticket_set_priority

pytestmark = pytest.mark.django_db

QUEUE = reverse("workspace:queue")


def detail(ticket: Ticket) -> str:
    return reverse("workspace:detail", args=[ticket.pk])


def action(name: str, ticket: Ticket) -> str:
    return reverse(f"workspace:{name}", args=[ticket.pk])


def templates(response) -> list[str]:
    return [t.name for t in response.templates]


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def bulk_tickets(n: int, *, requester, queue, scores=None, **fields) -> list[Ticket]:
    """Rows only (no messages, events or scoring): fast fixtures for list pages."""
    now = timezone.now()
    rows = [
        Ticket(
            subject=f"Bulk ticket {i}",
            channel=Channel.WEB,
            requester=requester,
            queue=queue,
            created_at=now - timedelta(minutes=i % 7),
            updated_at=now,
            priority_score=scores[i] if scores else 10,
            priority_reasons=[{"code": "urgency", "label": "Normal", "points": 10, "detail": ""}],
            **fields,
        )
        for i in range(n)
    ]
    return Ticket.objects.bulk_create(rows)


# Access -----------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_login(client, ticket) -> None:
    for url in (QUEUE, detail(ticket)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_refuses_the_workspace_to_customers(client_customer, ticket) -> None:
    assert client_customer.get(QUEUE).status_code == 403
    assert client_customer.get(detail(ticket)).status_code == 403
    response = client_customer.post(action("status", ticket), {"status": "closed", "version": 1})
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


POSTS = [
    ("reply", {"kind": "reply", "body": "Hello", "version": 1}),
    ("reply", {"kind": "note", "body": "Note", "version": 1}),
    ("status", {"status": "resolved", "version": 1}),
    ("priority", {"priority": "urgent", "version": 1}),
    ("take", {}),
    ("assign", {"assignee": "", "version": 1}),
    ("tags", {"tags": "billing", "version": 1}),
    ("merge", {"into": 1}),
]


def test_it_hides_tickets_of_other_queues_from_an_agent(client_for, other_agent, ticket) -> None:
    client = client_for(other_agent)
    assert client.get(detail(ticket)).status_code == 404
    for name, data in POSTS:
        assert client.post(action(name, ticket), data).status_code == 404, name
    ticket.refresh_from_db()
    assert (ticket.version, ticket.status, ticket.priority, ticket.assignee) == (
        1,
        Status.NEW,
        "normal",
        None,
    )
    assert ticket.messages.count() == 1
    assert not ticket.tags.exists()


def test_it_only_accepts_post_for_actions(client_agent, ticket) -> None:
    for name, _ in POSTS:
        assert client_agent.get(action(name, ticket)).status_code == 405


# Queue ------------------------------------------------------------------------------


def test_it_shows_only_own_queue_tickets_in_priority_order(
    client_agent, make_ticket, other_queue, make_customer
) -> None:
    vip = make_customer(tier="vip")
    calm = make_ticket(subject="How do I export?", urgency="low")
    burning = make_ticket(requester=vip, subject="Outage: everything offline", urgency="urgent")
    middle = make_ticket(subject="Invoice question")
    hidden = make_ticket(queue=other_queue, subject="Billing elsewhere")

    response = client_agent.get(QUEUE, {"view": "all"})

    assert response.status_code == 200
    assert "tickets/workspace/queue.html" in templates(response)
    assert response.context["tickets"] == [burning, middle, calm]
    content = response.content.decode()
    assert hidden.subject not in content
    assert content.index("Outage: everything offline") < content.index("How do I export?")


def test_it_shows_the_agents_own_tickets_by_default(client_agent, agent, make_ticket) -> None:
    mine = make_ticket(subject="Mine")
    make_ticket(subject="Nobody's")
    client_agent.post(action("take", mine))

    response = client_agent.get(QUEUE)

    assert response.context["view"] == "mine"
    assert response.context["tickets"] == [mine]


def test_the_unassigned_team_and_breaching_views_each_list_their_tickets(
    client_agent, agent, customer, queue, other_queue, make_user
) -> None:
    # The agent also works the billing queue, but is not a member of its team.
    other_queue.agents.add(agent)
    colleague = make_user(first_name="Sam")
    now = timezone.now()
    [mine] = bulk_tickets(1, requester=customer, queue=queue, assignee=agent)
    [theirs] = bulk_tickets(1, requester=customer, queue=queue, assignee=colleague)
    [nobodys] = bulk_tickets(1, requester=customer, queue=queue)
    [billing] = bulk_tickets(1, requester=customer, queue=other_queue)
    Ticket.objects.filter(pk=theirs.pk).update(first_response_due=now + timedelta(minutes=90))
    Ticket.objects.filter(pk=billing.pk).update(resolution_due=now - timedelta(minutes=5))
    # Answered in time: a passed first-response deadline no longer counts.
    Ticket.objects.filter(pk=mine.pk).update(
        first_response_due=now - timedelta(hours=1), first_responded_at=now - timedelta(hours=2)
    )
    Ticket.objects.filter(pk=nobodys.pk).update(resolution_due=now + timedelta(hours=3))

    def listed(view: str) -> set[int]:
        response = client_agent.get(QUEUE, {"view": view})
        assert response.status_code == 200
        return {t.pk for t in response.context["tickets"]}

    assert listed("mine") == {mine.pk}
    assert listed("unassigned") == {nobodys.pk, billing.pk}
    assert listed("team") == {mine.pk, theirs.pk, nobodys.pk}
    assert listed("breaching") == {theirs.pk, billing.pk}
    assert listed("all") == {mine.pk, theirs.pk, nobodys.pk, billing.pk}


def test_it_leaves_done_and_merged_tickets_out_of_the_queue(
    client_agent, make_ticket, agent
) -> None:
    open_one = make_ticket()
    done = make_ticket()
    Ticket.objects.filter(pk=done.pk).update(status=Status.RESOLVED)
    merged = make_ticket()
    Ticket.objects.filter(pk=merged.pk).update(merged_into=open_one)

    response = client_agent.get(QUEUE, {"view": "all"})

    assert response.context["tickets"] == [open_one]


def test_it_renders_only_the_rows_for_htmx(client_agent, make_ticket) -> None:
    ticket = make_ticket(subject="Row for htmx")

    response = client_agent.get(QUEUE, {"view": "all"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Row for htmx" in content
    assert "<table" not in content
    assert "<html" not in content
    assert f'href="{detail(ticket)}"' in content


def test_it_pages_by_keyset_without_repeats_or_gaps(client_agent, customer, queue) -> None:
    total = PAGE_SIZE + 7
    # Few distinct scores and created_at values: ties must be broken by id.
    created = bulk_tickets(
        total, requester=customer, queue=queue, scores=[i % 3 for i in range(total)]
    )

    first = client_agent.get(QUEUE, {"view": "all"})
    page_one = first.context["tickets"]
    assert len(page_one) == PAGE_SIZE
    more = re.search(r'<tr class="more">.*?href="([^"]+)"', first.content.decode(), re.S)
    assert more is not None
    next_url = QUEUE + html.unescape(more.group(1))
    second = client_agent.get(next_url)
    rows = client_agent.get(next_url, headers={"HX-Request": "true"}).content.decode()

    page_two = second.context["tickets"]
    assert second.status_code == 200
    assert second.context["next_cursor"] is None
    # The htmx "Load more" gets exactly the same rows, as a fragment.
    assert [int(pk) for pk in re.findall(r'href="/tickets/(\d+)/"', rows)] == [
        t.pk for t in page_two
    ]
    seen = [t.pk for t in page_one] + [t.pk for t in page_two]
    assert len(seen) == len(set(seen)) == total
    assert set(seen) == {t.pk for t in created}
    ordered = list(Ticket.objects.filter(pk__in=seen).in_queue_order().values_list("pk", flat=True))
    assert seen == ordered


def test_it_ignores_a_garbled_cursor(client_agent, make_ticket) -> None:
    make_ticket()
    response = client_agent.get(QUEUE, {"view": "all", "after": "not~a~cursor"})
    assert response.status_code == 200
    assert len(response.context["tickets"]) == 1


def test_it_issues_a_fixed_number_of_queries_for_the_queue(
    client_agent, customer, make_customer, queue, agent, django_assert_num_queries
) -> None:
    from tickets.models import Organisation

    org = Organisation.objects.create(name="Lumen & Rye", tier="premium")
    other = make_customer(organisation=org)
    bulk_tickets(3, requester=customer, queue=queue, assignee=agent)
    bulk_tickets(2, requester=other, queue=queue)
    client_agent.get(QUEUE, {"view": "all"})  # warm the session and caches

    with django_assert_num_queries(QUEUE_QUERIES):
        assert len(client_agent.get(QUEUE, {"view": "all"}).context["tickets"]) == 5

    bulk_tickets(20, requester=customer, queue=queue, assignee=agent)
    bulk_tickets(15, requester=other, queue=queue)
    with django_assert_num_queries(QUEUE_QUERIES):
        assert len(client_agent.get(QUEUE, {"view": "all"}).context["tickets"]) == 40


# Session, user, the queues and the agents offered as filters, then one query for the
# page of tickets with every joined row it shows.
QUEUE_QUERIES = 5


def test_it_badges_each_rows_next_sla_target_with_its_countdown(
    client_agent, customer, queue
) -> None:
    now = timezone.now()
    late, soon, calm, paused, none = bulk_tickets(5, requester=customer, queue=queue)
    Ticket.objects.filter(pk=late.pk).update(
        first_response_due=now - timedelta(minutes=95), resolution_due=now + timedelta(days=1)
    )
    # The earliest unmet target counts: next response is due before resolution.
    Ticket.objects.filter(pk=soon.pk).update(
        first_responded_at=now - timedelta(hours=1),
        first_response_due=now - timedelta(hours=2),  # met, so never badged
        next_response_due=now + timedelta(minutes=50),
        resolution_due=now + timedelta(hours=8),
    )
    Ticket.objects.filter(pk=calm.pk).update(resolution_due=now + timedelta(days=3, hours=1))
    Ticket.objects.filter(pk=paused.pk).update(
        status=Status.PENDING,
        resolution_due=now - timedelta(hours=1),
        sla_pauses=[[(now - timedelta(hours=2)).isoformat(), None]],
    )

    content = client_agent.get(QUEUE, {"view": "all"}).content.decode()

    def badge(ticket: Ticket) -> str:
        row = content[content.index(f'data-ticket-url="{detail(ticket)}"') :]
        row = row[: row.index("</tr>")]
        cell = re.findall(r"<td>(.*?)</td>", row, re.S)[-1]
        return re.sub(r' (datetime|title)="[^"]*"', "", cell).strip()

    assert badge(late) == '<time class="badge sla-breached">First response overdue 1 h</time>'
    assert badge(soon) == '<time class="badge sla-soon">Next response in 49 min</time>'
    assert badge(calm) == '<time class="badge sla-ok">Resolution in 3 d</time>'
    # Pending on the customer: the clock stops and the deadline moves on resume.
    assert badge(paused) == '<time class="badge sla-paused">Resolution: paused</time>'
    assert badge(none) == "—"


def test_the_ticket_page_shows_the_next_sla_target(client_agent, ticket) -> None:
    ticket.refresh_from_db()
    assert ticket.first_response_due is not None  # set by the intake

    content = client_agent.get(detail(ticket)).content.decode()

    due = ticket.first_response_due.isoformat()
    assert re.search(
        rf'Next SLA: <time class="badge sla-(ok|soon)" datetime="{re.escape(due)}"'
        r"[^>]*>First response in \d+ (min|h|d)</time>",
        content,
    )


# Ticket detail ----------------------------------------------------------------------


def test_it_shows_the_ticket_with_notes_for_staff(client_agent, ticket, agent) -> None:
    client_agent.post(
        action("reply", ticket), {"kind": "note", "body": "Secret note", "version": 1}
    )

    response = client_agent.get(detail(ticket))

    assert response.status_code == 200
    assert "tickets/workspace/detail.html" in templates(response)
    assert response.context["ticket"] == ticket
    content = response.content.decode()
    assert "Secret note" in content
    assert ticket.subject in content


def test_it_lists_only_the_requesters_other_tickets_the_agent_may_open(
    client_agent, make_ticket, other_queue
) -> None:
    ticket = make_ticket()
    sibling = make_ticket(subject="Export again")
    make_ticket(queue=other_queue, subject="Refund for the March invoice")

    response = client_agent.get(detail(ticket))

    assert list(response.context["other_tickets"]) == [sibling]
    assert "Refund for the March invoice" not in response.content.decode()


def test_it_lists_the_five_newest_other_requests(client_agent, make_ticket) -> None:
    now = timezone.now()
    ticket = make_ticket(subject="Top", urgency="urgent")
    older = [
        make_ticket(subject=f"Earlier {n}", urgency="low", created_at=now - timedelta(days=n))
        for n in range(1, 7)
    ]

    response = client_agent.get(detail(ticket))

    assert list(response.context["other_tickets"]) == older[:5]
    # The same customer's ticket is also the next one to work on.
    assert response.context["next_ticket"] in older


def test_it_shows_no_next_ticket_after_the_last_one_in_the_queue(client_agent, make_ticket) -> None:
    make_ticket(subject="Top", urgency="urgent")
    last = make_ticket(subject="Last", urgency="low")

    response = client_agent.get(detail(last))

    assert response.context["next_ticket"] is None
    assert [t.subject for t in response.context["other_tickets"]] == ["Top"]


def test_after_resolving_the_next_ticket_is_the_top_of_the_queue(
    client_agent, make_ticket, agent
) -> None:
    top = make_ticket(subject="Top", urgency="urgent")
    make_ticket(subject="Middle")
    done = make_ticket(subject="Done", urgency="low")

    response = client_agent.post(
        action("status", done), {"status": Status.RESOLVED, "version": done.version}
    )
    assert response.status_code == 302

    response = client_agent.get(detail(done))
    assert response.context["ticket"].status == Status.RESOLVED
    assert response.context["next_ticket"] == top


def test_it_shows_each_message_with_its_author_kind_time_channel_and_files(
    client_agent, ticket, agent, settings
) -> None:
    from tickets.services import AttachmentInput

    settings.TIME_ZONE = "Europe/Paris"
    ticket_reply(
        ticket=ticket,
        author=agent,
        body="Line one\nLine <two>",
        attachments=[AttachmentInput("export.log", "text/plain", b"x" * 2048)],
    )
    reply = ticket.messages.get(kind=MessageKind.REPLY)
    Message.objects.filter(pk=reply.pk).update(created_at=datetime(2026, 3, 4, 8, 5, tzinfo=UTC))
    first = ticket.messages.get(kind=MessageKind.CUSTOMER)
    Message.objects.filter(pk=first.pk).update(author=None)  # e.g. the user was deleted

    content = client_agent.get(detail(ticket)).content.decode()

    reply_html = content[content.index(f'id="message-{reply.pk}"') :]
    reply_html = reply_html[: reply_html.index("</article>")]
    assert f"<strong>{agent.display_name}</strong>" in reply_html
    # The agent's own time zone: 08:05 UTC is 09:05 in Paris in March.
    assert (
        'Public reply · <time datetime="2026-03-04T09:05:00+01:00">Mar 4, 09:05</time> · Web form'
    ) in reply_html
    assert "Line one<br>Line &lt;two&gt;" in reply_html
    attachment = reply.attachments.get()
    assert f'href="{reverse("files:attachment", args=[attachment.pk])}" download' in reply_html
    assert 'export.log</a> <span class="muted">(2.0\xa0KB)</span>' in reply_html
    first_html = content[content.index(f'id="message-{first.pk}"') :]
    assert first_html.index("<strong>Unknown</strong>") < first_html.index("</article>")
    assert "Customer message · " in first_html


def test_it_shows_the_timeline_newest_first_with_actors_and_targets(
    client_agent, ticket, agent, settings
) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    ticket.events.update(
        created_at=datetime(2026, 3, 4, 8, 5, tzinfo=UTC), data={"channel": "web", "to": "x"}
    )
    TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.STATUS_CHANGED,
        actor=agent,
        data={"from": "new", "to": "pending"},
        created_at=datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
    )
    TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.SLA_WARNING,
        data={"target": "first response"},
        created_at=datetime(2026, 3, 4, 10, 0, tzinfo=UTC),
    )

    content = client_agent.get(detail(ticket)).content.decode()

    timeline = content[content.index('<ol class="timeline">') :]
    items = re.findall(r"<li>(.*?)</li>", timeline[: timeline.index("</ol>")])
    assert items == [
        '<time datetime="2026-03-04T11:00:00+01:00">Mar 4 11:00</time> SLA warning'
        " (first response)",
        '<time datetime="2026-03-04T10:00:00+01:00">Mar 4 10:00</time> Status changed'
        f" · {agent.display_name} → pending",
        # A ticket's creation names no "to", even when its data holds one.
        '<time datetime="2026-03-04T09:05:00+01:00">Mar 4 09:05</time> Created'
        f" · {ticket.requester.user.display_name}",
    ]


def test_it_issues_a_fixed_number_of_queries_for_the_detail(
    client_agent, make_ticket, customer, agent, django_assert_num_queries
) -> None:
    from tickets.services import AttachmentInput

    def grow(ticket: Ticket, replies: int) -> None:
        for n in range(replies):
            ticket_reply(
                ticket=ticket,
                author=agent,
                body=f"Reply {n}",
                attachments=[AttachmentInput(f"log{n}.txt", "text/plain", b"log")],
            )
            ticket_customer_reply(
                ticket=ticket, customer=customer, body=f"Answer {n}", channel="web"
            )

    small, large = make_ticket(), make_ticket()
    grow(small, 1)  # 1 + 2 = 3 messages
    grow(large, 25)  # 1 + 50 = 51 messages
    client_agent.get(detail(small))

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client_agent.get(detail(small))
    assert len(response.context["conversation"]) == 3
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client_agent.get(detail(large))
    assert len(response.context["conversation"]) == 51


# Session, user, ticket (with requester, organisation, assignee, queue), messages with
# authors, their attachments, the next ticket and the requester's other tickets (one
# UNION ALL), macros, colleagues to assign to, tags, events with actors. The requester's
# past CSAT comes with the ticket's own row.
DETAIL_QUERIES = 10


def test_it_shows_the_customers_past_csat_from_any_queue_without_naming_hidden_tickets(
    client_agent, make_ticket, other_queue
) -> None:
    from surveys.models import Survey

    ticket = make_ticket(subject="Current")
    hidden = make_ticket(queue=other_queue, subject="Refund for the March invoice")
    mine = make_ticket(subject="Earlier export")
    now = timezone.now()

    def answered(t: Ticket, rating: int | None, days_ago: int) -> None:
        event = TicketEvent.objects.create(
            ticket=t, kind=EventKind.STATUS_CHANGED, data={}, created_at=now
        )
        Survey.objects.create(
            ticket=t,
            resolution_event=event,
            customer=t.requester,
            queue=t.queue,
            state=Survey.State.SENT,
            resolved_at=now - timedelta(days=days_ago + 1),
            send_after=now - timedelta(days=days_ago + 1),
            sent_at=now - timedelta(days=days_ago + 1),
            answered_at=None if rating is None else now - timedelta(days=days_ago),
            rating=rating,
        )

    answered(mine, 2, days_ago=30)
    answered(hidden, 5, days_ago=3)
    answered(mine, None, days_ago=1)  # sent, never answered: not a rating

    response = client_agent.get(detail(ticket))

    assert response.status_code == 200
    assert "surveys/_past_csat.html" in templates(response)
    content = response.content.decode()
    side = content[content.index("<h3>Past CSAT</h3>") :]
    side = side[: side.index("</section>")]
    latest = timezone.localtime(now - timedelta(days=3)).strftime("%b %-d, %Y")
    # The hidden queue's rating counts, but neither its number nor its subject shows.
    assert (
        "Average <strong>3.5</strong> / 5 from 2 answered surveys; the latest"
        " <strong>5</strong> / 5 on <time datetime="
    ) in side
    assert f">{latest}</time>" in side
    assert f"#{hidden.pk}" not in content
    assert "Refund for the March invoice" not in content


def test_it_says_when_the_customer_never_answered_a_survey(client_agent, ticket) -> None:
    content = client_agent.get(detail(ticket)).content.decode()

    assert "No answered surveys yet." in content


# Actions ----------------------------------------------------------------------------


def test_it_posts_a_public_reply(client_agent, ticket, agent) -> None:
    response = client_agent.post(
        action("reply", ticket), {"kind": "reply", "body": "Try restarting.", "version": 1}
    )

    assert response.status_code == 302
    assert response["Location"] == detail(ticket)
    assert "Reply sent." in flash(response)
    ticket.refresh_from_db()
    reply = ticket.messages.get(kind=MessageKind.REPLY)
    assert (reply.body, reply.author) == ("Try restarting.", agent)
    assert (ticket.status, ticket.assignee, ticket.version) == (Status.PENDING, agent, 2)


def test_it_posts_a_note_with_attachments_staff_only(client_agent, client_customer, ticket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [
        SimpleUploadedFile("trace.log", b"stack trace", content_type="text/plain"),
        SimpleUploadedFile("screen.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
    ]
    response = client_agent.post(
        action("reply", ticket),
        {"kind": "note", "body": "Logs attached.", "version": 1, "attachments": files},
    )

    assert response.status_code == 302
    assert "Note added." in flash(response)
    note = ticket.messages.get(kind=MessageKind.NOTE)
    assert sorted(a.filename for a in note.attachments.all()) == ["screen.png", "trace.log"]
    page = client_agent.get(detail(ticket)).content.decode()
    for a in note.attachments.all():
        assert f'href="{reverse("files:attachment", args=[a.pk])}" download' in page
        # An internal note's files stay internal.
        assert client_customer.get(reverse("files:attachment", args=[a.pk])).status_code == 404


def test_it_posts_a_reply_and_resolves(client_agent, ticket) -> None:
    client_agent.post(
        action("reply", ticket),
        {"kind": "reply", "body": "Fixed.", "set_status": "resolved", "version": 1},
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None


def test_it_posts_an_internal_note(client_agent, ticket, agent) -> None:
    response = client_agent.post(
        action("reply", ticket), {"kind": "note", "body": "Check billing.", "version": 1}
    )

    assert response.status_code == 302
    note = ticket.messages.get(kind=MessageKind.NOTE)
    assert (note.body, note.author) == ("Check billing.", agent)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.first_responded_at) == (Status.NEW, None)


def test_it_shows_errors_for_an_empty_reply(client_agent, ticket) -> None:
    response = client_agent.post(
        action("reply", ticket), {"kind": "reply", "body": "", "version": 1}
    )
    assert response.status_code == 400
    assert "body" in response.context["reply_form"].errors
    assert ticket.messages.count() == 1


def test_it_keeps_the_text_of_a_stale_reply_and_writes_nothing(client_agent, ticket, agent) -> None:
    ticket_set_priority(ticket=ticket, actor=agent, priority="high")  # version 2 now
    events = TicketEvent.objects.count()

    response = client_agent.post(
        action("reply", ticket),
        {"kind": "reply", "body": "My carefully written answer", "version": 1},
    )

    assert response.status_code == 400
    assert "tickets/workspace/detail.html" in templates(response)
    content = response.content.decode()
    assert "changed while you were working on it" in content
    assert "My carefully written answer" in content
    assert response.context["reply_form"]["version"].value() == "2"
    assert Message.objects.count() == 1
    assert TicketEvent.objects.count() == events
    # Submitting again with the refreshed version goes through.
    again = client_agent.post(
        action("reply", ticket),
        {"kind": "reply", "body": "My carefully written answer", "version": 2},
    )
    assert again.status_code == 302
    assert Message.objects.count() == 2


def test_it_changes_the_status(client_agent, ticket, agent) -> None:
    response = client_agent.post(action("status", ticket), {"status": "on_hold", "version": 1})

    assert response.status_code == 302
    assert "Status updated." in flash(response)
    ticket.refresh_from_db()
    assert ticket.status == Status.ON_HOLD
    event = ticket.events.get(kind=EventKind.STATUS_CHANGED)
    assert (event.actor, event.data) == (agent, {"from": "new", "to": "on_hold"})


def test_it_refuses_a_stale_status_change(client_agent, ticket, agent) -> None:
    ticket_set_priority(ticket=ticket, actor=agent, priority="high")
    response = client_agent.post(action("status", ticket), {"status": "closed", "version": 1})
    assert response.status_code == 302
    assert any("changed while you were working" in m for m in flash(response))
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_it_refuses_an_invalid_transition_with_a_message(client_agent, ticket, agent) -> None:
    client_agent.post(action("status", ticket), {"status": "closed", "version": 1})
    response = client_agent.post(action("status", ticket), {"status": "open", "version": 2})
    assert any("cannot be set" in m for m in flash(response))
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_it_changes_the_priority(client_agent, ticket) -> None:
    response = client_agent.post(action("priority", ticket), {"priority": "urgent", "version": 1})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"
    assert ticket.events.filter(kind=EventKind.PRIORITY_CHANGED).count() == 1


def test_it_rejects_an_unreadable_priority_form(client_agent, ticket) -> None:
    response = client_agent.post(action("priority", ticket), {"priority": "asap", "version": "x"})
    assert response.status_code == 302
    assert any("could not be read" in m for m in flash(response))
    ticket.refresh_from_db()
    assert ticket.priority == "normal"


def test_it_lets_an_agent_take_a_ticket_but_not_steal_it(
    client_agent, client_for, ticket, agent, make_user, queue
) -> None:
    colleague = make_user("agent")
    queue.agents.add(colleague)

    response = client_agent.post(action("take", ticket))
    assert response.status_code == 302
    assert "The ticket is yours." in flash(response)

    stolen = client_for(colleague).post(action("take", ticket))
    assert stolen.status_code == 302
    assert any("already took" in m for m in flash(stolen))
    ticket.refresh_from_db()
    assert ticket.assignee == agent
