"""Survey reporting: CSAT, response rate, "felt understood", reasons; and empathy beside it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek

from accounts.models import User
from empathy.analyzer import VERSION
from empathy.models import ReplyScore
from empathy.selectors import in_days
from surveys.models import Reason, Survey, SurveyCredit
from surveys.stats import Correlation, csat_percent, pearson
from tickets.access import queues_visible_to

SENT_STATES = (Survey.State.SENT,)


def surveys_visible_to(user: User) -> QuerySet[Survey]:
    return Survey.objects.filter(queue__in=queues_visible_to(user))


def in_period(surveys: QuerySet[Survey], start: date, end: date) -> QuerySet[Survey]:
    return surveys.filter(in_days("sent_at", start, end), state__in=SENT_STATES)


_COUNTS = {
    "sent": Count("pk"),
    "answered": Count("pk", filter=Q(rating__isnull=False)),
    "satisfied": Count("pk", filter=Q(rating__gte=4)),
    "understood_avg": Avg("understood"),
    "rating_avg": Avg("rating"),
}


@dataclass(frozen=True)
class CsatRow:
    label: str
    sent: int
    answered: int
    satisfied: int
    understood_avg: float | None
    rating_avg: float | None

    @property
    def csat(self) -> float | None:
        return csat_percent(self.satisfied, self.answered)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.answered / self.sent, 1) if self.sent else None


def _row(label: str, values: Mapping[str, Any]) -> CsatRow:
    def num(key: str) -> float | None:
        value = values.get(key)
        return round(float(value), 2) if isinstance(value, int | float) else None

    return CsatRow(
        label=label,
        sent=int(values.get("sent") or 0),
        answered=int(values.get("answered") or 0),
        satisfied=int(values.get("satisfied") or 0),
        understood_avg=num("understood_avg"),
        rating_avg=num("rating_avg"),
    )


def overall(surveys: QuerySet[Survey]) -> CsatRow:
    return _row("All", surveys.aggregate(**_COUNTS))


def by_agent(surveys: QuerySet[Survey]) -> list[CsatRow]:
    """Credit to every agent who replied publicly on the ticket (one survey may count twice)."""
    rows = (
        surveys.values(
            "credits__agent_id", "credits__agent__first_name", "credits__agent__last_name"
        )
        .exclude(credits__agent_id__isnull=True)
        .annotate(**_COUNTS)
        .order_by("credits__agent__first_name")
    )
    return [
        _row(f"{r['credits__agent__first_name']} {r['credits__agent__last_name']}".strip(), r)
        for r in rows
    ]


def by_queue(surveys: QuerySet[Survey]) -> list[CsatRow]:
    rows = surveys.values("queue__name").annotate(**_COUNTS).order_by("queue__name")
    return [_row(r["queue__name"], r) for r in rows]


def by_team(surveys: QuerySet[Survey]) -> list[CsatRow]:
    rows = surveys.values("queue__team__name").annotate(**_COUNTS).order_by("queue__team__name")
    return [_row(r["queue__team__name"], r) for r in rows]


def by_week(surveys: QuerySet[Survey]) -> list[CsatRow]:
    rows = (
        surveys.annotate(week=TruncWeek("sent_at"))
        .values("week")
        .annotate(**_COUNTS)
        .order_by("week")
    )
    return [_row(r["week"].date().isoformat(), r) for r in rows]


def summary(surveys: QuerySet[Survey]) -> dict[str, Any]:
    """The report's CSAT tables and reasons, shared by the page and the API."""
    return {
        "overall": overall(surveys),
        "by_agent": by_agent(surveys),
        "by_team": by_team(surveys),
        "by_queue": by_queue(surveys),
        "by_week": by_week(surveys),
        "reasons": reasons(surveys),
    }


class ReasonCount(NamedTuple):
    """How many low ratings (1-2) gave one reason; unpacks as (label, count) for the page."""

    label: str
    ratings: int  # not "count": tuples have a count()

    @property
    def reason(self) -> str:
        """The stored value (`agent`, `product`...), for API clients."""
        return {label: value for value, label in Reason.choices}[self.label]


def reasons(surveys: QuerySet[Survey]) -> list[ReasonCount]:
    counts = dict(
        surveys.filter(rating__lte=2)
        .exclude(reason="")
        .values_list("reason")
        .annotate(n=Count("pk"))
    )
    return [ReasonCount(label, counts.get(value, 0)) for value, label in Reason.choices]


def answered_surveys(surveys: QuerySet[Survey]) -> QuerySet[Survey]:
    """Answered surveys with their credited agents, for listing one by one."""
    # answered_at too: the index on it keeps the unanswered (null) rows, which a backward scan
    # for "latest answer first" would otherwise walk before the first answer (0.7M at 1M).
    return surveys.filter(rating__isnull=False, answered_at__isnull=False).prefetch_related(
        Prefetch("credits", queryset=SurveyCredit.objects.select_related("agent").order_by("id"))
    )


@dataclass(frozen=True)
class EmpathyVsCsat:
    points: list[tuple[float, int]]  # (average empathy of the replies, rating)
    correlation: Correlation
    understood_correlation: Correlation


def empathy_vs_csat(surveys: QuerySet[Survey], *, limit: int = 2000) -> EmpathyVsCsat:
    """Per answered survey: the average empathy score of the ticket's replies vs the rating,
    for the newest `limit` surveys that have scored replies (r is over those points).

    Surveys whose low rating was blamed on the product or a policy are left out: those
    complaints say nothing about how the agent listened.

    The average is computed only for the surveys listed: filtering on "has a score" with
    EXISTS (not on the average itself) lets PostgreSQL walk the answered-at index newest
    first and stop at `limit`, instead of averaging every answered survey of the period.
    """
    scores = ReplyScore.objects.filter(ticket_id=OuterRef("ticket_id"), version=VERSION)
    empathy = scores.values("ticket_id").annotate(avg=Avg("overall")).values("avg")[:1]
    rows = list(
        # answered_at too: the index keeps the unanswered (null) rows, which a backward
        # scan for "newest first" would otherwise walk before the first answer.
        surveys.filter(Exists(scores), rating__isnull=False, answered_at__isnull=False)
        .exclude(reason__in=(Reason.PRODUCT, Reason.POLICY))
        .order_by("-answered_at")
        .annotate(empathy=Subquery(empathy))
        .values_list("empathy", "rating", "understood")[:limit]
    )
    points = [(round(float(e), 1), int(r)) for e, r, _ in rows if r is not None]
    understood = [(float(e), int(u)) for e, _, u in rows if u is not None]
    return EmpathyVsCsat(
        points=points,
        correlation=pearson([p[0] for p in points], [p[1] for p in points]),
        understood_correlation=pearson([p[0] for p in understood], [p[1] for p in understood]),
    )
