from __future__ import annotations

from django.conf import settings
from django.db import models

EVENT_CHOICES = [
    ("ticket.created", "Ticket created"),
    ("ticket.replied", "Agent replied"),
    ("ticket.status_changed", "Status changed"),
    ("survey.answered", "Survey answered"),
    ("reply.low_empathy_score", "A reply scored low on empathy"),
]


class Webhook(models.Model):
    """A subscriber: events are POSTed to its URL, signed with its secret."""

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Event names to send.")
    secret = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    # Only an admin may point a webhook at loopback or private addresses (SSRF guard).
    allow_private_network = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (retries exhausted)"
        REFUSED = "refused", "Refused (address not allowed)"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("tickets.TicketEvent", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)
    payload = models.JSONField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="webhook_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} -> {self.webhook_id} ({self.state})"
