"""Scheduling, sending, answering and following up CSAT surveys."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from surveys.models import Reason, Survey, SurveyCredit
from surveys.tokens import survey_token
from tickets.access import tickets_visible_to
from tickets.errors import TicketError
from tickets.models import EventKind, Message, MessageKind, Status, TicketEvent
from tickets.outbox import event_record
from tickets.services import ticket_set_tags

logger = logging.getLogger(__name__)

LOW_RATING = 2
# A mail the server refused is tried again after this, not on every dispatch.
SEND_RETRY = timedelta(hours=1)
DONE = (Status.RESOLVED, Status.CLOSED)


def survey_schedule(*, resolution: TicketEvent) -> Survey | None:
    """Create the survey for one resolution; None if the customer was surveyed recently.

    The OneToOne on the resolution event makes a second call (a redelivered task, a
    concurrent sweep) fail at the database instead of creating a duplicate.
    """
    ticket = resolution.ticket
    now = timezone.now()
    cooldown_since = now - timedelta(days=settings.ATTUNE_SURVEY_COOLDOWN_DAYS)
    recently = Survey.objects.filter(
        customer_id=ticket.requester_id, sent_at__gte=cooldown_since
    ).exists()
    # Outbox handlers run in parallel and the sweep retries late, so the reopening may
    # have been handled before this resolution: then there is nothing to survey.
    reopened = (
        TicketEvent.objects.filter(
            ticket=ticket, kind=EventKind.STATUS_CHANGED, pk__gt=resolution.pk
        )
        .filter(Q(data__from__in=DONE) & ~Q(data__to__in=DONE))
        .exists()
    )
    if reopened:
        state = Survey.State.CANCELLED
    elif recently:
        state = Survey.State.SKIPPED
    else:
        state = Survey.State.SCHEDULED
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                ticket=ticket,
                resolution_event=resolution,
                customer_id=ticket.requester_id,
                queue_id=ticket.queue_id,
                resolved_at=resolution.created_at,
                send_after=resolution.created_at
                + timedelta(seconds=settings.ATTUNE_SURVEY_DELAY_SECONDS),
                state=state,
            )
    except IntegrityError:
        return None
    # Credit goes to everyone who answered the customer publicly, not to the assignee.
    agent_ids = set(
        Message.objects.filter(
            ticket=ticket, kind=MessageKind.REPLY, created_at__lte=resolution.created_at
        )
        .exclude(author__isnull=True)
        .values_list("author_id", flat=True)
    )
    SurveyCredit.objects.bulk_create(
        [SurveyCredit(survey=survey, agent_id=agent_id) for agent_id in sorted(agent_ids)]
    )
    return survey


def surveys_cancel_for_reopen(*, ticket_id: int) -> int:
    """A reopened ticket is not done: unsent surveys for it are cancelled."""
    return Survey.objects.filter(ticket_id=ticket_id, state=Survey.State.SCHEDULED).update(
        state=Survey.State.CANCELLED
    )


def _quiet_until(survey: Survey, now: datetime) -> datetime | None:
    """If it is night for the customer, when their morning starts (UTC); else None."""
    start, end = settings.ATTUNE_SURVEY_QUIET_HOURS
    try:
        tz = ZoneInfo(survey.customer.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    local = now.astimezone(tz)
    hour = local.hour
    quiet = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not quiet:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += timedelta(days=1)
    return morning.astimezone(ZoneInfo("UTC"))


def survey_url(survey: Survey, rating: int | None = None) -> str:
    return settings.SITE_URL + reverse("surveys:answer", args=[survey_token(survey.pk, rating)])


def _send_survey_mail(survey: Survey, *, reminder: bool) -> None:
    context = {
        "survey": survey,
        "ticket": survey.ticket,
        "customer": survey.customer,
        "ratings": [(r, survey_url(survey, r)) for r in range(1, 6)],
        "url": survey_url(survey),
        "reminder": reminder,
    }
    subject = " ".join(render_to_string("surveys/email/survey_subject.txt", context).split())[:200]
    mail = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("surveys/email/survey.txt", context),
        to=[survey.customer.user.email],
        headers={"Auto-Submitted": "auto-generated", "Precedence": "bulk"},
    )
    mail.attach_alternative(render_to_string("surveys/email/survey.html", context), "text/html")
    mail.send()


def _try_send_survey_mail(survey: Survey, *, reminder: bool) -> bool:
    try:
        _send_survey_mail(survey, reminder=reminder)
    # Refused or malformed addresses and SMTP outages: this survey waits, others go.
    # Anything else (a time limit, a shutdown) must stop the run, not be swallowed.
    except (smtplib.SMTPException, OSError, ValueError):
        logger.warning("Could not mail survey %s; will try again.", survey.pk, exc_info=True)
        return False
    return True


def _dispatch_one(survey: Survey, now: datetime) -> bool:
    """Send one locked, due survey unless it must wait or be skipped. True if sent."""
    later = _quiet_until(survey, now)
    if later is not None:
        survey.send_after = later
        survey.save(update_fields=["send_after"])
        return False
    # Checked again at sending time: two tickets resolved close together are both
    # scheduled before either survey is sent.
    cooldown_since = now - timedelta(days=settings.ATTUNE_SURVEY_COOLDOWN_DAYS)
    surveyed = (
        Survey.objects.filter(customer_id=survey.customer_id, sent_at__gte=cooldown_since)
        .exclude(pk=survey.pk)
        .exists()
    )
    if surveyed or not survey.customer.user.email:
        survey.state = Survey.State.SKIPPED
        survey.save(update_fields=["state"])
        return False
    if not _try_send_survey_mail(survey, reminder=False):
        survey.send_after = now + SEND_RETRY
        survey.save(update_fields=["send_after"])
        return False
    survey.state = Survey.State.SENT
    survey.sent_at = now
    survey.save(update_fields=["state", "sent_at"])
    event_record(
        ticket=survey.ticket, kind=EventKind.SURVEY_SENT, data={"survey": survey.pk}, at=now
    )
    return True


def surveys_dispatch_due(*, now: datetime | None = None, limit: int = 10_000) -> int:
    """Send every due survey once. Safe to run in several workers at the same time.

    Each survey is locked with SKIP LOCKED, so concurrent dispatchers take different
    ones, and it is marked sent in its own transaction right after its mail: a run
    interrupted by a time limit or a restart cannot roll back what was already mailed.
    """
    sent = 0
    fixed_now = now
    while sent < limit:
        # A caller's `now` holds throughout; otherwise each survey reads the clock.
        now = fixed_now or timezone.now()
        with transaction.atomic():
            survey = (
                Survey.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=Survey.State.SCHEDULED, send_after__lte=now)
                .select_related("ticket", "customer__user")
                .order_by("send_after", "pk")
                .first()
            )
            if survey is None:
                break
            if _dispatch_one(survey, now):
                sent += 1
    return sent


def surveys_send_reminders(*, now: datetime | None = None) -> int:
    """One reminder, a few days after sending, for surveys still unanswered and open.

    As in dispatching, each reminder is recorded in its own transaction, right after
    its mail.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ATTUNE_SURVEY_REMINDER_DAYS)
    closes_after = now - timedelta(days=settings.ATTUNE_SURVEY_EDIT_DAYS)
    due = Survey.objects.filter(
        state=Survey.State.SENT,
        rating__isnull=True,
        reminded_at__isnull=True,
        sent_at__lte=cutoff,
        sent_at__gt=closes_after,
    )
    reminded = 0
    for survey_id in list(due.order_by("sent_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            survey = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("ticket", "customer__user")
                .filter(pk=survey_id)
                .first()
            )
            if survey is None:
                continue  # answered meanwhile, or another run has it
            if _quiet_until(survey, now) is not None:
                continue  # night for the customer: a later hourly run reminds them
            if not _try_send_survey_mail(survey, reminder=True):
                continue  # a later hourly run tries again
            survey.reminded_at = now
            survey.save(update_fields=["reminded_at"])
            reminded += 1
    return reminded


def survey_is_closed(survey: Survey, now: datetime | None = None) -> bool:
    if survey.state != Survey.State.SENT or survey.sent_at is None:
        return True
    now = now or timezone.now()
    return now > survey.sent_at + timedelta(days=settings.ATTUNE_SURVEY_EDIT_DAYS)


@transaction.atomic
def survey_answer(
    *,
    survey: Survey,
    rating: int,
    understood: int | None = None,
    comment: str = "",
    reason: str = "",
) -> Survey:
    """Record (or change, within the window) the customer's answer. Idempotent."""
    survey = Survey.objects.select_for_update().select_related("ticket").get(pk=survey.pk)
    if survey_is_closed(survey):
        raise TicketError("This survey is closed.", code="closed")
    if rating not in range(1, 6):
        raise TicketError("Choose a rating from 1 to 5.", code="rating")
    if understood is not None and understood not in range(1, 6):
        raise TicketError("Choose from 1 to 5 for feeling understood.", code="understood")
    if reason and reason not in Reason.values:
        raise TicketError("Unknown reason.", code="reason")
    first_answer = survey.rating is None
    survey.rating = rating
    survey.understood = understood
    survey.comment = comment.strip()[:5000]
    # A reason only explains a low rating; it is dropped if the rating goes up.
    survey.reason = reason if rating <= LOW_RATING else ""
    survey.answered_at = timezone.now()
    survey.save(update_fields=["rating", "understood", "comment", "reason", "answered_at"])
    if first_answer:
        event_record(
            ticket=survey.ticket,
            kind=EventKind.SURVEY_ANSWERED,
            data={"survey": survey.pk, "rating": rating},
        )
    if rating <= LOW_RATING and not survey.follow_up_opened:
        _follow_up(survey)
    return survey


def _follow_up(survey: Survey) -> None:
    """Service recovery: tag the ticket, record it, and alert the agents and managers."""
    survey.follow_up_opened = True
    survey.save(update_fields=["follow_up_opened"])
    ticket = survey.ticket
    tags = [*ticket.tags.values_list("name", flat=True), "service-recovery"]
    ticket_set_tags(ticket=ticket, actor=None, tags=tags)
    event_record(
        ticket=ticket,
        kind=EventKind.FOLLOW_UP_OPENED,
        data={"survey": survey.pk, "rating": survey.rating, "reason": survey.reason},
    )
    # The alert mail is sent by the outbox handler for this event (surveys.handlers).


def low_rating_alert_send(*, survey: Survey) -> int:
    """Mail the agents who replied and their managers about a low rating."""
    ticket = survey.ticket
    agents = list(User.objects.filter(survey_credits__survey=survey))
    managers = User.objects.filter(managed_teams__members__in=agents).distinct()
    # The mail quotes the ticket and the customer's comment: only to people who may open
    # it (a manager of an agent who also works another team's queue may not).
    recipients = sorted(
        {
            u.email
            for u in [*agents, *managers]
            if u.email and tickets_visible_to(u).filter(pk=ticket.pk).exists()
        }
    )
    if recipients:
        send_mail(
            subject=f"Low satisfaction on ticket #{ticket.pk}: please follow up",
            message=render_to_string(
                "surveys/email/low_rating_alert.txt",
                {"survey": survey, "ticket": ticket, "site_url": settings.SITE_URL},
            ),
            from_email=None,
            recipient_list=recipients,
        )
    return len(recipients)
