"""Reads that encode rules: the agent queue, its keyset pagination, a ticket's neighbours and
its conversation as the ticket page shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import IntegerField, Q, QuerySet, Value
from django.utils import timezone
from django.utils.dates import MONTHS_3

from accounts.models import User
from tickets.access import tickets_visible_to
from tickets.models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    EventKind,
    Message,
    MessageKind,
    Ticket,
)

QUEUE_VIEWS = ("mine", "unassigned", "team", "breaching", "all")
PAGE_SIZE = 50
BREACHING_SOON = timedelta(hours=2)


@dataclass(frozen=True)
class Cursor:
    score: int
    created_at: datetime
    pk: int

    def encode(self) -> str:
        return f"{self.score}~{self.created_at.isoformat()}~{self.pk}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        if not raw:
            return None
        try:
            score, created, pk = raw.split("~")
            return cls(int(score), datetime.fromisoformat(created), int(pk))
        except ValueError:
            return None


def queue_tickets(
    *,
    user: User,
    view: str = "mine",
    status: str = "",
    queue_slug: str = "",
    priority: str = "",
    tag: str = "",
    assignee_id: int | None = None,
    channel: str = "",
    tier: str = "",
) -> QuerySet[Ticket]:
    tickets = tickets_visible_to(user).filter(merged_into__isnull=True)
    tickets = tickets.filter(status=status) if status else tickets.filter(status__in=OPEN_STATUSES)
    if queue_slug:
        tickets = tickets.filter(queue__slug=queue_slug)
    if priority:
        tickets = tickets.filter(priority=priority)
    if tag:
        # A subquery, not a join, so a ticket never appears twice in the queue.
        tickets = tickets.filter(
            pk__in=Ticket.tags.through.objects.filter(tag__name=tag).values("ticket_id")
        )
    if assignee_id is not None:
        tickets = tickets.filter(assignee_id=assignee_id)
    if channel:
        tickets = tickets.filter(channel=channel)
    if tier:
        tickets = tickets.filter(
            Q(requester__tier=tier) | Q(requester__tier="", requester__organisation__tier=tier)
        )
    if view == "mine":
        tickets = tickets.filter(assignee=user)
    elif view == "unassigned":
        tickets = tickets.filter(assignee__isnull=True)
    elif view == "team":
        tickets = tickets.filter(queue__team__members=user)
    elif view == "breaching":
        soon = timezone.now() + BREACHING_SOON
        tickets = tickets.filter(
            Q(first_response_due__lte=soon, first_responded_at__isnull=True)
            | Q(next_response_due__lte=soon)
            | Q(resolution_due__lte=soon)
        )
    return tickets


def _after(tickets: QuerySet[Ticket], cursor: Cursor) -> QuerySet[Ticket]:
    """The tickets after `cursor` in queue order."""
    # The redundant bound lets PostgreSQL start the index scan at the cursor instead of
    # filtering every row before it.
    return tickets.filter(priority_score__lte=cursor.score).filter(
        Q(priority_score__lt=cursor.score)
        | Q(priority_score=cursor.score, created_at__gt=cursor.created_at)
        | Q(priority_score=cursor.score, created_at=cursor.created_at, pk__gt=cursor.pk)
    )


QUEUE_ORDER = ("-priority_score", "created_at", "id")


def queue_page(
    tickets: QuerySet[Ticket], *, after: Cursor | None, size: int = PAGE_SIZE
) -> tuple[list[Ticket], Cursor | None]:
    """One page in queue order, continuing after `after`: constant cost at any depth."""
    ordered = tickets.order_by(*QUEUE_ORDER).select_related(
        "requester__user", "requester__organisation", "assignee", "queue"
    )
    if after is not None:
        ordered = _after(ordered, after)
    rows = list(ordered[: size + 1])
    next_cursor = None
    if len(rows) > size:
        last = rows[size - 1]
        next_cursor = Cursor(last.priority_score, last.created_at, last.pk)
    return rows[:size], next_cursor


def ticket_neighbours(
    *, user: User, ticket: Ticket, others: int = 5
) -> tuple[Ticket | None, list[Ticket]]:
    """The ticket to work on after `ticket`, and the requester's other tickets, newest first.

    The next one is the ticket right after this one in the all-queues order; the others
    are only tickets `user` may open, so the list never leaks other queues' subjects.
    Both are plain links on the ticket page, so one UNION ALL reads them in one round trip.
    """
    slot = IntegerField()
    # Only what the links show: a UNION of whole rows cost more to build than to run.
    shown = ("pk", "subject", "status", "created_at")
    following = queue_tickets(user=user, view="all")
    if ticket.is_open:
        following = _after(following, Cursor(ticket.priority_score, ticket.created_at, ticket.pk))
    # A resolved or closed ticket has left the queue (score 0, so nothing sorts after it):
    # the next one to work on is then the top of the queue, as after "resolve" by key.
    following = (
        following.order_by(*QUEUE_ORDER).only(*shown).annotate(slot=Value(0, output_field=slot))[:1]
    )
    same_requester = (
        tickets_visible_to(user)
        .filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .order_by("-created_at", "-id")
        .only(*shown)
        .annotate(slot=Value(1, output_field=slot))[:others]
    )
    if connection.features.supports_slicing_ordering_in_compound:
        rows = list(
            following.union(same_requester, all=True).order_by("slot", "-created_at", "-id")
        )
    else:  # SQLite (the zero-setup default) allows no LIMIT inside a UNION: two queries
        rows = [*following, *same_requester]
    following_rows = [t for t in rows if t.slot == 0]
    return (
        following_rows[0] if following_rows else None,
        [t for t in rows if t.slot == 1],
    )


def latest_customer_message(ticket: Ticket) -> str | None:
    """What the customer said last on the ticket: the context for coaching a reply."""
    return (
        ticket.messages.filter(kind=MessageKind.CUSTOMER)
        .order_by("-created_at", "-pk")
        .values_list("body", flat=True)
        .first()
    )


def sender_unverified(message: Message) -> bool:
    """A customer's mail whose From address nobody authenticated.

    Without a trusted receiving server (ATTUNE_INBOUND_AUTHSERV_ID) a From header is
    only a claim, so agents are told before acting on it. With one, mail that fails
    opens its own ticket tagged unverified-sender instead (tickets.services.email_intake).
    """
    return (
        message.kind == MessageKind.CUSTOMER
        and message.channel == Channel.EMAIL
        and not settings.ATTUNE_INBOUND_AUTHSERV_ID
    )


@dataclass(frozen=True, slots=True)
class MessageDisplay:
    """One message of the ticket page, with what it shows already worked out.

    The body stays raw text: the template escapes it (autoescape and linebreaksbr), so
    nothing here is marked safe.
    """

    pk: int
    kind: str
    kind_label: str
    channel_label: str
    author_name: str
    created_iso: str
    created_label: str
    body: str
    sender_unverified: bool
    attachments: list[Attachment]


def conversation_for_display(ticket: Ticket) -> list[MessageDisplay]:
    """The ticket's messages in order, ready to render, in two queries at any length.

    Labels, names and local times are worked out here once per message: the same work
    through template filters (two `date` filters, two `get_..._display` calls, an include
    and a prefetch manager per message) was most of the time of a 50-message ticket page.
    """
    kinds = {value: str(label) for value, label in MessageKind.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    # Month names as the `date` filter's "M" prints them (translated), looked up once each.
    months = {month: str(MONTHS_3[month]).title() for month in range(1, 13)}
    zone = timezone.get_current_timezone()
    # One query for all attachments instead of a prefetch: it builds no related manager
    # per message.
    attachments: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(message__ticket_id=ticket.pk).order_by("pk"):
        attachments.setdefault(attachment.message_id, []).append(attachment)
    messages = ticket.messages.select_related("author").only(
        "pk",
        "ticket",
        "kind",
        "channel",
        "body",
        "created_at",
        "author__username",
        "author__first_name",
        "author__last_name",
    )
    shown = []
    for message in messages:
        local = message.created_at.astimezone(zone)
        shown.append(
            MessageDisplay(
                pk=message.pk,
                kind=message.kind,
                kind_label=kinds.get(message.kind, message.kind),
                channel_label=channels.get(message.channel, message.channel),
                author_name=(message.author.display_name if message.author else "") or "Unknown",
                # What the `date` filter printed: "c" is isoformat, the label "M j, H:i".
                created_iso=local.isoformat(),
                created_label=f"{months[local.month]} {local.day}, {local:%H:%M}",
                body=message.body,
                sender_unverified=sender_unverified(message),
                attachments=attachments.get(message.pk, []),
            )
        )
    return shown


@dataclass(frozen=True, slots=True)
class EventDisplay:
    """One line of the ticket page's timeline, worked out like `MessageDisplay`."""

    kind_label: str
    actor_name: str
    created_iso: str
    created_label: str
    to: str
    target: str


def timeline_for_display(ticket: Ticket, *, limit: int = 100) -> list[EventDisplay]:
    """The ticket's newest `limit` events, newest first, in one query.

    A busy ticket shows all `limit` of them, and through template lookups and two `date`
    filters each line cost about as much as a message.
    """
    kinds = {value: str(label) for value, label in EventKind.choices}
    months = {month: str(MONTHS_3[month]).title() for month in range(1, 13)}
    zone = timezone.get_current_timezone()
    events = (
        ticket.events.select_related("actor")
        .only(
            "ticket",
            "kind",
            "data",
            "created_at",
            "actor__username",
            "actor__first_name",
            "actor__last_name",
        )
        .order_by("-created_at")[:limit]
    )
    shown = []
    for event in events:
        local = event.created_at.astimezone(zone)
        data = event.data if isinstance(event.data, dict) else {}
        to = data.get("to") if event.kind != EventKind.CREATED else None
        shown.append(
            EventDisplay(
                kind_label=kinds.get(event.kind, event.kind),
                actor_name=event.actor.display_name if event.actor else "",
                created_iso=local.isoformat(),
                created_label=f"{months[local.month]} {local.day} {local:%H:%M}",
                to=str(to) if to else "",
                target=str(data["target"]) if data.get("target") else "",
            )
        )
    return shown


@dataclass(frozen=True, slots=True)
class SlaBadge:
    """The SLA target a ticket must meet next, as the queue and ticket page badge it."""

    target: str
    due: datetime
    state: str  # "breached", "soon" (within BREACHING_SOON), "ok" or "paused"
    label: str


def _span(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def sla_badge(ticket: Ticket, now: datetime) -> SlaBadge | None:
    """The earliest unmet target with its countdown, from the stored deadlines.

    The same horizon as the "Breaching soon" view, so a ticket badged "soon" is one that
    view lists. While the clock is paused (pending on the customer) the deadline moves on
    resume, so no countdown is shown for it.
    """
    if not ticket.is_open:
        return None
    candidates = []
    if ticket.first_response_due and not ticket.first_responded_at:
        candidates.append(("First response", ticket.first_response_due))
    if ticket.next_response_due:
        candidates.append(("Next response", ticket.next_response_due))
    if ticket.resolution_due:
        candidates.append(("Resolution", ticket.resolution_due))
    if not candidates:
        return None
    target, due = min(candidates, key=lambda c: c[1])
    if ticket.sla_pauses and ticket.sla_pauses[-1][1] is None:
        return SlaBadge(target, due, "paused", f"{target}: paused")
    left = due - now
    if left <= timedelta(0):
        return SlaBadge(target, due, "breached", f"{target} overdue {_span(left)}")
    state = "soon" if left <= BREACHING_SOON else "ok"
    return SlaBadge(target, due, state, f"{target} in {_span(left)}")
