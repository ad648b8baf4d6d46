"""Pages the journeys pass by quickly or not at all: accessibility, keyboard, and the guard
that makes any JS error or CSP violation fail a test."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tickets.models import Macro

from .helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_harness_fails_on_a_csp_violation(journey, live_server):
    """An inline script is refused by the CSP; the journey must see the refusal."""
    page = journey.new_page()
    page.goto("/support/new/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.inlineRan = true'; document.body.append(s); }"
    )
    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in e for e in journey.console_errors), (
        journey.console_errors
    )
    journey.console_errors.clear()  # seen and expected: do not fail the teardown


def test_skip_link_is_the_first_stop_and_reaches_main(journey):
    page = journey.new_page()
    page.goto("/support/new/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/support/new/#main")


def test_anonymous_error_pages(journey):
    page = journey.new_page()
    journey.allow_console_error(r"status of 40[04]")

    journey.step("a wrong password shows an error on the login form")
    page.goto("/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    journey.axe("login-error")

    journey.step("an invalid portal link")
    page.goto("/portal/login/not-a-token/")
    # Neither used nor expired: a link we never signed.
    expect(page.get_by_role("heading", name="This link is not valid", exact=True)).to_be_visible()
    journey.axe("portal-link-invalid")

    journey.step("an invalid survey link")
    page.goto("/surveys/s/not-a-token/")
    journey.axe("survey-invalid")

    journey.step("the public form with errors")
    page.goto("/support/new/")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".field.has-error").first).to_be_visible()
    journey.axe("public-form-errors")


def test_staff_pages(journey, manager, agent, queue, ticket):
    """Search, macros, the satisfaction report and the not-found page, as staff see them."""
    Macro.objects.create(name="Greeting", body="Hi {{ customer.first_name }},", queue=queue)
    page = journey.new_page()
    journey.allow_console_error(r"status of 404")
    login(page, manager.username)

    journey.step("search")
    page.goto(f"/tickets/search/?q={ticket.subject.split()[0]}")
    journey.axe("search")

    journey.step("the satisfaction report")
    page.goto("/surveys/report/")
    journey.axe("satisfaction-report")

    journey.step("the macros page and a macro's edit page")
    page.goto("/tickets/macros/")
    page.get_by_role("link", name="Greeting").click()
    expect(page.get_by_role("heading", name="Edit “Greeting”")).to_be_visible()
    journey.axe("macro-edit")

    journey.step("the agent's queue views")
    agent_page = journey.new_page()
    login(agent_page, agent.username)
    agent_page.goto("/tickets/")
    journey.axe("queue-mine")
    agent_page.goto(f"/tickets/{ticket.pk}/")
    journey.axe("ticket")

    journey.step("a ticket that does not exist")
    agent_page.goto("/tickets/999999/")
    expect(agent_page.get_by_role("heading", name="Not found")).to_be_visible()
    journey.axe("not-found")
