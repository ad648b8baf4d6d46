from __future__ import annotations

from django.conf import settings
from django.db import models

from tickets.models.choices import Priority, Tier


def default_business_hours() -> dict[str, list[list[str]]]:
    """Monday to Friday, 09:00-17:00, keyed by ISO weekday index (0 = Monday)."""
    return {str(day): [["09:00", "17:00"]] for day in range(5)}


class Queue(models.Model):
    """Where tickets wait; agents belong to queues, a team owns each queue."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="queues")
    agents = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="queues", blank=True)
    auto_assign = models.BooleanField(
        default=False, help_text="Assign new tickets round robin to available agents."
    )
    # The SLA clock of this queue's tickets runs in these business hours.
    timezone = models.CharField(max_length=64, default="UTC")
    business_hours = models.JSONField(default=default_business_hours)
    holidays = models.JSONField(default=list, blank=True, help_text="ISO dates, e.g. 2026-12-25")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgentProfile(models.Model):
    """Assignment preferences of an agent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    capacity = models.PositiveSmallIntegerField(
        default=10, help_text="Open tickets before round robin skips this agent."
    )
    available = models.BooleanField(default=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class SlaPolicy(models.Model):
    """Targets in business minutes for one (priority, tier) pair."""

    priority = models.CharField(max_length=16, choices=Priority.choices)
    tier = models.CharField(max_length=16, choices=Tier.choices)
    first_response_minutes = models.PositiveIntegerField()
    next_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["priority", "tier"], name="sla_policy_unique")
        ]

    def __str__(self) -> str:
        return f"SLA {self.get_priority_display()} / {self.get_tier_display()}"


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
