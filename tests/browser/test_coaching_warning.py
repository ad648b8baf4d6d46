"""Live coaching warns about tone before the agent sends, and never stands in the way of
sending: not with a warning showing, and not when the coach cannot be reached."""

from __future__ import annotations

import pytest
from playwright.sync_api import Route, expect

from tickets.models import Channel, MessageKind, Ticket
from tickets.services import ticket_create

from .helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLAMING_DRAFT = "Calm down. As I already told you, you should have read the manual."


@pytest.fixture
def angry_ticket(queue, make_customer) -> Ticket:
    return ticket_create(
        requester=make_customer(),
        subject="Export broken again",
        body="Third time I write: the export is STILL broken and I am furious!!!",
        urgency="urgent",
        queue=queue,
        channel=Channel.WEB,
    )


def _open(journey, agent, ticket):
    page = journey.new_page()
    login(page, agent.username)
    page.goto(f"/tickets/{ticket.pk}/")
    return page


def _send(page) -> None:
    send = page.get_by_role("button", name="Send", exact=True)
    expect(send).to_be_enabled()
    send.click()
    expect(page.get_by_role("status").filter(has_text="Reply sent.")).to_be_visible()


def test_the_coach_warns_about_tone_and_the_agent_can_still_send(journey, agent, angry_ticket):
    page = _open(journey, agent, angry_ticket)
    panel = page.get_by_role("region", name="Empathy coaching")
    warning = panel.locator("[data-warning]")
    expect(warning).to_be_hidden()

    journey.step("type a blaming draft: the coach warns before sending")
    page.get_by_label("Body").press_sequentially(BLAMING_DRAFT, delay=10)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text('"Calm down" may read as dismissive')
    expect(warning).to_contain_text("blame")
    expect(panel.locator("[data-component=tone] .level")).to_have_text("needs care")
    journey.axe("ticket-tone-warning")

    journey.step("send anyway: the warning is advice, not a gate")
    _send(page)
    reply = Ticket.objects.get(pk=angry_ticket.pk).messages.get(kind=MessageKind.REPLY)
    assert reply.body == BLAMING_DRAFT


def test_the_agent_sends_when_the_coach_cannot_be_reached(journey, agent, angry_ticket):
    page = _open(journey, agent, angry_ticket)
    calls: list[str] = []

    def unreachable(route: Route) -> None:
        calls.append(route.request.url)
        route.abort()

    page.route("**/empathy/coach/", unreachable)
    journey.allow_console_error("Failed to load resource")
    panel = page.get_by_role("region", name="Empathy coaching")

    journey.step("type while the coach is down: the panel stays empty, the editor works")
    page.get_by_label("Body").press_sequentially("Thanks, I have restarted the export.")
    expect(panel).to_have_attribute("data-error", "coach unavailable")
    assert calls, "the editor never asked the coach"
    expect(panel.locator("[data-overall]")).to_have_text("\N{EN DASH}")

    journey.step("send: the reply goes out without coaching")
    _send(page)
    reply = Ticket.objects.get(pk=angry_ticket.pk).messages.get(kind=MessageKind.REPLY)
    assert reply.body == "Thanks, I have restarted the export."
