"""Live coaching, the manager dashboard and review, and the agent's own page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from empathy.analyzer import VERSION
from empathy.charts import line_chart, sparkline
from empathy.exports import csv_rows
from empathy.forms import AcknowledgeForm, CoachForm, RangeForm, ReflectionForm, ReviewForm
from empathy.models import ReplyScore, Review
from empathy.selectors import (
    agent_summaries,
    agent_weekly,
    agents_managed_by,
    calibration,
    exemplary_replies,
    feedback_for,
    in_days,
    low_csat_scores,
    lowest_scores,
    random_sample,
    reflection_prompts,
    scores_with_context,
    weekly_trend,
)
from empathy.services import coach_draft, reflection_save, review_acknowledge, review_save
from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import (
    can_manage_agent,
    teams_managed_by,
    ticket_get_for_user,
    tickets_visible_to,
)
from tickets.errors import TicketError
from tickets.selectors import latest_customer_message
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
    ticket = ticket_get_for_user(user=request.user, ticket_id=form.cleaned_data["ticket"])
    result = coach_draft(
        draft=form.cleaned_data["draft"], customer_message=latest_customer_message(ticket)
    )
    return JsonResponse(result.to_dict())


def _range(request: AuthenticatedHttpRequest) -> tuple[RangeForm, date, date]:
    form = RangeForm(request.GET or None)
    return form, *form.period()


@require_GET
@manager_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, start, end = _range(request)
    teams = list(teams_managed_by(request.user).order_by("name"))
    team = request.GET.get("team", "")
    if team not in {t.slug for t in teams}:
        team = ""  # an unknown or foreign team shows all of the manager's teams
    agents = agents_managed_by(request.user, team_slug=team)
    summaries = agent_summaries(agents=agents, start=start, end=end)
    weekly = agent_weekly(agents=agents, start=start, end=end)
    agent_rows = [
        (
            s,
            sparkline([(w.isoformat(), v) for w, v in weekly.get(s.agent_id, [])]),
            weekly.get(s.agent_id, []),
        )
        for s in summaries
    ]
    trend = weekly_trend(agents=agents, start=start, end=end)
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
            "calibration": calibration(agents=agents),
        },
    )


@require_GET
@manager_required
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Per-reply scores of the manager's agents in the period, formula-safe."""
    _, start, end = _range(request)
    scores = (
        ReplyScore.objects.filter(
            in_days("replied_at", start, end),
            agent__in=agents_managed_by(request.user),
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
    return render(
        request, "empathy/review.html", {"score": score, "form": form, "review": existing}
    )


@require_GET
@staff_required
def my_empathy(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, start, end = _range(request)
    me = User.objects.filter(pk=request.user.pk)
    trend = weekly_trend(agents=me, start=start, end=end)
    return render(
        request,
        "empathy/mine.html",
        {
            "form": form,
            "trend": trend,
            "chart": line_chart([(p.week.isoformat(), p.overall) for p in trend]),
            "summary": next(iter(agent_summaries(agents=me, start=start, end=end)), None),
            "feedback": feedback_for(request.user),
            "reflection_prompts": reflection_prompts(request.user),
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
