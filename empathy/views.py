"""Live coaching, the manager dashboard and review, and the agent's own page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from empathy.charts import line_chart
from empathy.forms import AcknowledgeForm, CoachForm, RangeForm, ReviewForm
from empathy.models import ReplyScore, Review
from empathy.selectors import (
    agent_summaries,
    agents_managed_by,
    exemplary_replies,
    feedback_for,
    lowest_scores,
    scores_with_context,
    weekly_trend,
)
from empathy.services import coach_draft, review_acknowledge, review_save
from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import can_manage_agent, ticket_get_for_user
from tickets.errors import TicketError
from tickets.models import MessageKind
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
    last_customer = (
        ticket.messages.filter(kind=MessageKind.CUSTOMER)
        .order_by("-created_at")
        .values_list("body", flat=True)
        .first()
    )
    result = coach_draft(draft=form.cleaned_data["draft"], customer_message=last_customer)
    return JsonResponse(result.to_dict())


def _range(request: AuthenticatedHttpRequest) -> tuple[RangeForm, Any, Any]:
    today = timezone.localdate()
    form = RangeForm(request.GET or None)
    start, end = today - timedelta(days=56), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


@require_GET
@manager_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, start, end = _range(request)
    agents = agents_managed_by(request.user)
    summaries = agent_summaries(agents=agents, start=start, end=end)
    trend = weekly_trend(agents=agents, start=start, end=end)
    return render(
        request,
        "empathy/dashboard.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "summaries": summaries,
            "trend": trend,
            "chart": line_chart([(p.week.isoformat(), p.overall) for p in trend]),
            "lowest": lowest_scores(agents=agents, start=start, end=end),
        },
    )


def _score_for_manager(user: Any, score_id: int) -> ReplyScore:
    score = scores_with_context(ReplyScore.objects.filter(pk=score_id)).first()
    if score is None or not can_manage_agent(user, score.agent):
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
    return render(request, "empathy/review.html", {"score": score, "form": form})


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
