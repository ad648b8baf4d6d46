"""Phone-width screens: customers open our mail links on phones, so their pages must fit."""

from __future__ import annotations

import pytest
from django.utils import timezone

from surveys.models import Survey
from surveys.services import survey_url
from tickets.models import Status
from tickets.services import ticket_reply
from tickets.tokens import portal_token

from .helpers import deliver_outbox, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}

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
