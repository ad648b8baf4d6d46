from __future__ import annotations

from django.conf import settings
from django.db import models

from tickets.models.choices import Tier


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=200, blank=True)
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.STANDARD)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """The requester side of a ticket; its user signs in to the portal by magic link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="customer"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    # A customer's own tier wins over the organisation's (e.g. a VIP contact at a small firm).
    tier = models.CharField(max_length=16, choices=Tier.choices, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user.display_name} <{self.user.email}>"

    @property
    def effective_tier(self) -> str:
        if self.tier:
            return self.tier
        return self.organisation.tier if self.organisation else Tier.STANDARD
