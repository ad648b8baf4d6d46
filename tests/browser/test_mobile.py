"""Screen sizes: customers open our mail links on phones, so their pages must fit; agents
work on a laptop or a tablet, so the workspace must fit those."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Survey
from surveys.services import survey_url
from tickets.models import Status
from tickets.services import ticket_reply
from tickets.tokens import portal_token

from .helpers import deliver_outbox, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
# The issue's "laptop screen and tablet": a 13" laptop and a tablet held either way.
AGENT_SCREENS = {
    "laptop": {"width": 1280, "height": 720},
    "tablet-landscape": {"width": 1024, "height": 768},
    "tablet-portrait": {"width": 768, "height": 1024},
}

# Elements sticking out past the right edge of the viewport, deepest first.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    if ([...el.children].some((c) => c.getBoundingClientRect().right > width + 1)) continue;
    out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
      `${el.classList.length ? "." + [...el.classList].join(".") : ""}` +
      ` (right edge ${Math.round(r.right)}px): ${(el.textContent || "").trim().slice(0, 40)}`);
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 8)};
}"""


def assert_fits(page, name):
    result = page.evaluate(OVERFLOW_JS)
    assert result["scroll"] <= result["width"], (
        f"{name} scrolls sideways at {result['width']}px (content {result['scroll']}px):\n"
        + "\n".join(result["out"])
    )


def test_customer_pages_fit_a_phone(journey, ticket, agent, settings):
    ticket_reply(ticket=ticket, author=agent, body="Fixed, thanks!", set_status=Status.RESOLVED)
    deliver_outbox()  # schedules the survey; mark it sent rather than wait for it
    survey = Survey.objects.get(ticket=ticket)
    Survey.objects.filter(pk=survey.pk).update(state=Survey.State.SENT, sent_at=timezone.now())
    page = journey.new_page()
    page.set_viewport_size(PHONE)

    journey.step("the public form")
    page.goto("/support/new/")
    assert_fits(page, "the public form")

    journey.step("the portal, signed in by the mail link")
    page.goto(f"/portal/login/{portal_token(ticket.requester)}/")
    page.get_by_role("button", name="Open my requests").click()
    page.wait_for_url("**/portal/")
    assert_fits(page, "the portal list")
    page.goto(f"/portal/tickets/{ticket.pk}/")
    assert_fits(page, "the portal ticket")
    journey.shot("mobile-portal-ticket")

    journey.step("the survey page")
    page.goto(survey_url(survey, 4).removeprefix(settings.SITE_URL))
    assert_fits(page, "the survey")
    journey.shot("mobile-survey")


def test_agent_ticket_page_fits_a_phone(journey, agent, ticket):
    page = journey.new_page()
    page.set_viewport_size(PHONE)
    login(page, agent.username)
    page.goto(f"/tickets/{ticket.pk}/")
    assert_fits(page, "the agent's ticket page")
    journey.shot("mobile-ticket")


@pytest.mark.parametrize("screen", AGENT_SCREENS)
def test_the_workspace_fits_a_laptop_and_a_tablet(journey, agent, ticket, screen):
    page = journey.new_page()
    page.set_viewport_size(AGENT_SCREENS[screen])
    login(page, agent.username)

    journey.step(f"the queue on a {screen}")
    page.goto("/tickets/?view=all")
    assert_fits(page, f"the queue ({screen})")
    # The ticket's link and the bulk checkbox are on screen, not cut off.
    row = page.locator("#ticket-rows tr[data-ticket-url]").first
    expect(row.get_by_role("link", name=ticket.subject)).to_be_in_viewport()
    expect(row.get_by_role("checkbox")).to_be_in_viewport()
    journey.shot(f"{screen}-queue")

    journey.step(f"the ticket page on a {screen}")
    page.goto(f"/tickets/{ticket.pk}/")
    assert_fits(page, f"the ticket page ({screen})")
    expect(page.get_by_label("Body")).to_be_visible()
    journey.shot(f"{screen}-ticket")

    journey.step(f"search on a {screen}")
    page.goto(f"/tickets/search/?q={ticket.subject.split()[0]}")
    assert_fits(page, f"search ({screen})")
