from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from tickets.models.choices import DONE_STATUSES, OPEN_STATUSES, Channel, Priority, Status

if TYPE_CHECKING:
    from accounts.models import User


class TicketQuerySet(models.QuerySet["Ticket"]):
    def open(self) -> TicketQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def in_queue_order(self) -> TicketQuerySet:
        """The agent queue order: explained priority score, then the oldest first.

        `id` breaks ties so keyset pagination over (score, created_at, id) is stable.
        """
        return self.order_by("-priority_score", "created_at", "id")

    def visible_to(self, user: User) -> TicketQuerySet:
        from tickets.access import tickets_visible_to

        visible = tickets_visible_to(user, self)
        assert isinstance(visible, TicketQuerySet)  # noqa: S101 - narrows for the type checker
        return visible


class Ticket(models.Model):
    subject = models.CharField(max_length=255)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.NORMAL)
    # What the customer said when filing; priority is what agents decided.
    urgency = models.CharField(max_length=16, choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    requester = models.ForeignKey(
        "tickets.Customer", on_delete=models.PROTECT, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    queue = models.ForeignKey("tickets.Queue", on_delete=models.PROTECT, related_name="tickets")
    tags = models.ManyToManyField("tickets.Tag", related_name="tickets", blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_tickets"
    )

    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    # Incremented by every service that changes the ticket: a form posted with an older
    # version is stale and gets a clear message instead of silently overwriting.
    version = models.PositiveIntegerField(default=1)

    # SLA bookkeeping, recomputed by tickets.services.sla on every event.
    first_response_due = models.DateTimeField(null=True, blank=True)
    next_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    awaiting_reply_since = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # [[paused_at, resumed_at | null], ...] ISO strings: time pending on the customer.
    sla_pauses = models.JSONField(default=list, blank=True)
    sla_warned = models.JSONField(default=list, blank=True)
    sla_breached = models.JSONField(default=list, blank=True)

    # The explained priority score (tickets.priority) that orders the agent queue.
    priority_score = models.PositiveSmallIntegerField(default=0)
    priority_reasons = models.JSONField(default=list, blank=True)
    frustration = models.FloatField(default=0.0)
    challenging = models.BooleanField(default=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        indexes = [
            # Keyset pagination of the agent queue, per queue and over all queues.
            models.Index(
                fields=["queue", "-priority_score", "created_at", "id"],
                name="ticket_queue_order",
                condition=models.Q(status__in=["new", "open", "pending", "on_hold"]),
            ),
            models.Index(
                fields=["-priority_score", "created_at", "id"],
                name="ticket_open_order",
                condition=models.Q(status__in=["new", "open", "pending", "on_hold"]),
            ),
            # The agent's own queue ("mine", the default view): without it the first page
            # reads every ticket ever assigned to the agent (docs/performance.md).
            models.Index(
                fields=["assignee", "-priority_score", "created_at", "id"],
                name="ticket_assignee_order",
                condition=models.Q(status__in=["new", "open", "pending", "on_hold"]),
            ),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def reference(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES
