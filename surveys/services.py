"""Scheduling, sending, answering and following up CSAT surveys."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from surveys.models import Reason, Survey, SurveyCredit
from surveys.tokens import survey_token
from tickets.access import tickets_visible_to
from tickets.errors import TicketError
from tickets.models import Customer, EventKind, Message, MessageKind, Status, TicketEvent
from tickets.outbox import event_record, events_record
from tickets.services import ticket_set_tags

logger = logging.getLogger(__name__)

LOW_RATING = 2
# A mail the server refused is tried again after this, not on every dispatch.
SEND_RETRY = timedelta(hours=1)
# A survey whose customer another dispatcher is surveying right now waits this long;
# then the cooldown decides (it is sent only if that other survey's mail failed).
CUSTOMER_BUSY_RETRY = timedelta(minutes=1)
DONE = (Status.RESOLVED, Status.CLOSED)
# Surveys claimed, mailed and committed together: fewer round trips and commits per
# survey, but also the most that a killed worker can mail twice (surveys_dispatch_due).
DISPATCH_BATCH = 100
SUBJECT_TEMPLATE = "surveys/email/survey_subject.txt"
TEXT_TEMPLATE = "surveys/email/survey.txt"
HTML_TEMPLATE = "surveys/email/survey.html"


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


def _survey_mail(survey: Survey, *, reminder: bool) -> EmailMultiAlternatives:
    context = {
        "survey": survey,
        "ticket": survey.ticket,
        "customer": survey.customer,
        "ratings": [(r, survey_url(survey, r)) for r in range(1, 6)],
        "url": survey_url(survey),
        "reminder": reminder,
    }
    subject = " ".join(get_template(SUBJECT_TEMPLATE).render(context).split())[:200]
    mail = EmailMultiAlternatives(
        subject=subject,
        body=get_template(TEXT_TEMPLATE).render(context),
        to=[survey.customer.user.email],
        headers={"Auto-Submitted": "auto-generated", "Precedence": "bulk"},
    )
    mail.attach_alternative(get_template(HTML_TEMPLATE).render(context), "text/html")
    return mail


def _try_send(connection: BaseEmailBackend, survey: Survey, *, reminder: bool) -> bool:
    try:
        connection.send_messages([_survey_mail(survey, reminder=reminder)])
    # Refused or malformed addresses and SMTP outages: this survey waits, others go.
    # Anything else (a time limit, a shutdown) must stop the run, not be swallowed.
    except (smtplib.SMTPException, OSError, ValueError):
        logger.warning("Could not mail survey %s; will try again.", survey.pk, exc_info=True)
        return False
    return True


@dataclass
class _Batch:
    """What became of each survey of a claimed batch."""

    sent: list[Survey] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    postponed: list[Survey] = field(default_factory=list)
    # Raised while mailing; re-raised once what was already mailed is committed.
    interrupted: BaseException | None = None


def _sort_batch(surveys: list[Survey], now: datetime) -> tuple[_Batch, list[Survey]]:
    """Cancel (ticket reopened), postpone (customer busy in another batch, quiet hours)
    and skip (cooldown, no address); return the rest to mail."""
    batch = _Batch()
    cooldown_days = settings.ATTUNE_SURVEY_COOLDOWN_DAYS
    customer_ids = {s.customer_id for s in surveys}
    # Two dispatchers can claim two surveys of one customer (two tickets resolved
    # together), and each would pass the cooldown check before the other commits. So a
    # batch locks its customers first and leaves out those another batch holds: their
    # surveys try again a minute later, when that batch has normally committed and the
    # check skips them. SKIP LOCKED, because a dispatcher must not wait for another's whole batch of
    # mail (nor risk a deadlock); NO KEY, so new tickets and surveys referring to these
    # customers are not held up.
    ours = set(
        Customer.objects.filter(pk__in=customer_ids)
        .select_for_update(no_key=True, skip_locked=True)
        .values_list("pk", flat=True)
    )
    # Checked again at sending time: two tickets resolved close together are both
    # scheduled before either survey is sent. One query for the whole batch, a later
    # statement than the lock, so under READ COMMITTED it sees what the lock's previous
    # holder committed.
    surveyed = set(
        Survey.objects.filter(
            customer_id__in=ours,
            sent_at__gte=now - timedelta(days=cooldown_days),
        ).values_list("customer_id", flat=True)
    )
    to_mail: list[Survey] = []
    for survey in surveys:
        # The reopen handler cancels a scheduled survey, but it can run after the delay
        # (worker down, a backlog on its queue): the ticket's status, read with the
        # claim, is what says whether it is still done.
        if survey.ticket.status not in DONE:
            batch.cancelled.append(survey.pk)
            continue
        if survey.customer_id in ours:
            later = _quiet_until(survey, now)
        else:
            later = now + CUSTOMER_BUSY_RETRY
        if later is not None:
            survey.send_after = later
            batch.postponed.append(survey)
        elif survey.customer_id in surveyed or not survey.customer.user.email:
            batch.skipped.append(survey.pk)
        else:
            to_mail.append(survey)
            if cooldown_days:
                surveyed.add(survey.customer_id)  # the customer's next survey in this batch
    return batch, to_mail


def _close_quietly(connection: BaseEmailBackend) -> None:
    # The mails have left: a failed QUIT must not roll back their record and resend them.
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        logger.warning("Could not close the mail connection cleanly.", exc_info=True)


def _dispatch_batch(surveys: list[Survey], now: datetime) -> _Batch:
    """Mail a locked batch over one connection and record the outcome in its transaction."""
    batch, to_mail = _sort_batch(surveys, now)
    if to_mail:
        connection = get_connection()
        try:
            # An unreachable server fails every survey of the batch alike, below.
            connection.open()
            for survey in to_mail:
                if _try_send(connection, survey, reminder=False):
                    batch.sent.append(survey)
                else:
                    batch.failed.append(survey.pk)
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("Could not reach the mail server: %s; will try again.", exc)
            done = {s.pk for s in batch.sent}
            batch.failed = [s.pk for s in to_mail if s.pk not in done]
        except BaseException as exc:  # re-raised by the caller, after the commit
            batch.interrupted = exc
        finally:
            _close_quietly(connection)
    if batch.postponed:
        Survey.objects.bulk_update(batch.postponed, ["send_after"])
    if batch.skipped:
        Survey.objects.filter(pk__in=batch.skipped).update(state=Survey.State.SKIPPED)
    if batch.cancelled:
        Survey.objects.filter(pk__in=batch.cancelled).update(state=Survey.State.CANCELLED)
    if batch.failed:
        Survey.objects.filter(pk__in=batch.failed).update(send_after=now + SEND_RETRY)
    if batch.sent:
        Survey.objects.filter(pk__in=[s.pk for s in batch.sent]).update(
            state=Survey.State.SENT, sent_at=now
        )
        events_record(
            kind=EventKind.SURVEY_SENT,
            tickets_data=[(s.ticket_id, {"survey": s.pk}) for s in batch.sent],
            at=now,
        )
    return batch


def surveys_dispatch_due(
    *,
    now: datetime | None = None,
    batch_size: int = DISPATCH_BATCH,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Send every due survey once; return how many were sent. Safe to run concurrently.

    Due surveys are claimed `batch_size` at a time with FOR UPDATE SKIP LOCKED, so
    concurrent dispatchers take different ones. A batch then locks its customers, also
    skipping locked ones: when two dispatchers claim two surveys of one customer, one
    of them postpones its survey by CUSTOMER_BUSY_RETRY, after which the cooldown skips
    it. Within a batch the oldest survey of a customer is sent, the others skipped.
    A batch's mails go out over one connection, then the batch's surveys are marked
    sent, and their SURVEY_SENT events inserted, in the transaction that holds their
    locks: the database never has a sent survey without its event, nor two events for
    one survey.

    Mail and database cannot commit together. If the process is killed after mailing
    and before the commit (SIGKILL, Celery's hard time limit, a power cut), the batch is
    rolled back and unlocked, and the next run mails it again: at-least-once mail, at
    most `batch_size` duplicates per crash, and never a survey lost. The alternative,
    committing "sending" before mailing, would lose those surveys instead; a duplicate
    survey is the lesser harm. An exception while mailing (the soft time limit, a warm
    shutdown) is not a crash: what already left is committed as sent, then it propagates.

    `stop` is asked before each batch (a task's time budget); True ends the run there.
    """
    sent = 0
    fixed_now = now
    while stop is None or not stop():
        # A caller's `now` holds throughout; otherwise each batch reads the clock.
        now = fixed_now or timezone.now()
        with transaction.atomic():
            surveys = list(
                Survey.objects.due(now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("ticket", "customer__user")[:batch_size]
            )
            if not surveys:
                break
            batch = _dispatch_batch(surveys, now)
        sent += len(batch.sent)
        if batch.interrupted is not None:
            raise batch.interrupted
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
            if not _try_send(get_connection(), survey, reminder=True):
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
