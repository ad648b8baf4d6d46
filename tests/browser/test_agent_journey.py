"""An agent signs in, works the queue in priority order, and answers with live coaching."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tickets.models import Channel, MessageKind, Status, Ticket
from tickets.services import ticket_create, ticket_customer_reply

from .helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANGRY = (
    "This is the third time I am writing about this and it is STILL NOT FIXED!!! "
    "I am furious: I cannot export anything and I will cancel my subscription."
)
COLD_DRAFT = "Just restart it."
WARM_DRAFT = (
    "I understand how frustrating this must be, especially after writing to us before. "
    "So if I understand correctly, the export has failed every time since Monday and "
    "you cannot get your data out. I am looking into it now and will write back by 3 pm."
)


@pytest.fixture
def busy_queue(queue, make_customer):
    """Tickets whose order means something: urgency, tier and frustration all differ."""
    specs = [
        ("low", "", "Feature idea: dark mode", "It would be nice to have a dark mode."),
        ("normal", "", "How do I change my email?", "Where can I change my login email?"),
        ("high", "vip", "Invoices page is slow", "The invoices page takes a minute to load."),
        ("urgent", "", "Export broken again", ANGRY),
    ]
    made = {}
    for urgency, tier, subject, body in specs:
        customer = make_customer(tier=tier)
        made[subject] = ticket_create(
            requester=customer,
            subject=subject,
            body=body,
            urgency=urgency,
            queue=queue,
            channel=Channel.WEB,
        )
    return made


def _open_top_ticket(journey, agent, busy_queue, *, fake_clock=False):
    page = journey.new_page()
    if fake_clock:
        page.clock.install()  # timers (the presence heartbeat) advance only when told
    journey.step("sign in as the agent")
    login(page, agent.username)
    journey.step("open the queue (all) and the top ticket")
    page.goto("/tickets/?view=all")
    top = busy_queue["Export broken again"]
    page.get_by_role("link", name="Export broken again").click()
    page.wait_for_url(f"**/tickets/{top.pk}/")
    return page


def test_agent_works_the_queue_and_replies_with_coaching(journey, agent, busy_queue):
    page = journey.new_page()

    journey.step("sign in through the login form")
    page.goto("/login/")
    journey.axe("login")
    login(page, agent.username)

    journey.step("the queue lists tickets in priority-score order")
    page.goto("/tickets/?view=all")
    table = page.get_by_role("table", name="Tickets ordered by priority score")
    expect(table).to_be_visible()
    scores = [int(s) for s in table.locator("tbody .score").all_inner_texts()]
    assert len(scores) == len(busy_queue), scores
    assert scores == sorted(scores, reverse=True), f"queue not in score order: {scores}"
    expected_top = max(busy_queue.values(), key=lambda t: t.priority_score)
    assert expected_top.subject == "Export broken again"
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("Export broken again")
    expect(rows.first).to_contain_text("Challenging")

    journey.step("the 'why' details open to show the reasons")
    why = rows.first.locator("details.why")
    reasons = why.locator("li")
    expect(reasons.first).to_be_hidden()
    why.locator("summary").click()
    expect(why).to_have_attribute("open", "")
    expect(reasons.first).to_be_visible()
    reason_texts = reasons.all_inner_texts()
    assert any("rgenc" in r or "urgen" in r.lower() for r in reason_texts), reason_texts
    points = [int(m) for r in reason_texts for m in re.findall(r"\+(\d+)", r)]
    assert sum(points) == scores[0], (reason_texts, scores[0])
    journey.axe("queue")
    journey.shot("queue")

    journey.step("open the top ticket")
    rows.first.get_by_role("link", name="Export broken again").click()
    page.wait_for_url(f"**/tickets/{expected_top.pk}/")
    expect(page.get_by_role("heading", name="Export broken again")).to_be_visible()
    expect(page.get_by_role("complementary", name="De-escalation guidance")).to_be_visible()

    journey.step("take the ticket: it is assigned to the agent")
    details = page.get_by_role("complementary", name="Ticket details")
    expect(details).to_contain_text("Assignee: nobody")
    details.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_role("status").filter(has_text="The ticket is yours.")).to_be_visible()
    expect(details).to_contain_text(f"Assignee: {agent.display_name}")
    expect(details.get_by_role("button", name="Assign to me")).to_have_count(0)
    assert Ticket.objects.get(pk=expected_top.pk).assignee == agent

    panel = page.get_by_role("region", name="Empathy coaching")
    validation = panel.locator("[data-component=validation] .level")
    reflection = panel.locator("[data-component=reflection] .level")
    expect(validation).to_have_text("\N{EN DASH}")

    journey.step("type a cold draft: the coach shows validation absent")
    body = page.get_by_label("Body")
    body.press_sequentially(COLD_DRAFT, delay=20)
    expect(validation).to_have_text("absent")
    expect(reflection).to_have_text("absent")
    expect(panel.locator("[data-suggestions] li").first).to_be_visible()
    cold_overall = int(panel.locator("[data-overall]").inner_text())

    journey.step("type a warm draft: validation and reflection rise")
    body.fill(WARM_DRAFT)
    expect(validation).to_have_text(re.compile(r"^(weak|strong)$"))
    expect(reflection).to_have_text(re.compile(r"^(weak|strong)$"))
    expect(panel.locator("[data-spans] mark.pos").first).to_be_visible()
    assert int(panel.locator("[data-overall]").inner_text()) > cold_overall
    journey.axe("ticket-coaching")
    journey.shot("ticket-coaching")

    journey.step("set status resolved and send")
    page.get_by_label("Set status").select_option(Status.RESOLVED)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Reply sent.")).to_be_visible()
    expect(details.locator(".badge.status-resolved")).to_have_text("Resolved")
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation.locator("article.msg-reply")).to_contain_text(
        "So if I understand correctly"
    )
    journey.axe("ticket-after-reply")

    ticket = Ticket.objects.get(pk=expected_top.pk)
    assert ticket.status == Status.RESOLVED
    assert ticket.assignee == agent
    reply = ticket.messages.get(kind=MessageKind.REPLY)
    assert reply.author == agent
    assert reply.body.startswith("I understand how frustrating")

    journey.step("My empathy invites a private reflection on the hard ticket")
    page.get_by_role("link", name="My empathy").click()
    prompt = page.locator("form.reflection").filter(has_text=f"#{ticket.pk}")
    expect(prompt).to_be_visible()
    prompt.get_by_label("What went well?").fill("I named the frustration first.")
    prompt.get_by_role("button", name="Save for me").click()
    expect(page.get_by_role("status").filter(has_text="Only you can see")).to_be_visible()
    expect(page.locator("form.reflection").filter(has_text=f"#{ticket.pk}")).to_have_count(0)
    journey.axe("my-empathy-agent")


def test_second_agent_is_warned_someone_is_replying(
    journey, agent, make_user, queue, team, busy_queue
):
    """Two agents on one ticket see each other; a message arriving mid-draft is flagged."""
    colleague = make_user(first_name="Sam")
    queue.agents.add(colleague)
    team.members.add(colleague)
    top = busy_queue["Export broken again"]
    first = _open_top_ticket(journey, agent, busy_queue, fake_clock=True)
    first.get_by_label("Body").press_sequentially("Looking into this now", delay=10)
    first.clock.run_for(10_000)  # the next heartbeat reports "replying"
    second = _open_top_ticket(journey, colleague, busy_queue)

    journey.step("the second agent sees that the first is replying")
    presence = second.locator("#presence")
    expect(presence).to_be_visible()
    expect(presence).to_have_text(re.compile(rf"{agent.display_name} is replying"))
    expect(presence).to_have_class(re.compile(r"\bconflict\b"))

    journey.step("the customer writes while the first agent types: the first is warned")
    ticket_customer_reply(
        ticket=top, customer=top.requester, body="Any news?", channel=Channel.PORTAL
    )
    first.clock.run_for(10_000)
    warning = first.locator("#presence")
    expect(warning).to_contain_text("While you were here: a new customer message")
    expect(warning).to_contain_text(f"{colleague.display_name} is viewing")
    journey.axe("ticket-presence", page=second)


def test_agent_saves_a_macro_and_inserts_it(journey, agent, queue, busy_queue):
    """Canned answers: saved on the macros page, filled in for the ticket, then coached."""
    page = journey.new_page()
    journey.step("sign in and save a macro for the queue")
    login(page, agent.username)
    page.goto("/tickets/macros/")
    page.get_by_label("Name").fill("Sorry for the wait")
    page.get_by_label("Body").fill(
        "Hi {{ customer.first_name }}, I am sorry you had to wait on ticket "
        "{{ ticket.number }}. I can see how frustrating that is. {{ agent.first_name }}"
    )
    page.get_by_label("Queue").select_option(label=queue.name)
    page.get_by_role("button", name="Save macro").click()
    expect(page.get_by_role("status").filter(has_text="Macro saved.")).to_be_visible()
    expect(page.get_by_role("table", name="Macros")).to_contain_text("Sorry for the wait")
    journey.axe("macros")

    journey.step("insert the macro into the reply editor of the top ticket")
    top = busy_queue["Export broken again"]
    page.goto(f"/tickets/{top.pk}/")
    page.get_by_label("Macro", exact=True).select_option(label="Sorry for the wait")
    page.get_by_role("button", name="Insert").click()
    body = page.get_by_label("Body")
    first_name = top.requester.user.first_name
    expect(body).to_have_value(
        f"Hi {first_name}, I am sorry you had to wait on ticket {top.pk}. "
        f"I can see how frustrating that is. {agent.first_name}"
    )
    journey.step("the coach scores the inserted text without any typing")
    panel = page.get_by_role("region", name="Empathy coaching")
    expect(panel.locator("[data-component=validation] .level")).to_have_text(
        re.compile(r"^(weak|strong)$")
    )
    journey.axe("ticket-macro")
