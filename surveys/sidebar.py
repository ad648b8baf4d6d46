"""The customer's past CSAT on the agent's ticket page (a tickets.extensions panel)."""

from __future__ import annotations

from django.db.models import Avg, Count, Expression, OuterRef, Subquery

from surveys.models import Survey


def past_csat_annotations() -> dict[str, Expression | Subquery]:
    """The requester's answered surveys on any ticket, as columns of the ticket's own row.

    Scalar subqueries rather than a query of their own: the ticket page keeps its pinned
    query count. Each is served by the (customer, sent_at) index, and the survey cooldown
    keeps a customer's surveys few, so the cost does not grow with the desk. Only figures:
    the surveyed tickets may sit in queues the agent cannot open, so neither their numbers
    nor their subjects are shown.
    """
    answered = Survey.objects.answered().filter(customer_id=OuterRef("requester_id")).order_by()
    per_customer = answered.values("customer_id")
    latest = answered.order_by("-answered_at", "-pk")
    return {
        "past_csat_average": Subquery(per_customer.annotate(v=Avg("rating")).values("v")),
        "past_csat_count": Subquery(per_customer.annotate(v=Count("pk")).values("v")),
        "past_csat_last": Subquery(latest.values("rating")[:1]),
        "past_csat_last_at": Subquery(latest.values("answered_at")[:1]),
    }
