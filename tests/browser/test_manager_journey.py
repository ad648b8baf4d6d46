"""A manager reviews scored replies; the agent reads the feedback and acknowledges it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from empathy.models import ReplyScore, Review
from empathy.services import reply_score
from tickets.models import Channel
from tickets.services import ticket_create, ticket_reply

from .helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONVERSATIONS = [
    (
        "Export stops at 40%",
        "This is the third time I write about this!!! The export stops at 40% and I am "
        "losing a whole afternoon every time. I am really fed up.",
        "Restart the app.",
    ),
    (
        "Charged twice",
        "You charged my card twice this month and nobody answers. I am angry and worried "
        "about my rent.",
        "Sorry about that. The second charge will be refunded.",
    ),
    (
        "Locked out before a deadline",
        "I am locked out of my account and my report is due tomorrow. I am panicking.",
        "I understand how stressful this is with your report due tomorrow. So if I "
        "understand correctly, you cannot sign in since this morning and need the account "
        "before tomorrow. I have unlocked it now; I will stay on this ticket until you "
        "confirm you are in.",
    ),
]
LOW_FEEDBACK = "Name the frustration before the fix, and say what you are doing next."
EXEMPLARY_WHY = "Restates the deadline and owns the next step."


@pytest.fixture
def scored_replies(queue, agent, make_customer):
    scores = []
    for subject, customer_text, reply_text in CONVERSATIONS:
        ticket = ticket_create(
            requester=make_customer(),
            subject=subject,
            body=customer_text,
            queue=queue,
            channel=Channel.WEB,
        )
        message = ticket_reply(ticket=ticket, author=agent, body=reply_text)
        score = reply_score(message=message)
        assert score is not None
        scores.append(score)
    return sorted(scores, key=lambda s: s.overall)


def _review_section(page, heading):
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", name=re.compile(heading))
    )


def test_manager_reviews_and_agent_acknowledges(journey, manager, agent, scored_replies):
    lowest, best = scored_replies[0], scored_replies[-1]
    assert lowest.overall < best.overall
    page = journey.new_page()

    journey.step("sign in as the manager and open the dashboard")
    login(page, manager.username)
    page.goto("/empathy/dashboard/")
    expect(page.get_by_role("heading", name="Empathy dashboard")).to_be_visible()
    expect(page.locator("figure.chart svg circle").first).to_be_visible()
    expect(page.locator("figure.chart svg polyline")).to_have_count(1)
    by_agent = _review_section(page, "By agent").get_by_role("table")
    expect(by_agent).to_contain_text(agent.display_name)
    expect(by_agent.locator("tbody tr")).to_have_count(1)
    expect(by_agent.locator("tbody tr td").nth(1)).to_have_text(str(len(scored_replies)))
    expect(_review_section(page, "Team trend").get_by_role("table")).to_be_visible()
    journey.axe("empathy-dashboard")
    journey.shot("empathy-dashboard")

    journey.step("open the lowest-scoring reply from the review list")
    review_list = _review_section(page, "lowest scores")
    first = review_list.get_by_role("link").first
    expect(first).to_contain_text(f"#{lowest.ticket_id}")
    first.click()
    page.wait_for_url(f"**/empathy/review/{lowest.pk}/")
    expect(page.get_by_role("heading", name=re.compile("The agent replied"))).to_be_visible()
    expect(page.get_by_text("Restart the app.")).to_be_visible()
    journey.axe("empathy-review")
    journey.shot("empathy-review")

    journey.step("rate the components, write feedback, save")
    page.get_by_label("Listening").select_option("1")
    page.get_by_label("Validation").select_option("0")
    page.get_by_label("Reflection").select_option("0")
    page.get_by_label("Tone").select_option("1")
    page.get_by_label("Feedback").fill(LOW_FEEDBACK)
    page.get_by_role("button", name="Save review").click()
    page.wait_for_url("**/empathy/dashboard/")
    expect(page.get_by_role("status").filter(has_text="Review saved.")).to_be_visible()

    journey.step("review the best reply: mark it exemplary")
    page.goto(f"/empathy/review/{best.pk}/")
    page.get_by_label("Validation").select_option("2")
    page.get_by_label("Reflection").select_option("2")
    page.get_by_label("Feedback").fill(EXEMPLARY_WHY)
    page.get_by_label("Exemplary: share with the team").check()
    page.get_by_role("button", name="Save review").click()
    page.wait_for_url("**/empathy/dashboard/")
    low_review = Review.objects.get(score=lowest)
    assert (low_review.listening, low_review.validation, low_review.reflection) == (1, 0, 0)
    assert low_review.tone == 1
    assert low_review.feedback == LOW_FEEDBACK
    assert not low_review.exemplary
    assert Review.objects.get(score=best).exemplary

    journey.step("sign in as the agent in a new browser context and open My empathy")
    agent_page = journey.new_page()
    login(agent_page, agent.username)
    agent_page.goto("/empathy/me/")
    feedback = agent_page.locator("article.feedback").filter(has_text=LOW_FEEDBACK)
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text(manager.display_name)
    exemplary = agent_page.locator("article.exemplary")
    expect(exemplary).to_have_count(1)
    expect(exemplary).to_contain_text("So if I understand correctly")
    expect(exemplary).to_contain_text(EXEMPLARY_WHY)
    journey.axe("my-empathy")
    journey.shot("my-empathy")

    journey.step("acknowledge the feedback")
    feedback.get_by_label("Reply (optional)").fill("Thanks, I will try that.")
    feedback.get_by_role("button", name="Acknowledge").click()
    expect(
        agent_page.get_by_role("status").filter(has_text="your manager sees that you read it")
    ).to_be_visible()
    acknowledged = agent_page.locator("article.feedback").filter(has_text=LOW_FEEDBACK)
    expect(acknowledged).to_contain_text("Acknowledged")
    expect(acknowledged).to_contain_text("Thanks, I will try that.")
    expect(acknowledged.get_by_role("button", name="Acknowledge")).to_have_count(0)
    low_review.refresh_from_db()
    assert low_review.acknowledged_at is not None
    assert ReplyScore.objects.filter(agent=agent).count() == len(CONVERSATIONS)
