"""The customer's survey page: a GET only shows it (mail scanners open links), a POST records."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from empathy.charts import line_chart, scatter
from empathy.forms import RangeForm
from empathy.views import manager_required
from helpdesk.http import AuthenticatedHttpRequest
from surveys import selectors
from surveys.forms import AnswerForm
from surveys.models import Survey
from surveys.services import survey_answer, survey_is_closed
from surveys.tokens import SurveyLinkExpired, SurveyLinkInvalid, survey_link_read
from tickets.errors import TicketError


def _agent_first_names(survey: Survey) -> str:
    names = sorted({c.agent.first_name for c in survey.credits.select_related("agent")} - {""})
    return " and ".join(names) or "our team"


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = survey_link_read(token)
    except SurveyLinkExpired:
        return render(request, "surveys/closed.html", {"expired": True}, status=410)
    except SurveyLinkInvalid:
        return render(request, "surveys/invalid.html", status=400)
    survey = Survey.objects.select_related("ticket").filter(pk=link.survey_id).first()
    if survey is None or survey.state != Survey.State.SENT:
        return render(request, "surveys/invalid.html", status=404)
    if survey_is_closed(survey):
        return render(request, "surveys/closed.html", {"expired": False}, status=410)
    initial = {
        "rating": survey.rating or link.rating,
        "understood": survey.understood,
        "reason": survey.reason,
        "comment": survey.comment,
    }
    form = AnswerForm(request.POST or None, initial=initial)
    context = {"survey": survey, "form": form, "agents": _agent_first_names(survey)}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                answered = survey_answer(
                    survey=survey,
                    rating=data["rating"],
                    understood=data["understood"],
                    comment=data["comment"],
                    reason=data["reason"],
                )
            except TicketError as exc:
                form.add_error(None, exc)
            else:
                # The thanks page speaks to the answer just given, not the one before.
                return render(request, "surveys/thanks.html", {**context, "survey": answered})
        return render(request, "surveys/answer.html", context, status=400)
    return render(request, "surveys/answer.html", context)


@require_GET
@manager_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RangeForm(request.GET or None)
    start, end = form.period()
    surveys = selectors.in_period(selectors.surveys_visible_to(request.user), start, end)
    relation = selectors.empathy_vs_csat(surveys)
    tables = selectors.summary(surveys)
    return render(
        request,
        "surveys/report.html",
        {
            "form": form,
            "start": start,
            "end": end,
            **tables,
            "csat_chart": line_chart(
                [(row.label, row.csat) for row in tables["by_week"] if row.csat is not None]
            ),
            "relation": relation,
            "scatter": scatter(relation.points),
        },
    )
