"""CSAT set against empathy on the manager dashboard: per agent, and per reply.

Pearson's r is computed in one place (`surveys.stats.pearson`); this module adds what
the per-agent view needs on top of it: Spearman's rho (Pearson on ranks), a 95%
interval for r, and a reading that never claims more than the sample supports.
It lives apart from `empathy.selectors` because `surveys.selectors` imports that module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from empathy.selectors import AgentSummary
from surveys.models import Survey, SurveyCredit
from surveys.selectors import EmpathyVsCsat, empathy_vs_csat, in_period, surveys_visible_to
from surveys.stats import Correlation, csat_percent, pearson

# Fewer agents than this and the per-agent correlation is shown but never read as a finding.
MIN_AGENTS = 10
# An agent's CSAT from a couple of surveys is noise: they are listed but left out of r.
MIN_SURVEYS_PER_AGENT = 5
_Z_95 = 1.959964


@dataclass(frozen=True)
class AgentCsat:
    agent_id: int
    name: str
    empathy: float  # mean overall empathy score of the agent's replies in the period
    surveys: int  # answered surveys credited to the agent
    satisfied: int  # of which rated 4 or 5
    understood: float | None  # mean "felt understood" (1-5)

    @property
    def csat(self) -> float | None:
        return csat_percent(self.satisfied, self.surveys)

    @property
    def counted(self) -> bool:
        """Whether this agent enters the correlation (enough surveys to mean something)."""
        return self.surveys >= MIN_SURVEYS_PER_AGENT


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank (as Spearman's rho requires)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> Correlation:
    """Spearman's rho: Pearson's r on the ranks, so one outlier agent weighs less."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    return pearson(_ranks(xs), _ranks(ys))


def interval_95(correlation: Correlation) -> tuple[float, float] | None:
    """Fisher's z interval for r; None below four points, where it is undefined."""
    if correlation.r is None or correlation.n < 4:
        return None
    r = max(-0.9999, min(0.9999, correlation.r))  # atanh(+-1) is infinite
    z, half = math.atanh(r), _Z_95 / math.sqrt(correlation.n - 3)
    return round(math.tanh(z - half), 2), round(math.tanh(z + half), 2)


@dataclass(frozen=True)
class AgentCorrelation:
    pearson: Correlation
    spearman: Correlation
    interval: tuple[float, float] | None

    @property
    def reading(self) -> str:
        """What a manager may conclude: as little as the data allows, never a cause."""
        r, n = self.pearson.r, self.pearson.n
        if r is None:
            return (
                f"Not enough data to compute a correlation (n={n} agents with at least "
                f"{MIN_SURVEYS_PER_AGENT} answered surveys, and both figures must vary)."
            )
        if n < MIN_AGENTS:
            return (
                f"Too few agents to conclude anything (n={n}; at least {MIN_AGENTS} needed). "
                "Read the table, not the coefficient."
            )
        low, high = self.interval or (-1.0, 1.0)
        if low <= 0 <= high:
            return (
                f"No clear association across agents: the 95% interval for r "
                f"({low} to {high}) includes 0."
            )
        size = abs(r)
        label = "weak" if size < 0.3 else "moderate" if size < 0.6 else "strong"
        direction = "positive" if r > 0 else "negative"
        return (
            f"A {label} {direction} association across agents (95% interval {low} to {high}). "
            "It is an association between agents' figures, not evidence that one causes the other."
        )


def agent_correlation(rows: Sequence[AgentCsat]) -> AgentCorrelation:
    counted = [row for row in rows if row.counted]
    xs = [row.empathy for row in counted]
    ys = [float(row.csat or 0.0) for row in counted]
    result = pearson(xs, ys)
    return AgentCorrelation(pearson=result, spearman=spearman(xs, ys), interval=interval_95(result))


def answered_surveys(*, viewer: User, start: date, end: date) -> QuerySet[Survey]:
    """Answered surveys sent in the period on queues `viewer` may see.

    A survey is answered after it is sent, so `answered_at >= start` adds nothing to the
    sent-in-period rule but lets PostgreSQL start from the `survey_answered` index
    instead of reading every survey of the visible queues (there is no index on sent_at).
    """
    first_moment = datetime.combine(start, time.min, tzinfo=timezone.get_current_timezone())
    return in_period(surveys_visible_to(viewer), start, end).filter(
        rating__isnull=False, answered_at__gte=first_moment
    )


def agents_csat(
    *, surveys: QuerySet[Survey], agents: QuerySet[User], summaries: Sequence[AgentSummary]
) -> list[AgentCsat]:
    """Per agent: mean empathy (from `summaries`, the rollups) beside CSAT and "felt
    understood" of the answered `surveys` credited to them: one query.

    Only agents with scored replies in the period appear: without an empathy figure
    there is nothing to set the CSAT against.
    """
    # One join to the credits, used by both the filter and the grouping: a survey
    # credited to an agent of another team is not counted for them here.
    rows = (
        surveys.filter(credits__agent__in=agents)
        .values("credits__agent_id")
        .annotate(
            answered=Count("pk"),
            satisfied=Count("pk", filter=Q(rating__gte=4)),
            understood=Avg("understood"),
        )
        .order_by()
    )
    counts: dict[int, dict[str, Any]] = {row["credits__agent_id"]: dict(row) for row in rows}
    result = []
    for summary in summaries:
        row = counts.get(summary.agent_id, {})
        understood = row.get("understood")
        result.append(
            AgentCsat(
                agent_id=summary.agent_id,
                name=summary.name,
                empathy=summary.overall,
                surveys=int(row.get("answered") or 0),
                satisfied=int(row.get("satisfied") or 0),
                understood=round(float(understood), 2) if understood is not None else None,
            )
        )
    return result


@dataclass(frozen=True)
class CsatVsEmpathy:
    agents: list[AgentCsat]
    by_agent: AgentCorrelation
    by_reply: EmpathyVsCsat


def csat_vs_empathy(
    *,
    viewer: User,
    agents: QuerySet[User],
    start: date,
    end: date,
    summaries: Sequence[AgentSummary],
) -> CsatVsEmpathy:
    """The dashboard's CSAT-against-empathy figures: two queries at any history size."""
    surveys = answered_surveys(viewer=viewer, start=start, end=end)
    rows = agents_csat(surveys=surveys, agents=agents, summaries=summaries)
    credited = SurveyCredit.objects.filter(survey=OuterRef("pk"), agent__in=agents)
    return CsatVsEmpathy(
        agents=rows,
        by_agent=agent_correlation(rows),
        # The survey report's own computation, restricted to these agents' surveys.
        by_reply=empathy_vs_csat(surveys.filter(Exists(credited))),
    )
