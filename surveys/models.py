"""CSAT surveys: one per (ticket, resolution), with the agents who earned the credit."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models


class Reason(models.TextChoices):
    AGENT = "agent", "How the agent handled it"
    PRODUCT = "product", "The product itself"
    POLICY = "policy", "A policy"
    TIME = "time", "The time it took"


class SurveyQuerySet(models.QuerySet["Survey"]):
    def answered(self) -> SurveyQuerySet:
        return self.filter(rating__isnull=False)

    def due(self, now: datetime) -> SurveyQuerySet:
        """Scheduled and past their send time, oldest first (the `survey_due` index order)."""
        return self.filter(state=Survey.State.SCHEDULED, send_after__lte=now).order_by(
            "send_after", "pk"
        )


class Survey(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled (ticket reopened)"
        SKIPPED = "skipped", "Skipped (surveyed recently)"

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="surveys")
    # The "resolved" event: its uniqueness is what makes it one survey per resolution,
    # whatever the number of dispatchers, retries or worker restarts.
    resolution_event = models.OneToOneField(
        "tickets.TicketEvent", on_delete=models.CASCADE, related_name="survey"
    )
    customer = models.ForeignKey(
        "tickets.Customer", on_delete=models.CASCADE, related_name="surveys"
    )
    queue = models.ForeignKey("tickets.Queue", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.SCHEDULED)
    resolved_at = models.DateTimeField()
    send_after = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    understood = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    comment = models.TextField(blank=True)
    follow_up_opened = models.BooleanField(default=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        indexes = [
            # Serves the dispatcher's claim in its ORDER BY send_after, id: with id in the
            # index, a backlog due at one instant is read in order, not sorted per batch.
            models.Index(
                fields=["send_after", "id"],
                name="survey_due",
                condition=models.Q(state="scheduled"),
            ),
            models.Index(fields=["customer", "sent_at"], name="survey_customer_sent"),
            models.Index(fields=["answered_at"], name="survey_answered"),
            # The dashboard's survey counts per agent (empathy.csat.agents_csat): the
            # answered surveys since the period began, with every column the count
            # filters on or adds up, read from the index alone rather than the wide rows.
            models.Index(
                fields=["answered_at", "queue", "sent_at", "state", "rating", "understood", "id"],
                name="survey_answered_counts",
                condition=models.Q(rating__isnull=False),
            ),
            # The dashboard's low-CSAT list: the period's ratings 1-2 alone, with what it
            # needs (ticket, reason) read from the index, instead of every answered survey
            # since the period began from `survey_answered` (empathy.selectors.low_csat_scores).
            models.Index(
                fields=["answered_at", "ticket", "reason"],
                name="survey_low_rating",
                condition=models.Q(rating__lte=2),
            ),
        ]

    def __str__(self) -> str:
        return f"Survey for #{self.ticket_id} ({self.state})"


class SurveyCredit(models.Model):
    """An agent who publicly replied on the ticket before it was resolved."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="credits")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_credits"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "agent"], name="survey_credit_once")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} credited on survey {self.survey_id}"
