"""Survey services: one survey per resolution, cooldown, quiet hours, sending, reminders,
answers and service recovery. Handlers run the way the outbox worker runs them."""

from __future__ import annotations

import re
import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.mail.backends import locmem
from django.urls import resolve as url_resolve
from django.utils import timezone

from accounts.models import Role
from surveys import tasks
from surveys.models import Reason, Survey
from surveys.services import (
    survey_answer,
    survey_schedule,
    surveys_dispatch_due,
    surveys_send_reminders,
)
from surveys.tokens import survey_link_read
from tests.surveys.conftest import change_status, resolve, status_events
from tickets.errors import TicketError
from tickets.models import EventKind, Status, TicketEvent
from tickets.outbox import event_deliver
from tickets.services import (
    ticket_assign,
    ticket_change_status,
    ticket_customer_reply,
    ticket_merge,
    ticket_note_add,
    ticket_reply,
    ticket_set_tags,
)

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+/surveys/s/[^\s\"<>/]+/", text)


def link_survey_and_rating(url: str) -> tuple[int, int | None]:
    match = url_resolve(urlsplit(url).path)
    assert match.view_name == "surveys:answer"
    link = survey_link_read(match.kwargs["token"])
    return link.survey_id, link.rating


# Scheduling -------------------------------------------------------------------------


def test_it_schedules_one_survey_after_the_configured_delay(ticket, agent, customer, settings):
    settings.ATTUNE_SURVEY_DELAY_SECONDS = 1800

    event = resolve(ticket, agent)

    survey = Survey.objects.get()
    assert survey.resolution_event == event
    assert survey.state == Survey.State.SCHEDULED
    assert survey.ticket == ticket
    assert survey.customer == customer
    assert survey.queue == ticket.queue
    assert survey.resolved_at == event.created_at
    assert survey.send_after == event.created_at + timedelta(seconds=1800)
    assert survey.sent_at is None


def test_it_enqueues_the_surveys_handler_only_after_commit(
    ticket, agent, django_capture_on_commit_callbacks
):
    with mock.patch("tickets.tasks.outbox_deliver.apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ticket_change_status(ticket=ticket, actor=agent, status=Status.RESOLVED)
        assert not apply_async.called
        for callback in callbacks:
            callback()

    event = status_events(ticket)[-1]
    assert mock.call((event.pk, "surveys.on_status"), queue="surveys") in (
        apply_async.call_args_list
    )
    assert not Survey.objects.exists()  # only the handler creates it


def test_it_keeps_one_survey_when_the_event_is_delivered_twice(ticket, agent):
    event = resolve(ticket, agent)

    assert not event_deliver(event.pk, "surveys.on_status")
    # Even a handler run that lost its delivery receipt cannot create a second one.
    assert survey_schedule(resolution=event) is None

    assert Survey.objects.count() == 1


def test_it_cancels_an_unsent_survey_when_the_ticket_is_reopened(ticket, agent):
    resolve(ticket, agent)

    change_status(ticket, agent, Status.OPEN)

    assert Survey.objects.get().state == Survey.State.CANCELLED
    assert surveys_dispatch_due() == 0
    assert mail.outbox == []


def test_it_cancels_the_survey_when_the_customer_writes_again(ticket, agent, customer):
    resolve(ticket, agent)

    ticket_customer_reply(ticket=ticket, customer=customer, body="Broken again.", channel="web")
    assert event_deliver(status_events(ticket)[-1].pk, "surveys.on_status")

    assert Survey.objects.get().state == Survey.State.CANCELLED


def test_it_cancels_even_when_the_reopen_is_handled_before_the_resolution(ticket, agent):
    # Outbox tasks run in parallel and the sweep retries late: order is not guaranteed.
    resolved = resolve(ticket, agent, deliver=False)
    reopened = change_status(ticket, agent, Status.OPEN, deliver=False)

    assert event_deliver(reopened.pk, "surveys.on_status")
    assert event_deliver(resolved.pk, "surveys.on_status")

    assert not Survey.objects.filter(state=Survey.State.SCHEDULED).exists()
    assert surveys_dispatch_due() == 0
    assert mail.outbox == []


def test_it_does_not_mail_a_reopened_ticket_whose_reopen_is_not_handled_yet(ticket, agent):
    # The cancelling handler can run late (a worker down or a backlog on the surveys
    # queue for longer than the delay): the dispatcher must not survey an open ticket.
    resolve(ticket, agent)
    change_status(ticket, agent, Status.OPEN, deliver=False)

    assert surveys_dispatch_due() == 0

    assert mail.outbox == []
    assert Survey.objects.get().state == Survey.State.CANCELLED
    assert not TicketEvent.objects.filter(kind=EventKind.SURVEY_SENT).exists()


def test_it_surveys_again_after_a_new_resolution(ticket, agent):
    first = resolve(ticket, agent)
    change_status(ticket, agent, Status.OPEN)
    second = resolve(ticket, agent)

    surveys = {s.resolution_event_id: s.state for s in Survey.objects.all()}
    assert surveys == {first.pk: Survey.State.CANCELLED, second.pk: Survey.State.SCHEDULED}


def test_it_does_not_survey_again_when_a_resolved_ticket_is_closed(ticket, agent):
    resolve(ticket, agent)

    change_status(ticket, agent, Status.CLOSED)

    assert Survey.objects.get().state == Survey.State.SCHEDULED


def test_it_does_not_survey_a_ticket_closed_by_merging_it(make_ticket, agent):
    source = make_ticket(subject="Duplicate of my export problem")
    target = make_ticket()

    ticket_merge(source=source, target=target, actor=agent)
    [closed] = [e for e in status_events(source) if e.data["to"] == Status.CLOSED]
    assert event_deliver(closed.pk, "surveys.on_status")

    assert not Survey.objects.filter(ticket=source).exists()


def test_it_skips_a_customer_surveyed_within_the_cooldown(
    sent_survey, make_ticket, agent, settings
):
    settings.ATTUNE_SURVEY_COOLDOWN_DAYS = 7
    first = sent_survey()

    second_event = resolve(make_ticket(subject="Another problem"), agent)
    assert Survey.objects.get(resolution_event=second_event).state == Survey.State.SKIPPED

    Survey.objects.filter(pk=first.pk).update(sent_at=timezone.now() - timedelta(days=8))
    third_event = resolve(make_ticket(subject="A third problem"), agent)
    assert Survey.objects.get(resolution_event=third_event).state == Survey.State.SCHEDULED


def test_it_surveys_once_for_two_tickets_resolved_close_together(make_ticket, agent):
    # Both are scheduled before either is sent: the cooldown must hold at sending time.
    resolve(make_ticket(subject="First problem"), agent)
    resolve(make_ticket(subject="Second problem"), agent)

    assert surveys_dispatch_due() == 1

    assert len(mail.outbox) == 1
    states = sorted(Survey.objects.values_list("state", flat=True))
    assert states == [Survey.State.SENT, Survey.State.SKIPPED]


def test_it_credits_the_agents_who_replied_publicly(ticket, agent, make_user, queue, team, manager):
    second = make_user(Role.AGENT, first_name="Blake")
    note_writer = make_user(Role.AGENT, first_name="Noa")
    assignee = make_user(Role.AGENT, first_name="Ira")
    for user in (second, note_writer, assignee):
        queue.agents.add(user)
    ticket_reply(ticket=ticket, author=agent, body="Could you send the log file?")
    ticket_reply(ticket=ticket, author=second, body="Thanks, that log shows the cause.")
    ticket_note_add(ticket=ticket, author=note_writer, body="Known bug, see the tracker.")
    ticket_assign(ticket=ticket, actor=manager, assignee=assignee)

    change_status(ticket, assignee, Status.RESOLVED)

    credited = set(Survey.objects.get().credits.values_list("agent_id", flat=True))
    assert credited == {agent.pk, second.pk}


def test_it_credits_an_agent_who_replies_and_resolves_in_one_step(ticket, agent):
    ticket_reply(ticket=ticket, author=agent, body="Done, closing this.", set_status="resolved")
    assert event_deliver(status_events(ticket)[-1].pk, "surveys.on_status")

    assert list(Survey.objects.get().credits.values_list("agent_id", flat=True)) == [agent.pk]


# Sending ----------------------------------------------------------------------------


def test_it_sends_one_mail_per_due_survey_with_five_rating_links(make_ticket, make_customer, agent):
    customers = [make_customer(first_name=f"Cust{i}") for i in range(2)]
    events = [resolve(make_ticket(requester=c), agent) for c in customers]

    assert surveys_dispatch_due() == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.user.email for c in customers)
    for event in events:
        survey = Survey.objects.get(resolution_event=event)
        [message] = [m for m in mail.outbox if m.to == [survey.customer.user.email]]
        assert "Export stops at 40%" in message.subject
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        for text in (message.body, html):
            found = [link_survey_and_rating(url) for url in links(text)]
            assert found == [(survey.pk, r) for r in range(1, 6)]
        assert survey.state == Survey.State.SENT
        assert survey.sent_at is not None
        sent_events = TicketEvent.objects.filter(ticket=survey.ticket, kind=EventKind.SURVEY_SENT)
        assert [e.data for e in sent_events] == [{"survey": survey.pk}]


def test_it_sends_nothing_on_a_second_dispatch(sent_survey):
    sent_survey()
    mail.outbox.clear()

    assert surveys_dispatch_due() == 0
    assert tasks.surveys_dispatch_due() == 0

    assert mail.outbox == []
    assert TicketEvent.objects.filter(kind=EventKind.SURVEY_SENT).count() == 1


def test_it_does_not_send_before_the_delay(ticket, agent, settings):
    settings.ATTUNE_SURVEY_DELAY_SECONDS = 3600
    event = resolve(ticket, agent)

    assert surveys_dispatch_due(now=event.created_at + timedelta(minutes=59)) == 0
    assert mail.outbox == []
    assert surveys_dispatch_due(now=event.created_at + timedelta(minutes=61)) == 1


def test_it_puts_the_subject_in_the_mail_subject_unescaped(sent_survey):
    sent_survey(subject='Tom & Jerry\'s "export" <fails>')

    [message] = mail.outbox
    assert message.subject == 'How did we do on "Tom & Jerry\'s "export" <fails>"?'
    assert "Tom & Jerry's" in message.body
    assert "Tom &amp; Jerry" in message.alternatives[0][0]


def test_it_postpones_a_survey_to_the_customers_morning(ticket, agent, customer, settings):
    settings.ATTUNE_SURVEY_QUIET_HOURS = (21, 8)
    customer.timezone = "Asia/Tokyo"
    customer.save(update_fields=["timezone"])
    resolve(ticket, agent)
    Survey.objects.update(send_after=datetime(2026, 1, 1, tzinfo=UTC))
    night = datetime(2026, 1, 15, 22, 30, tzinfo=TOKYO)

    assert surveys_dispatch_due(now=night) == 0

    assert mail.outbox == []
    survey = Survey.objects.get()
    assert survey.state == Survey.State.SCHEDULED
    assert survey.send_after == datetime(2026, 1, 16, 8, 0, tzinfo=TOKYO)
    assert surveys_dispatch_due(now=datetime(2026, 1, 16, 7, 59, tzinfo=TOKYO)) == 0
    assert surveys_dispatch_due(now=datetime(2026, 1, 16, 8, 0, tzinfo=TOKYO)) == 1
    assert len(mail.outbox) == 1


def test_it_postpones_a_survey_due_before_dawn_to_the_same_morning(
    ticket, agent, customer, settings
):
    settings.ATTUNE_SURVEY_QUIET_HOURS = (21, 8)
    customer.timezone = "Asia/Tokyo"
    customer.save(update_fields=["timezone"])
    resolve(ticket, agent)
    Survey.objects.update(send_after=datetime(2026, 1, 1, tzinfo=UTC))

    assert surveys_dispatch_due(now=datetime(2026, 1, 16, 3, 0, tzinfo=TOKYO)) == 0

    assert Survey.objects.get().send_after == datetime(2026, 1, 16, 8, 0, tzinfo=TOKYO)


def test_it_sends_during_the_customers_day_even_if_it_is_night_in_utc(
    ticket, agent, customer, settings
):
    settings.ATTUNE_SURVEY_QUIET_HOURS = (21, 8)
    customer.timezone = "Asia/Tokyo"
    customer.save(update_fields=["timezone"])
    resolve(ticket, agent)
    Survey.objects.update(send_after=datetime(2026, 1, 1, tzinfo=UTC))

    assert surveys_dispatch_due(now=datetime(2026, 1, 15, 23, 30, tzinfo=UTC)) == 1  # 08:30 JST


class RefusingBackend(locmem.EmailBackend):
    """The SMTP server refuses one address (a full mailbox, a dead domain)."""

    refused = "refused@example.com"

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"No such user")})
        return super().send_messages(messages)


def test_it_keeps_what_was_sent_when_one_mail_fails(make_ticket, make_customer, agent, settings):
    settings.EMAIL_BACKEND = "tests.surveys.test_services.RefusingBackend"
    first = make_customer(email="first@example.com")
    refused = make_customer(email=RefusingBackend.refused)
    last = make_customer(email="last@example.com")
    for customer in (first, refused, last):
        resolve(make_ticket(requester=customer), agent)
    now = timezone.now() + timedelta(seconds=1)

    assert surveys_dispatch_due(now=now) == 2
    assert surveys_dispatch_due(now=now) == 0

    # Nobody gets the survey twice because someone else's mail bounced.
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.com", "last@example.com"]
    assert TicketEvent.objects.filter(kind=EventKind.SURVEY_SENT).count() == 2
    failed = Survey.objects.get(customer=refused)
    assert failed.state == Survey.State.SCHEDULED
    assert failed.send_after > now  # tried again later, not in a tight loop


class InterruptedBackend(locmem.EmailBackend):
    """The worker's soft time limit strikes (or it is restarted) while sending the third."""

    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise SoftTimeLimitExceeded()
        return super().send_messages(messages)


def test_it_does_not_mail_twice_after_an_interrupted_dispatch(
    make_ticket, make_customer, agent, settings
):
    customers = [make_customer(email=f"c{i}@example.com") for i in range(4)]
    for customer in customers:
        resolve(make_ticket(requester=customer), agent)
    now = timezone.now() + timedelta(seconds=1)

    settings.EMAIL_BACKEND = "tests.surveys.test_services.InterruptedBackend"
    with pytest.raises(SoftTimeLimitExceeded):
        surveys_dispatch_due(now=now)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert surveys_dispatch_due(now=now) == 2

    # What was mailed before the interruption stays recorded as sent.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.user.email for c in customers)
    assert TicketEvent.objects.filter(kind=EventKind.SURVEY_SENT).count() == 4


def test_it_does_not_remind_twice_after_an_interrupted_run(
    make_ticket, make_customer, agent, settings
):
    customers = [make_customer(email=f"c{i}@example.com") for i in range(4)]
    for customer in customers:
        resolve(make_ticket(requester=customer), agent)
    surveys_dispatch_due()
    mail.outbox.clear()
    later = timezone.now() + timedelta(days=3, minutes=1)

    settings.EMAIL_BACKEND = "tests.surveys.test_services.InterruptedBackend"
    with pytest.raises(SoftTimeLimitExceeded):
        surveys_send_reminders(now=later)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert surveys_send_reminders(now=later) == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.user.email for c in customers)


def test_it_does_not_survey_a_customer_without_an_email_address(make_ticket, make_customer, agent):
    customer = make_customer(email="")
    resolve(make_ticket(requester=customer), agent)

    assert surveys_dispatch_due() == 0

    assert mail.outbox == []
    assert Survey.objects.get().state == Survey.State.SKIPPED


def test_it_keeps_the_reminders_that_were_sent_when_one_mail_fails(
    make_ticket, make_customer, agent, settings
):
    first = make_customer(email="first@example.com")
    refused = make_customer(email=RefusingBackend.refused)
    for customer in (first, refused):
        resolve(make_ticket(requester=customer), agent)
    surveys_dispatch_due()
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "tests.surveys.test_services.RefusingBackend"
    later = timezone.now() + timedelta(days=3, minutes=1)

    assert surveys_send_reminders(now=later) == 1
    assert surveys_send_reminders(now=later) == 0

    assert [m.to for m in mail.outbox] == [["first@example.com"]]


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", ""])
def test_it_falls_back_to_utc_for_an_unknown_time_zone(ticket, agent, customer, settings, zone):
    settings.ATTUNE_SURVEY_QUIET_HOURS = (21, 8)
    customer.timezone = zone
    customer.save(update_fields=["timezone"])
    resolve(ticket, agent)
    Survey.objects.update(send_after=datetime(2026, 1, 1, tzinfo=UTC))

    assert surveys_dispatch_due(now=datetime(2026, 1, 15, 22, 0, tzinfo=UTC)) == 0
    assert Survey.objects.get().send_after == datetime(2026, 1, 16, 8, 0, tzinfo=UTC)


# Reminders --------------------------------------------------------------------------


def test_it_reminds_once_after_three_days(sent_survey):
    survey = sent_survey()
    mail.outbox.clear()

    assert surveys_send_reminders(now=survey.sent_at + timedelta(days=2, hours=23)) == 0
    assert surveys_send_reminders(now=survey.sent_at + timedelta(days=3, minutes=1)) == 1
    assert surveys_send_reminders(now=survey.sent_at + timedelta(days=4)) == 0

    [reminder] = mail.outbox
    assert reminder.subject.startswith("Reminder:")
    assert len(links(reminder.body)) == 5
    survey.refresh_from_db()
    assert survey.reminded_at == survey.sent_at + timedelta(days=3, minutes=1)


def test_it_does_not_remind_an_answered_survey(sent_survey):
    survey = sent_survey()
    survey_answer(survey=survey, rating=4)
    mail.outbox.clear()

    assert surveys_send_reminders(now=survey.sent_at + timedelta(days=3, minutes=1)) == 0
    assert mail.outbox == []


def test_it_does_not_remind_a_closed_survey(sent_survey):
    survey = sent_survey()
    mail.outbox.clear()

    assert surveys_send_reminders(now=survey.sent_at + timedelta(days=15)) == 0
    assert tasks.surveys_send_reminders() == 0
    assert mail.outbox == []


def test_it_does_not_remind_during_the_customers_night(sent_survey, customer, settings):
    survey = sent_survey()
    mail.outbox.clear()
    settings.ATTUNE_SURVEY_QUIET_HOURS = (21, 8)
    customer.timezone = "Asia/Tokyo"
    customer.save(update_fields=["timezone"])
    due = (survey.sent_at + timedelta(days=3, minutes=1)).astimezone(TOKYO)
    night = due.replace(hour=23, minute=0, second=0, microsecond=0)
    if night < due:
        night += timedelta(days=1)

    assert surveys_send_reminders(now=night) == 0
    assert surveys_send_reminders(now=night + timedelta(hours=10)) == 1  # 09:00 JST
    assert len(mail.outbox) == 1


# Answers ----------------------------------------------------------------------------


def test_it_records_an_answer(sent_survey):
    survey = sent_survey()

    survey_answer(survey=survey, rating=2, understood=3, comment="  Slow.  ", reason=Reason.TIME)

    survey.refresh_from_db()
    assert (survey.rating, survey.understood, survey.comment, survey.reason) == (
        2,
        3,
        "Slow.",
        Reason.TIME,
    )
    assert survey.answered_at is not None
    [answered] = TicketEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED)
    assert answered.data == {"survey": survey.pk, "rating": 2}


def test_it_drops_the_reason_when_the_rating_is_not_low(sent_survey):
    survey = sent_survey()

    survey_answer(survey=survey, rating=3, reason=Reason.PRODUCT)

    survey.refresh_from_db()
    assert survey.reason == ""


def test_it_lets_the_customer_change_the_answer_within_the_window(sent_survey):
    survey = sent_survey()
    survey_answer(survey=survey, rating=2, reason=Reason.AGENT, comment="Meh")
    Survey.objects.filter(pk=survey.pk).update(sent_at=timezone.now() - timedelta(days=13))

    survey_answer(survey=survey, rating=5, understood=5)

    survey.refresh_from_db()
    assert (survey.rating, survey.understood, survey.reason, survey.comment) == (5, 5, "", "")
    assert TicketEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED).count() == 1


def test_it_refuses_answers_after_the_window(sent_survey):
    survey = sent_survey()
    survey_answer(survey=survey, rating=4)
    Survey.objects.filter(pk=survey.pk).update(sent_at=timezone.now() - timedelta(days=15))

    with pytest.raises(TicketError) as error:
        survey_answer(survey=survey, rating=1)

    assert error.value.code == "closed"
    survey.refresh_from_db()
    assert survey.rating == 4


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": 3, "understood": 9}, "understood"),
        ({"rating": 1, "reason": "weather"}, "reason"),
    ],
)
def test_it_rejects_answers_out_of_range(sent_survey, fields, code):
    survey = sent_survey()

    with pytest.raises(TicketError) as error:
        survey_answer(survey=survey, **fields)

    assert error.value.code == code
    survey.refresh_from_db()
    assert survey.rating is None


@pytest.mark.parametrize("state", [Survey.State.SCHEDULED, Survey.State.CANCELLED])
def test_it_refuses_answers_to_unsent_surveys(ticket, agent, state):
    resolve(ticket, agent)
    Survey.objects.update(state=state)

    with pytest.raises(TicketError):
        survey_answer(survey=Survey.objects.get(), rating=5)


# Service recovery -------------------------------------------------------------------


def test_it_opens_a_follow_up_on_a_low_rating(sent_survey, agent):
    survey = sent_survey()
    ticket_set_tags(ticket=survey.ticket, actor=agent, tags=["export"])

    survey_answer(survey=survey, rating=1, reason=Reason.AGENT, comment="Nobody listened")

    ticket = survey.ticket
    assert set(ticket.tags.values_list("name", flat=True)) == {"export", "service-recovery"}
    [follow_up] = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.FOLLOW_UP_OPENED)
    assert follow_up.data == {"survey": survey.pk, "rating": 1, "reason": Reason.AGENT}
    survey.refresh_from_db()
    assert survey.follow_up_opened


def test_it_does_not_open_a_follow_up_on_a_good_rating(sent_survey):
    survey = sent_survey()

    survey_answer(survey=survey, rating=3)

    assert not TicketEvent.objects.filter(kind=EventKind.FOLLOW_UP_OPENED).exists()
    assert not survey.ticket.tags.filter(name="service-recovery").exists()


def test_it_alerts_the_replying_agents_and_their_manager(
    sent_survey, agent, manager, make_user, queue, other_agent
):
    bystander = make_user(Role.AGENT, first_name="Sam")
    queue.agents.add(bystander)
    survey = sent_survey()
    mail.outbox.clear()
    survey_answer(survey=survey, rating=2, comment="It took a week")
    follow_up = TicketEvent.objects.get(kind=EventKind.FOLLOW_UP_OPENED)

    assert event_deliver(follow_up.pk, "surveys.low_rating_alert")
    assert not event_deliver(follow_up.pk, "surveys.low_rating_alert")

    [alert] = mail.outbox
    assert sorted(alert.to) == sorted([agent.email, manager.email])
    assert f"#{survey.ticket_id}" in alert.subject
    assert "It took a week" in alert.body
    assert f"/tickets/{survey.ticket_id}/" in alert.body


def test_it_opens_one_follow_up_for_repeated_low_ratings(sent_survey):
    survey = sent_survey()

    survey_answer(survey=survey, rating=1)
    survey_answer(survey=survey, rating=1)
    survey_answer(survey=survey, rating=5)
    survey_answer(survey=survey, rating=2)

    assert TicketEvent.objects.filter(kind=EventKind.FOLLOW_UP_OPENED).count() == 1
    assert TicketEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED).count() == 1


def test_it_opens_a_follow_up_when_a_good_rating_is_lowered(sent_survey):
    survey = sent_survey()

    survey_answer(survey=survey, rating=4)
    assert not TicketEvent.objects.filter(kind=EventKind.FOLLOW_UP_OPENED).exists()
    survey_answer(survey=survey, rating=1, reason=Reason.POLICY)

    [follow_up] = TicketEvent.objects.filter(kind=EventKind.FOLLOW_UP_OPENED)
    assert follow_up.data["reason"] == Reason.POLICY
