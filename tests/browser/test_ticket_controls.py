"""The ticket page's controls update the page in place, and still work without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tickets.models import Status, Ticket

from .helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_status_and_assignment_swap_in_place_and_work_without_javascript(
    journey, agent, make_user, queue, ticket
) -> None:
    colleague = make_user("agent", first_name="Robin")
    queue.agents.add(colleague)
    url = f"/tickets/{ticket.pk}/"

    page = journey.new_page()
    journey.step("sign in as the agent and open the ticket")
    login(page, agent.username)
    page.goto(url)
    controls = page.locator("#ticket-controls")
    expect(controls).to_contain_text("Status: New")
    # A full page load would wipe this; an htmx swap keeps it.
    page.evaluate("window.__sameDocument = 'kept'")
    draft = page.locator("#reply-editor textarea[name=body]")
    draft.fill("Thanks for the details, I am looking into the export now.")

    journey.step("set the status: the controls are swapped, the page is not reloaded")
    status_form = controls.locator("form[data-shortcut=status]")
    status_form.get_by_label("Status").select_option("on_hold")
    status_form.get_by_role("button", name="Set").click()
    expect(controls.get_by_role("status")).to_have_text("Status updated.")
    expect(controls).to_contain_text("Status: On hold")
    expect(page.locator("#ticket-timeline li").first).to_contain_text("Status changed")
    assert page.evaluate("window.__sameDocument") == "kept", "the status change reloaded the page"
    assert page.url.endswith(url)

    journey.step("assign a colleague with the swapped form (it carries the new version)")
    assign_form = controls.locator("form", has=page.get_by_label("Assignee"))
    assign_form.get_by_label("Assignee").select_option(label=colleague.display_name)
    assign_form.get_by_role("button", name="Set").click()
    expect(controls.get_by_role("status")).to_have_text("Assignment updated.")
    expect(controls).to_contain_text(f"Assignee: {colleague.display_name}")
    assert page.evaluate("window.__sameDocument") == "kept", "the assignment reloaded the page"
    journey.axe("ticket-controls-swapped")

    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.version) == (Status.ON_HOLD, colleague, 3)

    journey.step("the draft survived the swaps and sends: the editor's version followed")
    expect(draft).to_have_value("Thanks for the details, I am looking into the export now.")
    with page.expect_navigation():
        page.locator("#reply-editor").get_by_role("button", name="Send").click()
    expect(page.locator(".messages")).to_contain_text("Reply sent.")

    journey.step("the same form without JavaScript: a full post and redirect")
    no_js = journey.browser.new_context(
        base_url=journey.base_url,
        viewport={"width": 1280, "height": 900},
        java_script_enabled=False,
    )
    journey.contexts.append(no_js)  # closed with the journey's own contexts
    plain = no_js.new_page()
    plain.set_default_timeout(10_000)
    login(plain, agent.username)
    plain.goto(url)
    plain_form = plain.locator("#ticket-controls form[data-shortcut=status]")
    plain_form.get_by_label("Status").select_option("resolved")
    with plain.expect_navigation():
        plain_form.get_by_role("button", name="Set").click()
    assert plain.url.endswith(url)
    expect(plain.locator(".messages")).to_contain_text("Status updated.")
    expect(plain.locator("#ticket-controls")).to_contain_text("Status: Resolved")

    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status == Status.RESOLVED
