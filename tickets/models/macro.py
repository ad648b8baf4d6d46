from __future__ import annotations

from django.conf import settings
from django.db import models


class Macro(models.Model):
    """A canned response with placeholders, offered in the reply editor."""

    name = models.CharField(max_length=100)
    body = models.TextField(
        help_text="Placeholders: {{ customer.first_name }}, {{ ticket.number }}, "
        "{{ agent.first_name }}."
    )
    queue = models.ForeignKey(
        "tickets.Queue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
        help_text="Offered only in this queue; empty for every queue.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
