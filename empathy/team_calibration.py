"""Per-team calibration of the analyzer's level thresholds: the reads and writes around the
pure functions of `empathy.calibration`.

The analyzer (`empathy.analyzer`) and the stored `ReplyScore` rows are never changed:
thresholds are applied when levels are presented, so a new calibration or a reset
takes effect at once and can always be undone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import mean
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import Team, User
from empathy.analyzer import VERSION
from empathy.calibration import (
    Sample,
    Thresholds,
    calibrate_component,
    calibrated_level,
    thresholds_from_json,
)
from empathy.models import Calibration, DailyRollup, Review
from empathy.rollups import parse_key
from empathy.selectors import (
    COMPONENTS,
    AgentSummary,
    WeekPoint,
    agent_summaries,
    weekly_trend,
)

MAX_REVIEWS = 5000  # the newest reviews; enough for any fit, bounded for the request


def team_samples(team: Team) -> dict[str, list[Sample]]:
    """The team's reviewed replies (current analyzer version), per component: one query."""
    rows = list(
        Review.objects.filter(score__agent__teams=team, score__version=VERSION)
        .order_by("-created_at", "-pk")
        .values_list(*COMPONENTS, *(f"score__{c}" for c in COMPONENTS), "score__confidence")[
            :MAX_REVIEWS
        ]
    )
    samples: dict[str, list[Sample]] = {name: [] for name in COMPONENTS}
    for row in rows:
        confidence = row[8] or {}
        for i, name in enumerate(COMPONENTS):
            if row[i] is not None:  # the manager left this component unrated
                samples[name].append(
                    Sample(manager=row[i], level=row[i + 4], confidence=confidence.get(name, 0.8))
                )
    return samples


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(mean(known), 3) if known else None


@transaction.atomic
def team_calibration_create(*, team: Team, user: User) -> Calibration:
    """Fit each component's thresholds to the team's reviews and put them in force.

    Components with too few reviews, or whose held-out agreement does not improve,
    keep the analyzer's thresholds; the report says which and why.
    """
    results = {name: calibrate_component(s) for name, s in team_samples(team).items()}
    fitted = [r for r in results.values() if r.kappa_after is not None]
    return Calibration.objects.create(
        team=team,
        version=VERSION,
        thresholds={name: r.thresholds.to_dict() for name, r in results.items() if r.applied},
        report={name: r.to_dict() for name, r in results.items()},
        n=max((r.n for r in results.values()), default=0),
        kappa_before=_mean([r.kappa_before for r in fitted]),
        kappa_after=_mean([r.kappa_after for r in fitted]),
        created_by=user,
    )


def team_calibration_reset(*, team: Team, user: User) -> Calibration:
    """Back to the analyzer's own thresholds: a new row with none, keeping the history."""
    return Calibration.objects.create(team=team, version=VERSION, created_by=user)


def calibrations_in_force(teams: QuerySet[Team] | list[Team]) -> dict[int, Calibration]:
    """The latest calibration of each team for the current analyzer version: one query."""
    # A correlated subquery rather than PostgreSQL's DISTINCT ON, so the zero-setup SQLite
    # default (`make run`) serves the dashboard too.
    latest = (
        Calibration.objects.filter(team=OuterRef("team"), version=VERSION)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    rows = Calibration.objects.filter(
        team__in=teams, version=VERSION, pk=Subquery(latest)
    ).select_related("team", "created_by")
    return {row.team_id: row for row in rows}


def thresholds_for_agent(agent: User) -> dict[str, Thresholds]:
    """The thresholds in force for `agent`'s replies: their team's latest calibration.

    An agent in several calibrated teams gets the most recent of those calibrations,
    so a reply is never presented at two levels on two pages. One query.
    """
    latest = latest_thresholds(agent).first()
    return thresholds_from_json(latest["thresholds"] if latest else {})


def latest_thresholds(agent: User | OuterRef) -> QuerySet[Calibration, Any]:
    """The thresholds of the latest calibration among `agent`'s teams, as a one-row
    queryset: `thresholds_for_agent` reads it, live coaching embeds it as a subquery."""
    return (
        Calibration.objects.filter(team__members=agent, version=VERSION)
        .order_by("-created_at", "-pk")
        .values("thresholds")[:1]
    )


@dataclass(frozen=True)
class CalibratedFigures:
    """Component figures recomputed with a team's thresholds (levels, not overall scores)."""

    summaries: list[AgentSummary]
    trend: list[WeekPoint]


def calibrated_figures(
    *,
    agents: QuerySet[User],
    start: date,
    end: date,
    thresholds: dict[str, Thresholds],
    summaries: list[AgentSummary],
    trend: list[WeekPoint],
) -> CalibratedFigures:
    """Per-agent component averages and weekly shares with `thresholds` applied: one query.

    The rollups' level histograms (`empathy.rollups`) count each agent's day's replies
    per (level, confidence) of each component; each count is calibrated once here. So the
    cost is agents x days of rollups, like the other figures, never the scores of the
    period. Components without thresholds, overall scores and reply counts keep the
    rollups' sums.
    """
    names = [name for name in COMPONENTS if name in thresholds]
    rows = DailyRollup.objects.filter(
        agent__in=agents, day__gte=start, day__lte=end, version=VERSION
    ).values_list("agent_id", "day", "levels")
    level_sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    present: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    week_sums: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    for agent_id, day, levels in rows:
        monday = day - timedelta(days=day.weekday())  # the week as TruncWeek gives it
        for name in names:
            for key, n in levels.get(name, {}).items():
                level = calibrated_level(*parse_key(key), thresholds[name])
                level_sums[agent_id][name] += level * n
                present[monday][name] += n if level > 0 else 0
                week_sums[monday][name] += level * n

    def avg(total: int, count: int) -> float:
        return round(total / count, 2) if count else 0.0

    def agent(s: AgentSummary) -> AgentSummary:
        sums = level_sums[s.agent_id]
        return replace(
            s,
            listening=avg(sums["listening"], s.replies) if "listening" in sums else s.listening,
            validation=avg(sums["validation"], s.replies) if "validation" in sums else s.validation,
            reflection=avg(sums["reflection"], s.replies) if "reflection" in sums else s.reflection,
            tone=avg(sums["tone"], s.replies) if "tone" in sums else s.tone,
        )

    def week(p: WeekPoint) -> WeekPoint:
        counts = present[p.week]
        sums = week_sums[p.week]
        return replace(
            p,
            listening_share=(
                avg(counts["listening"], p.replies) if "listening" in counts else p.listening_share
            ),
            validation_share=(
                avg(counts["validation"], p.replies)
                if "validation" in counts
                else p.validation_share
            ),
            reflection_share=(
                avg(counts["reflection"], p.replies)
                if "reflection" in counts
                else p.reflection_share
            ),
            tone=avg(sums["tone"], p.replies) if "tone" in sums else p.tone,
        )

    return CalibratedFigures(
        summaries=[agent(s) for s in summaries], trend=[week(p) for p in trend]
    )


@dataclass(frozen=True)
class PresentedFigures:
    """The dashboard's per-agent and weekly figures, on the thresholds in force."""

    summaries: list[AgentSummary]
    trend: list[WeekPoint]
    in_force: dict[int, Calibration]  # team id -> its latest calibration
    calibration: Calibration | None  # the one applied to these figures, if any


def presented_figures(
    *, teams: list[Team], team_slug: str, agents: QuerySet[User], start: date, end: date
) -> PresentedFigures:
    """Per-agent summaries and the weekly trend, calibrated when one team is shown.

    A team's thresholds apply when that team is shown on its own (or is the manager's
    only team): across teams, agents would be read on different scales. Shared by the
    dashboard and its API, so both present the same levels.
    """
    summaries = agent_summaries(agents=agents, start=start, end=end)
    trend = weekly_trend(agents=agents, start=start, end=end)
    in_force = calibrations_in_force(teams)
    shown = next((t for t in teams if t.slug == team_slug), teams[0] if len(teams) == 1 else None)
    calibration = in_force.get(shown.pk) if shown else None
    if calibration is None or not calibration.thresholds:
        return PresentedFigures(summaries, trend, in_force, None)
    calibrated = calibrated_figures(
        agents=agents,
        start=start,
        end=end,
        thresholds=thresholds_from_json(calibration.thresholds),
        summaries=summaries,
        trend=trend,
    )
    return PresentedFigures(calibrated.summaries, calibrated.trend, in_force, calibration)
