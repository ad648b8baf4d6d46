"""Template filters of the agent workspace."""

from __future__ import annotations

from django import template
from django.utils import timezone

from tickets.models import Ticket
from tickets.selectors import SlaBadge, sla_badge

register = template.Library()


@register.filter
def sla(ticket: Ticket) -> SlaBadge | None:
    """`{% with b=ticket|sla %}`: the ticket's next SLA target, counted down from now."""
    return sla_badge(ticket, timezone.now())
