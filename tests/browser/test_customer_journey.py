"""A customer writes in, follows the request in the portal, and answers the survey."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Survey
from surveys.services import surveys_dispatch_due
from tickets.models import Message, Status, Ticket
from tickets.services import ticket_reply

from .helpers import deliver_outbox, link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "jamie.doe@customer.example"
SUBJECT = "Invoices page is blank"
DESCRIPTION = "Since this morning the invoices page stays blank after I sign in."


def test_customer_files_a_request_follows_it_and_answers_the_survey(
    journey, queue, agent, settings
):
    # Every hour is a sending hour, so the test does not depend on the time of day.
    settings.ATTUNE_SURVEY_QUIET_HOURS = (0, 0)
    page = journey.new_page()

    journey.step("open the public form")
    page.goto("/support/new/")
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()
    journey.axe("public-form")
    journey.shot("public-form")

    journey.step("fill in the form with an attachment and send it")
    page.get_by_label("Name").fill("Jamie Doe")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_label("Attachments").set_input_files(
        files=[{"name": "console.txt", "mimeType": "text/plain", "buffer": b"GET /invoices 200"}]
    )
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url("**/support/thanks/")
    expect(page.get_by_role("heading", name="We have your request")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(EMAIL)
    journey.axe("public-thanks")
    ticket = Ticket.objects.get(subject=SUBJECT)
    assert ticket.requester.user.email == EMAIL

    journey.step("read the confirmation mail and open its portal link")
    deliver_outbox()
    confirmations = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(confirmations) == 1, [m.subject for m in mail.outbox]
    magic_link = link_in(confirmations[0].body, r"/portal/login/")
    page.goto(magic_link)
    journey.axe("portal-magic-login")
    page.get_by_role("button", name="Open my requests").click()
    page.wait_for_url("**/portal/")
    journey.axe("portal-list")

    journey.step("open the ticket from the portal list")
    page.get_by_role("link", name=SUBJECT).click()
    page.wait_for_url(f"**/portal/tickets/{ticket.pk}/")
    expect(page.get_by_role("heading", name=SUBJECT)).to_be_visible()
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text(DESCRIPTION)
    attachment = conversation.get_by_role("link", name="console.txt")
    with page.expect_download() as download:
        attachment.click()
    assert download.value.suggested_filename == "console.txt"
    assert Path(download.value.path()).read_bytes() == b"GET /invoices 200"

    journey.step("reply from the portal")
    page.get_by_label("Your reply").fill("It also happens in another browser.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your reply was sent.")
    expect(conversation).to_contain_text("It also happens in another browser.")
    journey.axe("portal-ticket")
    journey.shot("portal-ticket")

    journey.step("an agent answers and resolves; the survey is scheduled and sent")
    ticket_reply(
        ticket=ticket,
        author=agent,
        body="Thanks for the detail. We fixed the invoices page; it loads again.",
        set_status=Status.RESOLVED,
    )
    deliver_outbox()
    survey = Survey.objects.get(ticket=ticket)
    assert survey.state == Survey.State.SCHEDULED
    Survey.objects.filter(pk=survey.pk).update(send_after=timezone.now() - timedelta(minutes=1))
    mail.outbox = []
    assert surveys_dispatch_due() == 1
    survey_mails = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(survey_mails) == 1, [m.subject for m in mail.outbox]
    body = survey_mails[0].body
    rating_links = re.findall(r"^([1-5]) - .*?: (\S+)$", body, flags=re.MULTILINE)
    assert [r for r, _ in rating_links] == ["1", "2", "3", "4", "5"], body
    link_for_4 = dict(rating_links)["4"]

    journey.step("open the '4' link: the rating is preselected, nothing recorded yet")
    page.goto(link_for_4)
    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
    rating = page.get_by_role("group", name=re.compile("How satisfied are you"))
    expect(rating.get_by_role("radio", name="4", exact=True)).to_be_checked()
    survey.refresh_from_db()
    assert survey.rating is None
    journey.axe("survey")
    journey.shot("survey")

    journey.step("answer 'felt understood' 5 with a comment and send")
    understood = page.get_by_role("group", name=re.compile("understood your concern"))
    understood.get_by_role("radio", name="5", exact=True).check()
    page.get_by_label("Anything you want to tell us?").fill("Quick and kind, thank you.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    journey.axe("survey-thanks")
    survey.refresh_from_db()
    assert survey.rating == 4
    assert survey.understood == 5
    assert survey.comment == "Quick and kind, thank you."
    assert Message.objects.filter(ticket=ticket).count() == 3

    journey.step("the '2' link afterwards shows the recorded answer, ready to update")
    page.goto(dict(rating_links)["2"])
    rating = page.get_by_role("group", name=re.compile("How satisfied are you"))
    expect(rating.get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(page.get_by_role("button", name="Update my answer")).to_be_visible()
    survey.refresh_from_db()
    assert survey.rating == 4, "opening a rating link must not change the answer"
