from __future__ import annotations

from django.conf import settings
from django.db import models

from tickets.models.choices import EventKind


class TicketEvent(models.Model):
    """Something that happened to a ticket, written by the service that did it.

    The rows drive the timeline, the SLA maths and, as a transactional outbox, every
    background effect: see tickets.outbox.
    """

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)
    # Null until every registered handler has run; the sweep looks only at these rows.
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_time"),
            models.Index(
                fields=["created_at"],
                name="event_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket_id}"


class EventDelivery(models.Model):
    """One handler's receipt for one event: the unique key makes effects exactly-once."""

    event = models.ForeignKey(TicketEvent, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(max_length=100)
    delivered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="event_delivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.handler} <- event {self.event_id}"


class InboundEmail(models.Model):
    """Every raw message received, kept before parsing so nothing is ever lost."""

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        FAILED = "failed", "Failed"

    message_id = models.CharField(max_length=255, unique=True)
    raw = models.BinaryField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    detail = models.TextField(blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Inbound {self.message_id} ({self.state})"
