"""The ticket page's controls through htmx: the same actions answer with their section.

Without the HX-Request header every control still redirects back to the page (the
no-JavaScript path, covered in test_views_workspace.py); with it, the answer is the
controls section alone, showing the new state, the outcome and a fresh version.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tickets.models import EventKind, Status, Ticket
from tickets.services import ticket_set_priority

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def action(name: str, ticket: Ticket) -> str:
    return reverse(f"workspace:{name}", args=[ticket.pk])


def versions_in(html: str) -> set[str]:
    """The version every form of the section will send with its next submit."""
    return set(re.findall(r'name="version" value="(\d+)"', html))


def hx_post(client, name: str, ticket: Ticket, data: dict[str, object]):
    response = client.post(action(name, ticket), data, headers=HX)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    # The controls section alone, never the whole page.
    assert html.lstrip().startswith('<section class="card" id="ticket-controls">')
    assert "<html" not in html
    assert 'aria-label="Conversation"' not in html
    return response, html


def test_a_status_change_answers_with_the_controls_showing_the_new_status(
    client_agent, ticket, agent
) -> None:
    response, html = hx_post(client_agent, "status", ticket, {"status": "on_hold", "version": 1})

    assert "Status updated." in html
    assert '<option value="on_hold" selected>' in html
    assert versions_in(html) == {"2"}
    # The timeline is replaced out of band, with the change just made on top.
    timeline = html[html.index('<section class="card" id="ticket-timeline" hx-swap-oob="true">') :]
    assert re.search(r'<ol class="timeline"><li><time [^>]*>[^<]*</time> Status changed', timeline)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == (Status.ON_HOLD, 2)
    assert ticket.events.get(kind=EventKind.STATUS_CHANGED).actor == agent
    # The outcome is in the section, not flashed again on the next full page.
    assert not list(get_messages(response.wsgi_request))


def test_the_same_status_form_without_htmx_still_redirects(client_agent, ticket) -> None:
    response = client_agent.post(action("status", ticket), {"status": "on_hold", "version": 1})

    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:detail", args=[ticket.pk])
    ticket.refresh_from_db()
    assert ticket.status == Status.ON_HOLD


def test_priority_assignment_take_and_tags_each_answer_with_the_new_state(
    client_agent, ticket, agent, make_user, queue
) -> None:
    colleague = make_user("agent", first_name="Robin")
    queue.agents.add(colleague)

    _, html = hx_post(client_agent, "priority", ticket, {"priority": "urgent", "version": 1})
    assert "Priority updated." in html
    assert '<option value="urgent" selected>' in html
    assert versions_in(html) == {"2"}

    _, html = hx_post(client_agent, "assign", ticket, {"assignee": str(colleague.pk), "version": 2})
    assert "Assignment updated." in html
    assert f'<option value="{colleague.pk}" selected>' in html
    assert '<span class="assignee">Robin' in html
    assert versions_in(html) == {"3"}

    _, html = hx_post(client_agent, "tags", ticket, {"tags": "billing, vip", "version": 3})
    assert "Tags updated." in html
    assert 'value="billing, vip"' in html
    assert versions_in(html) == {"4"}

    _, html = hx_post(client_agent, "assign", ticket, {"assignee": "", "version": 4})
    assert '<span class="assignee">nobody</span>' in html

    _, html = hx_post(client_agent, "take", ticket, {})
    assert "The ticket is yours." in html
    assert f'<span class="assignee">{agent.display_name}</span>' in html
    assert "Assign to me" not in html

    ticket.refresh_from_db()
    assert (ticket.priority, ticket.assignee, ticket.version) == ("urgent", agent, 6)
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing", "vip"]


def test_a_stale_change_answers_with_the_message_the_latest_state_and_version(
    client_agent, ticket, agent
) -> None:
    ticket_set_priority(ticket=ticket, actor=agent, priority="high")  # now version 2

    _, html = hx_post(client_agent, "status", ticket, {"status": "closed", "version": 1})

    assert "changed while you were working" in html
    assert 'class="message message-error"' in html
    assert '<option value="high" selected>' in html  # the colleague's change is shown
    assert versions_in(html) == {"2"}  # so the next submit is accepted
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == (Status.NEW, 2)
    assert not ticket.events.filter(kind=EventKind.STATUS_CHANGED).exists()

    _, html = hx_post(client_agent, "status", ticket, {"status": "closed", "version": 2})
    assert "Status updated." in html
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_an_invalid_transition_or_unreadable_form_answers_with_the_message(
    client_agent, ticket
) -> None:
    hx_post(client_agent, "status", ticket, {"status": "closed", "version": 1})

    _, html = hx_post(client_agent, "status", ticket, {"status": "open", "version": 2})
    assert "cannot be set" in html
    assert 'class="message message-error"' in html

    _, html = hx_post(client_agent, "priority", ticket, {"priority": "asap", "version": "x"})
    assert "could not be read" in html

    _, html = hx_post(client_agent, "assign", ticket, {"assignee": "999999", "version": 2})
    assert "No such agent." in html

    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee, ticket.version) == (
        Status.CLOSED,
        "normal",
        None,
        2,
    )


REPLY_VERSION = re.compile(r'<input type="hidden" name="version" id="reply-version" value="(\d+)"')


def test_the_reply_editors_version_follows_the_agents_own_change(client_agent, ticket) -> None:
    page = client_agent.get(reverse("workspace:detail", args=[ticket.pk])).content.decode()
    assert REPLY_VERSION.findall(page) == ["1"]

    _, html = hx_post(client_agent, "take", ticket, {"version": 1})
    # Out of band, so the draft in the editor is untouched and the next reply is accepted.
    assert REPLY_VERSION.findall(html) == ["2"]
    assert 'id="reply-version" value="2" hx-swap-oob="true"' in html

    reply = client_agent.post(
        action("reply", ticket), {"kind": "reply", "body": "On it.", "version": 2}
    )
    assert reply.status_code == 302


def test_the_reply_editors_version_stays_when_a_colleague_changed_the_ticket(
    client_agent, ticket, agent
) -> None:
    ticket_set_priority(ticket=ticket, actor=agent, priority="high")  # now version 2

    _, refused = hx_post(client_agent, "status", ticket, {"status": "on_hold", "version": 1})
    assert not REPLY_VERSION.findall(refused)

    # Taking checks no version: the colleague's change (1 -> 2) plus the take (2 -> 3)
    # is more than the page's own change, so the editor keeps its version and a reply
    # written against the old page is refused as stale.
    _, taken = hx_post(client_agent, "take", ticket, {"version": 1})
    assert "The ticket is yours." in taken
    assert not REPLY_VERSION.findall(taken)


def test_another_queues_ticket_is_not_found_through_htmx_either(
    client_for, other_agent, ticket
) -> None:
    client = client_for(other_agent)
    for name, data in [
        ("status", {"status": "resolved", "version": 1}),
        ("priority", {"priority": "urgent", "version": 1}),
        ("assign", {"assignee": "", "version": 1}),
        ("take", {}),
        ("tags", {"tags": "billing", "version": 1}),
    ]:
        assert client.post(action(name, ticket), data, headers=HX).status_code == 404, name
    ticket.refresh_from_db()
    assert (ticket.version, ticket.status, ticket.assignee) == (1, Status.NEW, None)
    assert not ticket.tags.exists()


def test_the_controls_answer_issues_a_fixed_number_of_queries(
    client_agent, ticket, make_user, queue, django_assert_num_queries
) -> None:
    for n in range(5):
        queue.agents.add(make_user("agent", first_name=f"Agent {n}"))
    hx_post(client_agent, "tags", ticket, {"tags": "a, b, c", "version": 1})

    with django_assert_num_queries(STATUS_ANSWER_QUERIES):
        hx_post(client_agent, "status", ticket, {"status": "on_hold", "version": 2})
    with django_assert_num_queries(REFUSED_ANSWER_QUERIES):
        hx_post(client_agent, "status", ticket, {"status": "on_hold", "version": 1})

    for n in range(5, 15):
        queue.agents.add(make_user("agent", first_name=f"Agent {n}"))
    hx_post(client_agent, "tags", ticket, {"tags": "a, b, c, d, e, f, g", "version": 3})
    with django_assert_num_queries(STATUS_ANSWER_QUERIES):
        hx_post(client_agent, "status", ticket, {"status": "open", "version": 4})


# Session, user, ticket (access check); the status change itself (savepoint, locked
# re-read, event, the two rescoring reads, update, release); then the section: the
# ticket read again, colleagues to assign to, tags, the timeline's events with their
# actors. However many agents, tags or events.
STATUS_ANSWER_QUERIES = 14
# A stale version is refused inside the same transaction before anything is written.
REFUSED_ANSWER_QUERIES = 11
