"""A survey's whole life with the real worker: scheduled by the outbox after the resolution,
sent by the dispatch task, skipped by the cooldown, opened by a mail scanner, attacked
with forged and expired links, answered, changed within the window, closed after it,
reminded once, credited to the agents who replied and counted in the CSAT figures.

The worker runs its own settings (1 hour delay, quiet hours 21:00-08:00), so the tests
move `send_after` and `sent_at` instead of waiting, and use a customer for whom it is day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from surveys import services, tasks
from surveys.models import Reason, Survey
from surveys.tokens import survey_token
from tests.integration.fixtures import Worker, wait_until
from tests.integration.test_surveys_worker import daytime_zone
from tickets.models import Customer, EventKind, Queue, Status, Ticket, TicketEvent
from tickets.services import ticket_assign, ticket_change_status, ticket_reply

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def link(survey: Survey, rating: int | None = None) -> str:
    return reverse("surveys:answer", args=[survey_token(survey.pk, rating)])


def recorded(survey: Survey) -> tuple[object, ...]:
    survey.refresh_from_db()
    answered_events = TicketEvent.objects.filter(
        ticket_id=survey.ticket_id, kind=EventKind.SURVEY_ANSWERED
    ).count()
    return (survey.rating, survey.understood, survey.reason, survey.answered_at, answered_events)


NOTHING = (None, None, "", None, 0)


def resolved_by_worker(ticket: Ticket, agent: User) -> Survey:
    """Resolve the ticket and wait for the worker's outbox handler to schedule its survey."""
    ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
    resolution = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.STATUS_CHANGED).latest(
        "pk"
    )
    wait_until(lambda: Survey.objects.filter(resolution_event=resolution).exists())
    return Survey.objects.get(resolution_event=resolution)


def sent_by_worker(survey_ids: list[int]) -> None:
    """Make the surveys due and let the worker's dispatch task send them."""
    Survey.objects.filter(pk__in=survey_ids).update(
        send_after=timezone.now() - timedelta(minutes=1)
    )
    tasks.surveys_dispatch_due.delay()
    wait_until(
        lambda: (
            Survey.objects.filter(pk__in=survey_ids, state=Survey.State.SENT).count()
            == len(survey_ids)
        )
    )


@pytest.fixture
def day_customer(make_customer: Callable[..., Customer]) -> Callable[[str], Customer]:
    def make(first_name: str) -> Customer:
        customer = make_customer(first_name=first_name)
        customer.timezone = daytime_zone()
        customer.save(update_fields=["timezone"])
        return customer

    return make


def test_a_survey_from_resolution_to_the_csat_report(
    celery_worker: Worker,
    day_customer: Callable[[str], Customer],
    make_ticket: Callable[..., Ticket],
    make_user: Callable[..., User],
    agent: User,
    manager: User,
    queue: Queue,
) -> None:
    blake = make_user(Role.AGENT, first_name="Blake")
    casey = make_user(Role.AGENT, first_name="Casey")
    for helper in (blake, casey):
        queue.agents.add(helper)
    dana = day_customer("Dana")
    ticket = make_ticket(requester=dana, subject="Export stops at 80%")
    # Alex and Blake answer the customer; Casey holds the ticket when it is resolved.
    ticket_reply(ticket=ticket, author=agent, body="Sorry about that, looking into it now.")
    ticket_reply(ticket=ticket, author=blake, body="Restarting the export fixed it for me.")
    ticket_assign(ticket=ticket, actor=agent, assignee=casey)

    # Scheduling (outbox handler in the worker) and attribution.
    survey = resolved_by_worker(ticket, casey)
    assert survey.state == Survey.State.SCHEDULED
    assert set(survey.credits.values_list("agent_id", flat=True)) == {agent.pk, blake.pk}

    # Sending (dispatch task in the worker), exactly once.
    sent_by_worker([survey.pk])
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SURVEY_SENT).count() == 1

    # Cooldown: Dana's next resolved ticket within 7 days is not surveyed.
    second = make_ticket(requester=dana, subject="Another question")
    assert resolved_by_worker(second, agent).state == Survey.State.SKIPPED

    client = Client()
    # A mail scanner opens every rating link: the page shows, nothing is recorded.
    for rating in range(1, 6):
        assert client.get(link(survey, rating)).status_code == 200
    assert recorded(survey) == NOTHING

    # Forged, tampered and expired links record nothing either.
    # Signed with another key; a real link with another survey's id put in its payload.
    forged = signing.dumps({"s": survey.pk, "r": 1}, salt="attune.survey", key="guessed")
    payload, signature = survey_token(survey.pk, 1).split(":", 1)
    other_payload = signing.b64_encode(b'{"s":%d,"r":1}' % (survey.pk + 1)).decode()
    tampered = f"{other_payload}:{signature}"
    assert payload != other_payload
    for bad in (forged, tampered):
        assert (
            client.post(reverse("surveys:answer", args=[bad]), {"rating": "1"}).status_code == 400
        )
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 91 * 86400):
        expired = survey_token(survey.pk, 1)
    response = client.post(reverse("surveys:answer", args=[expired]), {"rating": "1"})
    assert response.status_code == 410
    assert recorded(survey) == NOTHING

    # The customer's POST records; the same link changes the answer within the window.
    answer = {"rating": "2", "understood": "4", "reason": Reason.PRODUCT}
    assert client.post(link(survey, 2), answer).status_code == 200
    assert client.post(link(survey, 2), answer).status_code == 200  # a double submit
    assert recorded(survey)[:3] == (2, 4, Reason.PRODUCT)
    assert survey.follow_up_opened
    follow_ups = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.FOLLOW_UP_OPENED)
    assert follow_ups.count() == 1
    assert client.post(link(survey, 5), {"rating": "5", "understood": "5"}).status_code == 200
    assert recorded(survey)[:3] + recorded(survey)[4:] == (5, 5, "", 1)

    # After the 14 days the survey is closed: 410, the answer stays.
    Survey.objects.filter(pk=survey.pk).update(sent_at=timezone.now() - timedelta(days=15))
    assert client.post(link(survey, 1), {"rating": "1"}).status_code == 410
    assert recorded(survey)[:2] == (5, 5)
    Survey.objects.filter(pk=survey.pk).update(sent_at=timezone.now() - timedelta(hours=1))

    # Reminder: Erin's survey, unanswered for 4 days, is reminded once by the worker.
    erin = day_customer("Erin")
    erins_ticket = make_ticket(requester=erin, subject="Invoice copy")
    ticket_reply(ticket=erins_ticket, author=agent, body="Here is the copy you asked for.")
    erins = resolved_by_worker(erins_ticket, agent)
    sent_by_worker([erins.pk])
    four_days_ago = timezone.now() - timedelta(days=4)
    Survey.objects.filter(pk=erins.pk).update(sent_at=four_days_ago)
    tasks.surveys_send_reminders.delay()
    wait_until(lambda: Survey.objects.get(pk=erins.pk).reminded_at is not None)
    # What the worker recorded stops a second reminder (the task keeps no result to wait
    # for, so the second run is in this process).
    assert services.surveys_send_reminders() == 0

    # Erin answers 3. CSAT on known data: one 4-5 of two ratings; two answered of two sent.
    assert client.post(link(erins), {"rating": "3"}).status_code == 200
    manager_client = Client()
    manager_client.force_login(manager)
    overall = manager_client.get("/api/v1/surveys/summary/").json()["overall"]
    assert (overall["sent"], overall["answered"], overall["csat"]) == (2, 2, 50.0)
    assert overall["response_rate"] == 100.0
    # Credit: Alex replied on both tickets, Blake on Dana's; Casey, the assignee, on none.
    by_agent = {
        row["label"].split()[0]: (row["answered"], row["csat"])
        for row in manager_client.get("/api/v1/surveys/summary/").json()["by_agent"]
    }
    assert by_agent == {"Alex": (2, 50.0), "Blake": (1, 100.0)}
