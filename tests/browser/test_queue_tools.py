"""The queue's browser-only parts: htmx "Load more", keyboard shortcuts, bulk selection."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tickets.models import Channel, Ticket
from tickets.selectors import PAGE_SIZE
from tickets.services import ticket_create

from .helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URGENCIES = ("low", "normal", "high", "urgent")


@pytest.fixture
def long_queue(queue, customer):
    """One page and a bit: the rest comes with "Load more"."""
    return [
        ticket_create(
            requester=customer,
            subject=f"Question {n:02d}",
            body="How do I export my invoices?",
            urgency=URGENCIES[n % len(URGENCIES)],
            queue=queue,
            channel=Channel.WEB,
        )
        for n in range(PAGE_SIZE + 3)
    ]


def _scores(page):
    return [int(s) for s in page.locator("#ticket-rows .score").all_inner_texts()]


def test_load_more_shortcuts_and_bulk_assign(journey, agent, long_queue):
    page = journey.new_page()
    login(page, agent.username)
    page.goto("/tickets/?view=all")
    rows = page.locator("#ticket-rows tr[data-ticket-url]")

    journey.step("the first page, then 'Load more' through htmx")
    expect(rows).to_have_count(PAGE_SIZE)
    page.get_by_role("link", name="Load more").click()
    expect(rows).to_have_count(len(long_queue))
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)
    assert page.url.endswith("/tickets/?view=all"), "Load more navigated instead of swapping"
    scores = _scores(page)
    assert scores == sorted(scores, reverse=True), scores
    numbers = [int(n) for n in re.findall(r"#(\d+)", " ".join(rows.all_inner_texts()))]
    assert len(set(numbers)) == len(long_queue), "a ticket is missing or shown twice"

    journey.step("'?' opens the shortcuts help, Escape closes it")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    journey.axe("queue-shortcuts-help")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    journey.step("j / x select the first two tickets; bulk 'Assign to me'")
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bcursor\b"))
    expect(rows.nth(0).get_by_role("link").first).to_be_focused()
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(rows.nth(0).get_by_role("checkbox")).to_be_checked()
    expect(rows.nth(1).get_by_role("checkbox")).to_be_checked()
    expect(rows.nth(2).get_by_role("checkbox")).not_to_be_checked()
    first_two = [int(u.rstrip("/").rsplit("/", 1)[1]) for u in [
        rows.nth(0).get_attribute("data-ticket-url"),
        rows.nth(1).get_attribute("data-ticket-url"),
    ]]  # fmt: skip
    page.get_by_label("With selected").select_option("assign_me")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status").filter(has_text="Updated 2 tickets.")).to_be_visible()
    assigned = set(Ticket.objects.filter(assignee=agent).values_list("pk", flat=True))
    assert assigned == set(first_two)

    journey.step("'o' opens the ticket under the cursor; 'r' focuses the reply")
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url(re.compile(r"/tickets/\d+/$"))
    page.locator("h1").click()
    page.keyboard.press("r")
    expect(page.get_by_label("Body")).to_be_focused()


def test_j_reaches_rows_added_by_load_more(journey, agent, long_queue):
    page = journey.new_page()
    login(page, agent.username)
    page.goto("/tickets/?view=all")
    rows = page.locator("#ticket-rows tr[data-ticket-url]")
    page.get_by_role("link", name="Load more").click()
    expect(rows).to_have_count(len(long_queue))
    page.locator("h1").click()
    for _ in range(PAGE_SIZE + 1):
        page.keyboard.press("j")
    expect(rows.nth(PAGE_SIZE)).to_have_class(re.compile(r"\bcursor\b"), timeout=2_000)


def test_ticket_page_shortcuts_note_take_resolve_and_next(journey, agent, long_queue):
    page = journey.new_page()
    login(page, agent.username)
    page.goto("/tickets/?view=all")
    top = page.locator("#ticket-rows tr[data-ticket-url]").first
    url = top.get_attribute("data-ticket-url")
    pk = int(url.rstrip("/").rsplit("/", 1)[1])
    page.goto(url)

    journey.step("'n' switches the editor to an internal note and focuses it")
    page.locator("h1").click()
    page.keyboard.press("n")
    expect(page.get_by_label("Internal note")).to_be_checked()
    expect(page.get_by_label("Body")).to_be_focused()
    page.locator("h1").click()
    page.keyboard.press("r")
    expect(page.get_by_label("Public reply")).to_be_checked()

    journey.step("'a' assigns the ticket to me")
    page.locator("h1").click()
    page.keyboard.press("a")
    expect(page.get_by_role("status").filter(has_text="The ticket is yours.")).to_be_visible()
    assert Ticket.objects.get(pk=pk).assignee == agent

    journey.step("'e' resolves it")
    page.locator("h1").click()
    page.keyboard.press("e")
    expect(page.get_by_role("status").filter(has_text="Status updated.")).to_be_visible()
    assert Ticket.objects.get(pk=pk).status == "resolved"

    journey.step("']' goes to the next ticket in the queue")
    next_url = page.get_by_role("link", name="Next ticket →").get_attribute("href")
    page.locator("h1").click()
    page.keyboard.press("]")
    page.wait_for_url(f"**{next_url}")
    assert next_url != url
