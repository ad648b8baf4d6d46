"""SLA deadlines and the explained priority score of a ticket, recomputed on each event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from helpdesk.resilience import redis_failed, redis_usable
from tickets import priority as priority_rules
from tickets.models import EventKind, MessageKind, Queue, SlaPolicy, Status, Ticket
from tickets.outbox import event_record
from tickets.sla import BusinessCalendar, SlaClock, SlaState, SlaTargets, evaluate_sla

# Used when no SlaPolicy row matches, in business minutes: (first, next, resolution).
DEFAULT_TARGETS: dict[str, tuple[int, int, int]] = {
    "urgent": (60, 120, 8 * 60),
    "high": (4 * 60, 4 * 60, 3 * 8 * 60),
    "normal": (8 * 60, 8 * 60, 5 * 8 * 60),
    "low": (2 * 8 * 60, 2 * 8 * 60, 10 * 8 * 60),
}
TIER_FACTOR = {"vip": 0.5, "premium": 0.75, "standard": 1.0}
WARN_FRACTION = 0.2
REPEAT_CONTACT_WINDOW = timedelta(days=14)
PRIORITY_TEXT_CHARS = 8_000


def calendar_for(queue: Queue) -> BusinessCalendar:
    hours = {
        int(day): tuple(
            (time.fromisoformat(start), time.fromisoformat(end)) for start, end in spans
        )
        for day, spans in (queue.business_hours or {}).items()
    }
    holidays = frozenset(date.fromisoformat(d) for d in queue.holidays or [])
    try:
        return BusinessCalendar(ZoneInfo(queue.timezone), hours, holidays)
    except ValueError:
        # A queue saved without any opening hours falls back to 24/7, not to a crash.
        return BusinessCalendar.always(queue.timezone, holidays)


Policies = dict[tuple[str, str], SlaPolicy]
# Policies are a handful of rows read on every ticket change and written by an admin now
# and then: cached whole, under a version that every save or delete bumps. The timeout
# bounds staleness after writes that send no signal (bulk updates, raw SQL).
_POLICIES_KEY = "sla:policies"
_POLICIES_VERSION_KEY = "sla:policies:version"
POLICIES_CACHE_SECONDS = 300


def sla_policies() -> Policies:
    """Every SLA policy by (priority, tier), from the cache when it holds the current set."""
    version: Any = None
    if redis_usable():
        try:
            found = cache.get_many([_POLICIES_KEY, _POLICIES_VERSION_KEY])
        except Exception as exc:  # the cache is down: the database still answers
            redis_failed(exc)
        else:
            version = found.get(_POLICIES_VERSION_KEY, 0)
            cached = found.get(_POLICIES_KEY)
            if cached is not None and cached[0] == version:
                return dict(cached[1])
    policies = {(p.priority, p.tier): p for p in SlaPolicy.objects.all()}
    if version is not None:
        # Stored with the version read *before* the query: a policy saved meanwhile has
        # bumped the version, so this copy is never served as current.
        try:
            cache.set(_POLICIES_KEY, (version, policies), POLICIES_CACHE_SECONDS)
        except Exception as exc:
            redis_failed(exc)
    return policies


def _policies_changed() -> None:
    try:
        if not cache.add(_POLICIES_VERSION_KEY, 1, timeout=None):
            cache.incr(_POLICIES_VERSION_KEY)
    except Exception as exc:  # a stale copy expires with POLICIES_CACHE_SECONDS
        redis_failed(exc)


@receiver([post_save, post_delete], sender=SlaPolicy)
def _policy_saved_or_deleted(**kwargs: object) -> None:
    # Bump now and again at commit, so a copy read before the commit is dropped too.
    _policies_changed()
    transaction.on_commit(_policies_changed)


def targets_for(ticket: Ticket, policies: Policies | None = None) -> SlaTargets:
    tier = ticket.requester.effective_tier
    policy = (policies if policies is not None else sla_policies()).get((ticket.priority, tier))
    if policy is not None:
        return SlaTargets(
            policy.first_response_minutes, policy.next_response_minutes, policy.resolution_minutes
        )
    factor = TIER_FACTOR.get(tier, 1.0)
    first, nxt, resolution = DEFAULT_TARGETS[ticket.priority]
    return SlaTargets(first * factor, nxt * factor, resolution * factor)


def _pauses(ticket: Ticket) -> tuple[tuple[datetime, datetime | None], ...]:
    return tuple(
        (datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None)
        for start, end in ticket.sla_pauses
    )


def sla_state(ticket: Ticket, now: datetime, *, targets: SlaTargets | None = None) -> SlaState:
    return evaluate_sla(
        calendar_for(ticket.queue),
        targets or targets_for(ticket),
        now,
        first_response=SlaClock(ticket.created_at, ticket.first_responded_at),
        next_response=(
            SlaClock(ticket.awaiting_reply_since)
            if ticket.first_responded_at and ticket.awaiting_reply_since
            else None
        ),
        resolution=SlaClock(ticket.created_at, ticket.resolved_at),
        pauses=_pauses(ticket),
        warn_fraction=WARN_FRACTION,
    )


def ticket_refresh(
    ticket: Ticket, *, now: datetime | None = None, customer_bodies: Sequence[str] | None = None
) -> list[str]:
    """Recompute SLA deadlines and the priority score in place; returns changed fields.

    The caller saves with `update_fields` inside its own transaction. `customer_bodies`,
    oldest first, spares reading the customer's messages when the caller holds them (a
    ticket being created, not saved yet).
    """
    now = now or timezone.now()
    state = sla_state(ticket, now)
    ticket.first_response_due = state.first_response.due if state.first_response else None
    ticket.next_response_due = state.next_response.due if state.next_response else None
    ticket.resolution_due = state.resolution.due if state.resolution else None

    running = state.next_due
    minutes_to_breach: float | None = None
    if running is not None and running.due is not None and ticket.is_open:
        minutes_to_breach = (running.due - now).total_seconds() / 60
    waiting_since = ticket.awaiting_reply_since or (
        None if ticket.first_responded_at else ticket.created_at
    )
    waiting = (now - waiting_since).total_seconds() / 60 if waiting_since else 0.0
    result = priority_rules.compute_priority(
        priority_rules.PriorityInputs(
            urgency=priority_rules.Urgency(ticket.priority),
            tier=priority_rules.Tier(ticket.requester.effective_tier),
            text=_customer_text(ticket, customer_bodies),
            repeat_contacts=_repeat_contacts(ticket),
            minutes_to_breach=minutes_to_breach,
            waiting_minutes=max(waiting, 0.0) if ticket.is_open else 0.0,
        )
    )
    ticket.priority_score = result.score if ticket.is_open else 0
    ticket.priority_reasons = [
        {"code": r.code, "label": r.label, "points": r.points, "detail": r.detail}
        for r in result.reasons
    ]
    ticket.frustration = round(result.frustration, 3)
    ticket.challenging = result.challenging
    return [
        "first_response_due",
        "next_response_due",
        "resolution_due",
        "priority_score",
        "priority_reasons",
        "frustration",
        "challenging",
    ]


CUSTOMER_MESSAGES_SCORED = 5


def _customer_text(ticket: Ticket, bodies: Sequence[str] | None) -> str:
    if bodies is None:
        latest = ticket.messages.filter(kind=MessageKind.CUSTOMER).order_by("-created_at")
        bodies = list(reversed(latest.values_list("body", flat=True)[:CUSTOMER_MESSAGES_SCORED]))
    text = [ticket.subject, *bodies[-CUSTOMER_MESSAGES_SCORED:]]
    return "\n".join(text)[:PRIORITY_TEXT_CHARS]


def _repeat_contacts(ticket: Ticket) -> int:
    """Other recent tickets from the same requester in the same queue.

    A proxy for "contacting us again about the same issue": same person, same kind of
    problem, within two weeks.
    """
    since = ticket.created_at - REPEAT_CONTACT_WINDOW
    others = Ticket.objects.filter(
        requester_id=ticket.requester_id, queue_id=ticket.queue_id, created_at__gte=since
    )
    if ticket.pk is not None:  # a ticket being created is not in the table yet
        others = others.exclude(pk=ticket.pk)
    return others.filter(merged_into__isnull=True).count()


def sla_check(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Record SLA warnings and breaches as events (once per target); returns events written.

    Candidates are read in pk batches of `limit`; only those with something new to
    record are locked and written.
    """
    from django.db import transaction

    now = now or timezone.now()
    horizon = now + timedelta(hours=8)
    due_soon = Q(first_response_due__lte=horizon, first_responded_at__isnull=True)
    due_soon |= Q(next_response_due__lte=horizon)
    due_soon |= Q(resolution_due__lte=horizon, resolved_at__isnull=True)
    candidates = (
        Ticket.objects.open()
        .exclude(status=Status.PENDING)
        .filter(due_soon)
        .select_related("requester__organisation", "queue")
        .order_by("pk")
    )
    written = 0
    policies = sla_policies()
    last_pk = 0
    while batch := list(candidates.filter(pk__gt=last_pk)[:limit]):
        last_pk = batch[-1].pk
        for candidate in batch:
            # Decide without a lock first: open tickets whose warnings and breaches are
            # all recorded stay candidates, and must not crowd the others out of a batch.
            if not _sla_news(
                candidate, sla_state(candidate, now, targets=targets_for(candidate, policies))
            ):
                continue
            with transaction.atomic():
                # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the
                # outer join to the organisation.
                ticket = (
                    Ticket.objects.select_for_update(of=("self",))
                    .select_related("requester__organisation", "queue")
                    .get(pk=candidate.pk)
                )
                state = sla_state(ticket, now, targets=targets_for(ticket, policies))
                changed: set[str] = set()
                for status in state.statuses:
                    if status.met:
                        continue
                    if status.breached and status.name not in ticket.sla_breached:
                        ticket.sla_breached = [*ticket.sla_breached, status.name]
                        event_record(
                            ticket=ticket,
                            kind=EventKind.SLA_BREACHED,
                            data={
                                "target": status.name,
                                "due": status.due.isoformat() if status.due else None,
                            },
                            at=now,
                        )
                        changed.add("sla_breached")
                        written += 1
                    elif status.warning and status.name not in ticket.sla_warned:
                        ticket.sla_warned = [*ticket.sla_warned, status.name]
                        event_record(
                            ticket=ticket,
                            kind=EventKind.SLA_WARNING,
                            data={
                                "target": status.name,
                                "due": status.due.isoformat() if status.due else None,
                                "remaining_minutes": round(status.remaining_minutes),
                            },
                            at=now,
                        )
                        changed.add("sla_warned")
                        written += 1
                if changed:
                    changed.update(ticket_refresh(ticket, now=now))
                    ticket.save(update_fields=sorted(changed))
    return written


def _sla_news(ticket: Ticket, state: SlaState) -> bool:
    """Has `state` a breach or warning that is not recorded on the ticket yet?"""
    return any(
        not status.met
        and (
            (status.breached and status.name not in ticket.sla_breached)
            or (status.warning and status.name not in ticket.sla_warned)
        )
        for status in state.statuses
    )


def priority_sweep(*, batch: int = 500) -> int:
    """Recompute scores of open tickets, since waiting time and SLA proximity change alone."""
    from django.db import transaction

    now = timezone.now()
    updated = 0
    last_pk = 0
    while True:
        ids = list(
            Ticket.objects.open()
            .filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return updated
        last_pk = ids[-1]
        with transaction.atomic():
            for ticket in (
                Ticket.objects.select_for_update(of=("self",))
                .select_related("requester__organisation", "queue")
                .filter(pk__in=ids)
            ):
                ticket.save(update_fields=ticket_refresh(ticket, now=now))
                updated += 1
