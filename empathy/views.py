"""Live coaching, the manager dashboard and review, and the agent's own page."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from empathy.analyzer import VERSION
from empathy.calibration import calibrated_levels
from empathy.charts import agent_scatter, line_chart, scatter, sparkline
from empathy.coaching import CoachingThrottled, coach_draft
from empathy.csat import MIN_SURVEYS_PER_AGENT, csat_vs_empathy
from empathy.exports import csv_rows
from empathy.forms import AcknowledgeForm, CoachForm, RangeForm, ReflectionForm, ReviewForm
from empathy.models import ReplyScore, Review
from empathy.selectors import (
    COMPONENTS,
    agent_summaries,
    agent_weekly,
    agents_managed_by,
    exemplary_replies,
    feedback_for,
    in_days,
    low_csat_scores,
    lowest_scores,
    random_sample,
    reflection_prompts,
    reflections_of,
    scores_with_context,
    shown_team,
    weekly_trend,
)
from empathy.selectors import calibration as calibration_agreement
from empathy.services import reflection_save, review_acknowledge, review_save
from empathy.team_calibration import (
    calibrated_figures,
    presented_figures,
    team_calibration_create,
    team_calibration_reset,
    thresholds_for_agent,
)
from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import (
    can_manage_agent,
    teams_managed_by,
    tickets_visible_to,
)
from tickets.errors import TicketError
from tickets.views.workspace import staff_required


def manager_required(view: Any) -> Any:
    @staff_required
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_manager:
            raise PermissionDenied("Managers only.")
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_POST
@staff_required
def coach(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Score an unsent draft against the customer's latest message. Never blocks sending."""
    form = CoachForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "Invalid request.", "fields": form.errors}, status=400)
    try:
        result = coach_draft(
            user=request.user,
            draft=form.cleaned_data["draft"],
            ticket_id=form.cleaned_data["ticket"],
        )
    except CoachingThrottled as exc:
        response = JsonResponse({"error": "Too many requests."}, status=429)
        response["Retry-After"] = str(math.ceil(exc.wait))
        return response
    return JsonResponse(result.to_dict())


def _range(request: AuthenticatedHttpRequest) -> tuple[RangeForm, date, date]:
    form = RangeForm(request.GET or None)
    return form, *form.period()


@require_GET
@manager_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, start, end = _range(request)
    teams = list(teams_managed_by(request.user).order_by("name"))
    team = shown_team(teams, request.GET.get("team", ""))
    agents = agents_managed_by(request.user, team_slug=team)
    figures = presented_figures(teams=teams, team_slug=team, agents=agents, start=start, end=end)
    summaries, trend = figures.summaries, figures.trend
    weekly = agent_weekly(agents=agents, start=start, end=end)
    agent_rows = [
        (
            s,
            sparkline([(w.isoformat(), v) for w, v in weekly.get(s.agent_id, [])]),
            weekly.get(s.agent_id, []),
        )
        for s in summaries
    ]
    csat = csat_vs_empathy(
        viewer=request.user, agents=agents, start=start, end=end, summaries=summaries
    )
    return render(
        request,
        "empathy/dashboard.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "summaries": summaries,
            "teams": teams,
            "team": team,
            "agent_rows": agent_rows,
            "trend": trend,
            "chart": line_chart([(p.week.isoformat(), p.overall) for p in trend]),
            "lowest": lowest_scores(agents=agents, start=start, end=end, viewer=request.user),
            "sample": random_sample(agents=agents, end=end, viewer=request.user),
            "low_csat": low_csat_scores(agents=agents, start=start, end=end, viewer=request.user),
            "calibration": calibration_agreement(agents=agents),
            "calibrations": [(t, figures.in_force.get(t.pk)) for t in teams],
            "calibrated": figures.calibration,
            "csat": csat,
            "agent_scatter": agent_scatter(
                [(a.empathy, a.csat, a.name) for a in csat.agents if a.csat is not None]
            ),
            "reply_scatter": scatter(csat.by_reply.points),
            "min_surveys": MIN_SURVEYS_PER_AGENT,
        },
    )


@require_POST
@manager_required
def calibrate(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    """Fit the team's thresholds to its reviews (or reset them) and put them in force."""
    team = teams_managed_by(request.user).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team.")
    if request.POST.get("action") == "reset":
        team_calibration_reset(team=team, user=request.user)
        messages.success(request, f"{team.name}: back to the analyzer's own thresholds.")
    else:
        result = team_calibration_create(team=team, user=request.user)
        applied = ", ".join(sorted(result.thresholds)) or "no component"
        messages.success(request, f"{team.name} calibrated: thresholds adjusted for {applied}.")
    return redirect(f"{reverse('empathy:dashboard')}?team={team.slug}#calibration")


@require_GET
@manager_required
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Per-reply scores of the manager's agents in the period, formula-safe."""
    _, start, end = _range(request)
    # The same team as the dashboard the link is on, so the file holds the figures shown.
    team = shown_team(list(teams_managed_by(request.user)), request.GET.get("team", ""))
    scores = (
        ReplyScore.objects.filter(
            in_days("replied_at", start, end),
            agent__in=agents_managed_by(request.user, team_slug=team),
            # Only replies on tickets the manager may open: the subject is ticket content.
            ticket__in=tickets_visible_to(request.user).values("pk"),
            version=VERSION,
        )
        .select_related("agent", "ticket")
        .order_by("replied_at", "pk")
    )
    rows = (
        (
            s.replied_at.isoformat(),
            s.agent.display_name,
            s.ticket_id,
            s.ticket.subject,
            s.overall,
            s.listening,
            s.validation,
            s.reflection,
            s.tone,
            s.opportunity,
        )
        for s in scores.iterator(chunk_size=2000)
    )
    header = [
        "replied_at", "agent", "ticket", "subject", "overall",
        "listening", "validation", "reflection", "tone", "opportunity",
    ]  # fmt: skip
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="empathy-{start}-{end}.csv"'
    return response


def _score_for_manager(user: Any, score_id: int) -> ReplyScore:
    score = scores_with_context(ReplyScore.objects.filter(pk=score_id)).first()
    if score is None or not can_manage_agent(user, score.agent):
        raise Http404("No such reply.")
    # Managing the agent is not enough: the page shows the ticket's conversation.
    if not tickets_visible_to(user).filter(pk=score.ticket_id).exists():
        raise Http404("No such reply.")
    return score


@require_http_methods(["GET", "POST"])
@manager_required
def review(request: AuthenticatedHttpRequest, score_id: int) -> HttpResponse:
    score = _score_for_manager(request.user, score_id)
    existing = Review.objects.filter(score=score, reviewer=request.user).first()
    initial = (
        {
            "listening": existing.listening,
            "validation": existing.validation,
            "reflection": existing.reflection,
            "tone": existing.tone,
            "feedback": existing.feedback,
            "exemplary": existing.exemplary,
        }
        if existing
        else {}
    )
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review_save(
                score=score,
                reviewer=request.user,
                levels={k: data[k] for k in ("listening", "validation", "reflection", "tone")},
                feedback=data["feedback"],
                exemplary=data["exemplary"],
            )
        except TicketError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Review saved. The agent sees your feedback on their page.")
            return redirect("empathy:dashboard")
    thresholds = thresholds_for_agent(score.agent)
    presented = (
        calibrated_levels(
            {name: getattr(score, name) for name in COMPONENTS}, score.confidence, thresholds
        )
        if thresholds
        else None
    )
    return render(
        request,
        "empathy/review.html",
        {"score": score, "form": form, "review": existing, "calibrated_levels": presented},
    )


@require_GET
@staff_required
def my_empathy(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, start, end = _range(request)
    me = User.objects.filter(pk=request.user.pk)
    trend = weekly_trend(agents=me, start=start, end=end)
    summaries = agent_summaries(agents=me, start=start, end=end)
    # The agent reads their levels on their team's calibrated scale, as their manager does.
    thresholds = thresholds_for_agent(request.user)
    if thresholds:
        calibrated = calibrated_figures(
            agents=me,
            start=start,
            end=end,
            thresholds=thresholds,
            summaries=summaries,
            trend=trend,
        )
        summaries, trend = calibrated.summaries, calibrated.trend
    return render(
        request,
        "empathy/mine.html",
        {
            "form": form,
            "trend": trend,
            "chart": line_chart([(p.week.isoformat(), p.overall) for p in trend]),
            "summary": next(iter(summaries), None),
            "calibrated": bool(thresholds),
            "feedback": feedback_for(request.user),
            "reflection_prompts": reflection_prompts(request.user),
            "reflections": reflections_of(request.user),
            "exemplary": exemplary_replies(viewer=request.user),
            "ack_form": AcknowledgeForm(),
        },
    )


@require_POST
@staff_required
def acknowledge(request: AuthenticatedHttpRequest, review_id: int) -> HttpResponse:
    review_obj = (
        Review.objects.select_related("score")
        .filter(pk=review_id, score__agent=request.user)
        .first()
    )
    if review_obj is None:
        raise Http404("No such feedback.")
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        review_acknowledge(review=review_obj, agent=request.user, reply=form.cleaned_data["reply"])
        messages.success(request, "Thanks: your manager sees that you read it.")
    return redirect("empathy:mine")


@require_POST
@staff_required
def reflect(request: AuthenticatedHttpRequest, ticket_id: int) -> HttpResponse:
    """Save the agent's private reflection on a challenging ticket they answered."""
    ticket = next((t for t in reflection_prompts(request.user) if t.pk == ticket_id), None)
    if ticket is None:
        raise Http404("Nothing to reflect on here.")
    form = ReflectionForm(request.POST)
    if form.is_valid():
        reflection_save(agent=request.user, ticket=ticket, **form.cleaned_data)
        messages.success(request, "Saved. Only you can see your reflections.")
    return redirect("empathy:mine")
