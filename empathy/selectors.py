"""Reads behind the empathy pages; each is a fixed number of queries at any history size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Team, User
from empathy.analyzer import VERSION
from empathy.calibration import Agreement, cohen_kappa
from empathy.models import DailyRollup, Reflection, ReplyScore, Review
from surveys.models import Reason, Survey
from tickets.access import teams_managed_by, tickets_visible_to
from tickets.models import Message, MessageKind, Ticket

COMPONENTS = ("listening", "validation", "reflection", "tone")


class EqualsAny(Func):
    """`column = ANY(ARRAY(subquery))`: the subquery runs once and its values are looked
    up in the column's index, where `IN (subquery)` may be planned as a hash join that
    reads every row the other filters leave."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def in_days(field: str, start: date, end: date) -> Q:
    """`field` within the days start..end (inclusive) in the current time zone.

    Filtering on `field__date` casts every row and cannot use an index on the column;
    this half-open range [start 00:00, day after end 00:00) can.
    """
    tz = timezone.get_current_timezone()
    low = datetime.combine(start, time.min, tzinfo=tz)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def agents_managed_by(user: User, *, team_slug: str = "") -> QuerySet[User]:
    """Agents of the teams `user` manages; only one of them when `team_slug` names it."""
    teams = teams_managed_by(user)
    if team_slug:
        teams = teams.filter(slug=team_slug)
    return User.objects.filter(teams__in=teams).distinct()


def shown_team(teams: Sequence[Team], slug: str) -> str:
    """The slug of the team a manager's dashboard shows: `slug` when it names one of
    `teams` (those they manage), else "" for all of them, so an unknown or foreign team
    shows their own figures rather than an error (the page and the API alike)."""
    return slug if slug in {team.slug for team in teams} else ""


@dataclass(frozen=True)
class AgentSummary:
    agent_id: int
    name: str
    replies: int
    overall: float
    listening: float
    validation: float
    reflection: float
    tone: float
    challenging: int


def _avg(total: int | None, count: int) -> float:
    return round((total or 0) / count, 2) if count else 0.0


def agent_summaries(*, agents: QuerySet[User], start: date, end: date) -> list[AgentSummary]:
    rows = (
        DailyRollup.objects.filter(agent__in=agents, day__gte=start, day__lte=end, version=VERSION)
        .values("agent_id", "agent__first_name", "agent__last_name", "agent__username")
        .annotate(
            replies_sum=Sum("replies"),
            overall=Sum("overall_sum"),
            listening=Sum("listening_sum"),
            validation=Sum("validation_sum"),
            reflection=Sum("reflection_sum"),
            tone=Sum("tone_sum"),
            challenging_sum=Sum("challenging"),
        )
        .order_by("agent__first_name", "agent_id")
    )
    summaries = []
    for row in rows:
        n = row["replies_sum"] or 0
        name = f"{row['agent__first_name']} {row['agent__last_name']}".strip()
        summaries.append(
            AgentSummary(
                agent_id=row["agent_id"],
                name=name or row["agent__username"],
                replies=n,
                overall=_avg(row["overall"], n),
                listening=_avg(row["listening"], n),
                validation=_avg(row["validation"], n),
                reflection=_avg(row["reflection"], n),
                tone=_avg(row["tone"], n),
                challenging=row["challenging_sum"] or 0,
            )
        )
    return summaries


@dataclass(frozen=True)
class WeekPoint:
    week: date
    replies: int
    overall: float
    listening_share: float
    validation_share: float
    reflection_share: float
    # Tone is never "absent" (0 is "needs care"), so its week is an average level, 0-2.
    tone: float


def weekly_trend(*, agents: QuerySet[User], start: date, end: date) -> list[WeekPoint]:
    rows = (
        DailyRollup.objects.filter(agent__in=agents, day__gte=start, day__lte=end, version=VERSION)
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(
            n=Sum("replies"),
            overall=Sum("overall_sum"),
            lp=Sum("listening_present"),
            vp=Sum("validation_present"),
            rp=Sum("reflection_present"),
            tone=Sum("tone_sum"),
        )
        .order_by("week")
    )
    points = []
    for row in rows:
        n = row["n"] or 0
        week = row["week"]
        points.append(
            WeekPoint(
                week=week.date() if hasattr(week, "date") else week,
                replies=n,
                overall=_avg(row["overall"], n),
                listening_share=_avg(row["lp"], n),
                validation_share=_avg(row["vp"], n),
                reflection_share=_avg(row["rp"], n),
                tone=_avg(row["tone"], n),
            )
        )
    return points


def scores_with_context(queryset: QuerySet[ReplyScore]) -> QuerySet[ReplyScore]:
    """Scores with the reply, agent, ticket and the customer message it answered: one query."""
    customer_message = (
        Message.objects.filter(
            ticket_id=OuterRef("ticket_id"),
            kind=MessageKind.CUSTOMER,
            created_at__lte=OuterRef("replied_at"),
        )
        .order_by("-created_at")
        .values("body")[:1]
    )
    return queryset.select_related("message", "agent", "ticket").annotate(
        customer_body=Subquery(customer_message)
    )


def _team_scores(
    *, agents: QuerySet[User], start: date, end: date, viewer: User | None
) -> QuerySet[ReplyScore]:
    """Current-version scores of `agents` in the period that `viewer` may read.

    A reply is ticket content: it is listed only to whoever may open its ticket.
    """
    scores = ReplyScore.objects.filter(
        in_days("replied_at", start, end), agent__in=agents, version=VERSION
    )
    if viewer is not None:
        scores = scores.filter(ticket__in=tickets_visible_to(viewer).values("pk"))
    return scores


def lowest_scores(
    *,
    agents: QuerySet[User],
    start: date,
    end: date,
    limit: int = 15,
    viewer: User | None = None,
) -> list[ReplyScore]:
    """The period's lowest-scored replies that called for empathy: one query.

    Each agent's own lowest `limit` come from the `score_agent_lowest` index, walked in
    score order and stopped after `limit` matches (a correlated array subquery per agent,
    i.e. a LATERAL top-N); only those few candidates are sorted and read with their
    context. Sorting every reply of the period by score read and sorted the whole
    period's wide rows (200 ms at 1M).
    """
    if connection.vendor != "postgresql":
        # The zero-setup SQLite default (`make run`, a demo's worth of replies) has no
        # arrays: a plain sort of the period is cheap there.
        return list(
            scores_with_context(
                _team_scores(agents=agents, start=start, end=end, viewer=viewer).filter(
                    opportunity__in=("normal", "high")
                )
            ).order_by("overall", "-replied_at")[:limit]
        )
    per_agent = ArraySubquery(
        _team_scores(agents=agents, start=start, end=end, viewer=viewer)
        .filter(agent_id=OuterRef("pk"), opportunity__in=("normal", "high"))
        .order_by("overall", "-replied_at")
        .values("pk")[:limit]
    )
    candidates = agents.order_by().annotate(ids=Func(per_agent, function="unnest")).values("ids")
    return list(
        scores_with_context(ReplyScore.objects.filter(pk__in=candidates)).order_by(
            "overall", "-replied_at"
        )[:limit]
    )


def exemplary_reviews(*, viewer: User) -> QuerySet[Review]:
    """Replies marked exemplary, on tickets `viewer` may open: a reply body is ticket content.

    The team library of "My empathy" and of the API.
    """
    # Several managers may mark the same reply: list it once, with the latest mark.
    later_mark = Review.objects.filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk")),
        score=OuterRef("score"),
        exemplary=True,
    )
    return Review.objects.filter(
        ~Exists(later_mark),
        exemplary=True,
        score__ticket__in=tickets_visible_to(viewer).values("pk"),
    ).select_related("score__message", "score__agent", "reviewer")


def exemplary_replies(*, viewer: User, limit: int = 10) -> list[Review]:
    return list(exemplary_reviews(viewer=viewer).order_by("-created_at")[:limit])


def feedback_received(agent: User) -> QuerySet[Review]:
    """Managers' written feedback on `agent`'s replies: what "My empathy" and the API list."""
    return (
        Review.objects.filter(score__agent=agent)
        .exclude(feedback="")
        .select_related("score__message", "score__ticket", "reviewer")
    )


def feedback_for(agent: User, *, limit: int = 30) -> list[Review]:
    return list(feedback_received(agent).order_by("-created_at")[:limit])


def reflections_of(agent: User, *, limit: int = 10) -> list[Reflection]:
    """The agent's own latest reflections, for them alone: one query.

    Only the ticket's number is shown, not its subject: an agent who has since left the
    queue may no longer open the ticket, but what they wrote is still theirs.
    """
    return list(
        Reflection.objects.filter(agent=agent)
        .only("ticket_id", "went_well", "do_differently", "created_at")
        .order_by("-created_at", "-pk")[:limit]
    )


def _first_passing(
    ordered: QuerySet[Any, Any],
    *,
    order: Sequence[str],
    limit: int,
    viewer: User | None,
    unless: QuerySet[Survey] | None = None,
) -> RawSQL | QuerySet[Any, Any]:
    """The ids of the first `limit` of `ordered` (narrow rows: id, ticket_id and the
    `order` columns, sorted on them; "-" for descending) whose ticket `viewer` may open
    and, given `unless`, no row of it matches: a subquery for `pk__in`.

    The ordered candidates are a derived table (PostgreSQL never flattens a subquery
    that has an ORDER BY into the outer query), so the checks run on the candidates in
    order and the LIMIT stops them once `limit` pass: a few ticket look-ups instead of
    one per candidate. The ORM has no subquery in FROM, so the derived table is composed
    from the ORM's own compiled SQL (every value a parameter), and the rule of who may
    open what stays the one in `tickets_visible_to`.
    """
    if connection.vendor != "postgresql":
        # The zero-setup SQLite default: the same rows as a plain filtered subquery (a
        # demo's worth of data needs no lazy plan, and its SQL differs).
        passing = ordered
        if viewer is not None:
            passing = passing.filter(ticket_id__in=tickets_visible_to(viewer).values("pk"))
        if unless is not None:
            passing = passing.exclude(ticket_id__in=unless.values("ticket_id"))
        return passing.order_by(*order).values("id")[:limit]
    ticket = RawSQL("candidate.ticket_id", ())
    checks: list[QuerySet[Any]] = []
    exists = []
    if viewer is not None:
        checks.append(tickets_visible_to(viewer).filter(pk=ticket).values("pk"))
        exists.append("EXISTS")
    if unless is not None:
        checks.append(unless.filter(ticket_id=ticket).values("pk"))
        exists.append("NOT EXISTS")
    sql, params = ordered.query.sql_with_params()
    compiled = [check.query.sql_with_params() for check in checks]
    order_by = ", ".join(
        f"candidate.{name.removeprefix('-')}{' DESC' if name.startswith('-') else ''}"
        for name in order
    )
    where = " AND ".join(f"{e} ({c_sql})" for e, (c_sql, _) in zip(exists, compiled, strict=True))
    return RawSQL(  # noqa: S611 (the SQL is the ORM's own, its values are parameters)
        f"SELECT candidate.id FROM ({sql}) AS candidate"  # noqa: S608
        + (f" WHERE {where}" if where else "")
        # The derived table's own order, so the plan keeps it and stays lazy.
        + f" ORDER BY {order_by} LIMIT %s",
        (*params, *(p for _, c_params in compiled for p in c_params), limit),
    )


def random_sample(
    *, agents: QuerySet[User], end: date, size: int = 5, viewer: User | None = None
) -> list[ReplyScore]:
    """A random handful from the last week: reviews should not only ever see the worst.

    One query, uniform over the week's replies `viewer` may open. The week's score ids
    and tickets are shuffled from the `score_agent_week` index alone (narrow entries, no
    score rows), and only then is each drawn reply's ticket checked against what the
    viewer may open, in the shuffled order, until `size` pass (`_first_passing`): a
    random order filtered is still a random order, so the draw is as fair as shuffling
    the visible ones first, but a manager who sees their team's tickets costs `size`
    ticket look-ups, not one per reply of the week (6,500 at 1M, most of the 24-43 ms
    this took). The reply, ticket and customer message are read for the `size` drawn.
    """
    start = end - timedelta(days=6)  # seven days including `end`
    week = (
        ReplyScore.objects.filter(
            in_days("replied_at", start, end), agent__in=agents, version=VERSION
        )
        .annotate(draw=Func(function="random", output_field=FloatField()))
        .order_by("draw")
        .values("id", "ticket_id", "draw")
    )
    drawn = _first_passing(week, order=("draw",), limit=size, viewer=viewer)
    return list(scores_with_context(ReplyScore.objects.filter(pk__in=drawn)).order_by("?"))


def low_csat_scores(
    *,
    agents: QuerySet[User],
    start: date,
    end: date,
    limit: int = 10,
    viewer: User | None = None,
) -> list[ReplyScore]:
    """Replies on tickets whose customer rated 1-2 for reasons that concern the agent.

    One query. The low ratings are those answered since the period began (a survey
    follows the replies it rates), read from the `survey_low_rating` partial index
    alone; their tickets' scores are looked up in `score_ticket_low_csat`, which holds
    the period, agent, score and id, and sorted there (narrow entries); the lowest are
    then checked, in score order, for the viewer's access and for a product or policy
    blamed in another survey of the ticket until `limit` pass (`_first_passing`), and
    only those are read with their context. Joining the context and checking every
    candidate before the sort read the wide rows of ~2,000 candidates (124 ms at 1M,
    8 weeks); the period's other replies and surveys are never read.
    """
    first_moment = datetime.combine(start, time.min, tzinfo=timezone.get_current_timezone())
    low_ratings = (
        Survey.objects.filter(rating__lte=2, answered_at__gte=first_moment)
        .exclude(reason__in=(Reason.PRODUCT, Reason.POLICY))
        .values("ticket_id")
    )
    # A ticket whose customer blamed the product or a policy in any survey says nothing
    # about the agent, even if another of its surveys gave no reason.
    blamed = Survey.objects.filter(reason__in=(Reason.PRODUCT, Reason.POLICY))
    candidates = (
        ReplyScore.objects.filter(
            in_days("replied_at", start, end), agent__in=agents, version=VERSION
        )
        # = ANY(ARRAY(...)), not IN (...): the planner then looks the few tickets up in
        # the scores' ticket index instead of reading every score of the period and
        # hashing the surveys (it underestimates the low ratings several times over).
        .filter(
            EqualsAny(F("ticket_id"), ArraySubquery(low_ratings))
            if connection.vendor == "postgresql"
            else Q(ticket_id__in=low_ratings)
        )
        .order_by("overall", "-replied_at")
        .values("id", "ticket_id", "overall", "replied_at")
    )
    lowest = _first_passing(
        candidates, order=("overall", "-replied_at"), limit=limit, viewer=viewer, unless=blamed
    )
    return list(
        scores_with_context(ReplyScore.objects.filter(pk__in=lowest)).order_by(
            "overall", "-replied_at"
        )
    )


def calibration(*, agents: QuerySet[User]) -> dict[str, Agreement]:
    """Cohen's kappa per component between managers' levels and the analyzer's."""
    rows = list(
        Review.objects.filter(score__agent__in=agents, score__version=VERSION).values_list(
            *COMPONENTS, *(f"score__{c}" for c in COMPONENTS)
        )[:5000]
    )
    result = {}
    for i, name in enumerate(COMPONENTS):
        pairs = [(row[i], row[i + 4]) for row in rows if row[i] is not None]
        result[name] = cohen_kappa(pairs)
    return result


def reflection_prompts(agent: User, *, days: int = 14, limit: int = 5) -> list[Ticket]:
    """Challenging tickets this agent answered, resolved lately, not yet reflected on."""
    since = timezone.now() - timedelta(days=days)
    return list(
        # Only tickets the agent may still open: one who left the queue no longer sees them.
        tickets_visible_to(agent)
        .filter(
            challenging=True,
            resolved_at__gte=since,
            messages__author=agent,
            messages__kind=MessageKind.REPLY,
        )
        .exclude(pk__in=Reflection.objects.filter(agent=agent).values("ticket_id"))
        .distinct()
        .order_by("-resolved_at")[:limit]
    )


def agent_weekly(
    *, agents: QuerySet[User], start: date, end: date
) -> dict[int, list[tuple[date, float]]]:
    """Each agent's average score per week, from the rollups, in one query."""
    rows = (
        DailyRollup.objects.filter(agent__in=agents, day__gte=start, day__lte=end, version=VERSION)
        .annotate(week=TruncWeek("day"))
        .values("agent_id", "week")
        .annotate(n=Sum("replies"), overall=Sum("overall_sum"))
        .order_by("agent_id", "week")
    )
    series: dict[int, list[tuple[date, float]]] = {}
    for row in rows:
        week = row["week"]
        day = week.date() if hasattr(week, "date") else week
        series.setdefault(row["agent_id"], []).append((day, _avg(row["overall"], row["n"] or 0)))
    return series
